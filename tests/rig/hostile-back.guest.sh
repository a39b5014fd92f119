#!/bin/sh
# Guest half of hostile-back: one disk per case, each served by the hostile
# backend in that case; the case list (LABEL:KIND, xvda first) comes from
# dom0 on the command line.  Batch A's disks are here at boot, with
# xen-blkmq-front loaded by rig.mods; after checking them the frontend is
# unloaded (which fails if any case leaked a reference), loaded again with
# trusted=0, and dom0 attaches batch B.  The backend misbehaves only on
# requests in its trigger window (sectors 32768..34815), so each case
# first proves that good I/O elsewhere verifies.  What each kind of case
# requires of xen-blkmq-front:
#   good     fio verify and a trigger read succeed
#   kill     a bad response (id out of range or not in flight, wrong
#            operation, rsp_prod past the requests) disables the device:
#            the trigger read and every later read fail, with a log line
#   dup      two trigger reads; the backend answers the first twice and
#            the second never: the duplicate disables the device
#   status   an unknown status fails that request only; I/O goes on
#   storm    the read succeeds through the notifications; I/O goes on
#   never    the read waits until dom0 forces the backend Closed, then EIO;
#            meanwhile (queue io_timeout 1 s, the io_timeout parameter 0)
#            the frontend reports the stall and counts it
#   timeout  batch B loads the frontend with io_timeout=4: the read fails
#            with EIO after 4 s and before 30 s, without dom0's help
#   holdkill the backend keeps the trigger read's pages mapped while it
#            answers with a bad id, then 5 s later writes into them and
#            unmaps: the read fails, and only after the unmap (a page of
#            the request's own is never handed back while mapped)
#   close    the backend goes Closing, then Closed, under the read: EIO
#   stallrestart  with the disk held open (as by a mounted file system),
#            the backend never answers the trigger read: io_timeout=4 fails
#            it; 12 s after the read the backend restarts (Closed, no
#            mapping left, then the disk offered again): the open disk
#            reconnects, reads again, and verifies
#   holdclose  the backend keeps the trigger read's pages mapped, goes
#            Closing, then Closed, under it, and 5 s later writes into them
#            and unmaps: the frontend takes the read off its ring and gives
#            the disk up at once, yet the read fails only after the unmap
#            (its pages are held, not handed back)
#   empty    a 0-sector disk: a read returns nothing
#   badkeys  the frontend refuses the disk (Closed, no block device)
#   flap     the backend rewrites its keys (no flush, discard, 4096-byte
#            sectors, 3/4 size; then back) and announces Connected again:
#            the frontend follows the size only, as features are fixed at
#            connect, and I/O verifies
#   reconnect  at each trigger the backend answers, goes Closing, and once
#            the frontend closed offers the disk again with the other
#            shape: the frontend reconnects, and the new disk has exactly
#            the new features (size, block size, cache, discard) and
#            verifies; then the same back to the first shape
#   snoop    fio with the marker in its buffers, after freed pages were
#            filled with it; dom0 counts what the backend sees outside the
#            segments (trusted=1 must show the marker, trusted=0 nothing)
#   notsupp  the backend offered flush and discard and answers both with
#            EOPNOTSUPP: O_DSYNC writes still succeed (the flush counts as
#            done, and flushes go off: write cache "write through"),
#            discard goes off after a refused one (discard_max_bytes 0), a
#            log line for each, and I/O verifies
# shellcheck disable=SC2317 # (file-wide) helpers called through wait_until
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
FRONT=/rig/modules/xen-blkmq-front.ko
# the first 4 KiB block of the trigger window
TRIG_BLK=$((32768 / 8))

# what the frontend must log for each case (grep -E)
msg_of() {
	case $1 in
	rsp-id-range) echo 'bad response \(id out of range' ;;
	rsp-id-dup | rsp-id-never) echo 'bad response \(id not in flight' ;;
	rsp-op) echo 'bad response \(operation does not match' ;;
	rsp-status) echo 'backend sent status (7|-77)' ;;
	rsp-prod-past) echo "rsp_prod [0-9]+ runs past" ;;
	sectors-huge) echo "backend's disk keys: sectors" ;;
	sector-size-*) echo "backend's disk keys: sector-size" ;;
	features-reconnect) echo 'backend offers the disk again: reconnecting' ;;
	notsupp) echo 'backend refused a (cache flush|discard) it had offered' ;;
	never-answer) echo 'request\(s\) waiting for the backend, the oldest for' ;;
	never-answer-io-timeout) echo 'no answer from the backend for [0-9]+ s \(io_timeout 4\)' ;;
	hold-kill) echo 'holding the request until it lets go' ;;
	stall-restart) echo 'backend offers the disk again: reconnecting the open disk' ;;
	hold-close) echo 'the backend still maps pages of 1 read\(s\); holding them until it lets go' ;;
	*) echo '' ;;
	esac
}

size_is() { [ "$(cat "/sys/block/$disk/size")" = "$1" ]; }
fstate() { cat "/sys/bus/xen/devices/vbd-$devid/state" 2>/dev/null; }

settled() {
	case $(fstate) in
	Connected) [ -b "/dev/$disk" ] ;;
	Closing | Closed) true ;;
	*) false ;;
	esac
}
# feats: the disk's size/block size/cache/discard (1 if offered), or none
feats() {
	[ -b "/dev/$disk" ] || { echo none; return; }
	_q=/sys/block/$disk/queue
	_w=$(cut -d' ' -f2 "$_q/write_cache")
	_t=$(cat "$_q/discard_max_bytes")
	[ "$_t" = 0 ] || _t=1
	echo "$(cat "/sys/block/$disk/size")/$(cat "$_q/logical_block_size")/$_w/$_t"
}
feats_are() { [ "$(fstate)" = Connected ] && [ "$(feats)" = "$1" ]; }
gone() { [ ! -e "/sys/bus/xen/devices/vbd-$devid" ]; }
closed() { [ "$(fstate)" = Closed ] || gone; }
# refusals_applied QUEUEDIR: the queue shows the write cache and discard off
refusals_applied() {
	[ "$(cat "$1/write_cache")" = "write through" ] && [ "$(cat "$1/discard_max_bytes")" = 0 ]
}

# one_read: a direct 4 KiB read at the start of the disk succeeds
one_read() { dd if="/dev/$disk" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; }
# trig_dd [BLOCK]: one direct 4 KiB read in the trigger window; dd's rc
trig_dd() {
	dd if="/dev/$disk" of=/dev/null bs=4k count=1 skip=$((TRIG_BLK + ${1:-0})) \
		iflag=direct 2>/dev/null
}
# bg_wait PID SECONDS: wait for a background job; its rc, or 124 if it hangs
bg_wait() {
	_n=$(($2 * 5))
	while kill -0 "$1" 2>/dev/null; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 124
		sleep 0.2
	done
	wait "$1"
}
verify() {
	rig_fio "$label-$1" --filename="/dev/$disk" --direct=1 --ioengine=libaio \
		--rw=randrw --bs=4k --iodepth=8 --size=1m --offset="$2" \
		--verify=crc32c --verify_fatal=1
}
# irqs NAME: interrupts taken so far by the irq called NAME, all CPUs
irqs() { awk -v n="$1" '$NF == n { s = 0; for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s }' /proc/interrupts; }
rcword() { if [ "$1" = 0 ]; then echo ok; elif [ "$1" = 124 ]; then echo HANG; else echo EIO; fi; }

# run_case: sets obs (what happened) and ok (1 if as expected)
run_case() {
	ok=1
	obs=
	case $kind in
	good)
		verify pre 0 || ok=0
		trig_dd; r=$?
		[ $r = 0 ] || ok=0
		obs="fio verify $(rig_ok $ok), trigger read $(rcword $r)"
		;;
	kill)
		verify pre 0 || ok=0
		trig_dd; r=$?
		dd if="/dev/$disk" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; p=$?
		[ $r != 0 ] && [ $p != 0 ] || ok=0
		obs="verify before $(rig_ok $ok), trigger read $(rcword $r), later read $(rcword $p)"
		;;
	dup)
		verify pre 0 || ok=0
		trig_dd 0 & a=$!
		trig_dd 100 & b=$!
		bg_wait $a 60; r=$?
		bg_wait $b 60; s=$?
		dd if="/dev/$disk" of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; p=$?
		# one of the two was answered (twice), the other never: it fails
		[ $r != 124 ] && [ $s != 124 ] && [ $((r + s)) != 0 ] && [ $p != 0 ] || ok=0
		obs="two trigger reads $(rcword $r)/$(rcword $s), later read $(rcword $p)"
		;;
	status)
		verify pre 0 || ok=0
		trig_dd; r=$?
		verify post 4194304 || ok=0
		trig_dd; s=$?
		[ $r != 0 ] && [ $s != 0 ] || ok=0
		obs="trigger reads $(rcword $r)/$(rcword $s), fio verify in between and before $(rig_ok $ok)"
		;;
	storm)
		verify pre 0 || ok=0
		e0=$(irqs "blkmq-$devid-q0")
		t=$(secs)
		trig_dd; r=$?
		t=$(($(secs) - t))
		e1=$(irqs "blkmq-$devid-q0")
		verify post 4194304 || ok=0
		[ $r = 0 ] || ok=0
		obs="trigger read $(rcword $r) after ${t}s of storm ($((e1 - e0)) interrupts), fio verify before/after $(rig_ok $ok)"
		rig_res "$label.storm_seconds" "$t"
		;;
	never)
		verify pre 0 || ok=0
		# the block layer's request timer: a stall is reported after 1 s
		echo 1000 > "/sys/block/$disk/queue/io_timeout"
		trig_dd & a=$!
		sleep 4
		if kill -0 $a 2>/dev/null; then h=pending; else h=answered; ok=0; fi
		st=$(cat "/sys/bus/xen/devices/vbd-$devid/queue-0/stalls")
		[ "$st" -ge 1 ] || ok=0
		echo "RIG-PHASE force:$i:$label"
		bg_wait $a 60; r=$?
		[ $r != 0 ] && [ $r != 124 ] || ok=0
		obs="trigger read $h after 4s, $st stall(s) counted, $(rcword $r) once dom0 forced the backend Closed"
		;;
	timeout)
		verify pre 0 || ok=0
		st0=$(uptime_s)
		trig_dd & a=$!
		bg_wait $a 60; r=$?
		dt=$(since "$st0")
		st=$(cat "/sys/bus/xen/devices/vbd-$devid/queue-0/stalls")
		[ $r != 0 ] && [ $r != 124 ] || ok=0
		awk -v d="$dt" 'BEGIN { exit !(d >= 3.5 && d < 30) }' || ok=0
		obs="trigger read $(rcword $r) after ${dt}s (io_timeout 4), $st stall(s) counted"
		;;
	holdkill)
		verify pre 0 || ok=0
		st0=$(uptime_s)
		trig_dd; r=$?
		dt=$(since "$st0")
		pk=$(cat "/sys/bus/xen/devices/vbd-$devid/queue-0/parked")
		[ $r != 0 ] || ok=0
		# the backend unmaps 5 s after its bad answer
		awk -v d="$dt" 'BEGIN { exit !(d >= 4.5) }' || ok=0
		[ "$pk" -ge 1 ] || ok=0
		obs="trigger read $(rcword $r) after ${dt}s (the backend unmapped after 5 s), $pk request(s) parked"
		;;
	stallrestart)
		verify pre 0 || ok=0
		exec 3< "/dev/$disk"
		st0=$(uptime_s)
		trig_dd & a=$!
		bg_wait $a 60; r=$?
		dt=$(since "$st0")
		[ $r != 0 ] && [ $r != 124 ] || ok=0
		# failed by io_timeout (a read the restart rescued would succeed)
		awk -v d="$dt" 'BEGIN { exit !(d >= 3.5) }' || ok=0
		# dead (opens fail) until the backend is back and connected
		wait_until 90 one_read; w=$?
		dt2=$(since "$st0")
		[ $w = 0 ] || ok=0
		trig_dd; s=$?
		[ $s = 0 ] || ok=0
		verify post 4194304 || ok=0
		exec 3<&-
		obs="trigger read $(rcword $r) after ${dt}s (io_timeout 4), reads again ${dt2}s after it (the backend restarted at 12 s), trigger read then $(rcword $s), fio verify $(rig_ok $ok)"
		;;
	holdclose)
		verify pre 0 || ok=0
		st0=$(uptime_s)
		trig_dd & a=$!
		bg_wait $a 60; r=$?
		dt=$(since "$st0")
		[ $r != 0 ] && [ $r != 124 ] || ok=0
		# the backend unmaps 5 s after it closed
		awk -v d="$dt" 'BEGIN { exit !(d >= 4.5) }' || ok=0
		wait_until 20 closed || ok=0
		oh=$(cat /sys/module/xen_blkmq_front/parameters/orphans_held)
		[ "$oh" = 0 ] || ok=0
		obs="trigger read $(rcword $r) after ${dt}s (the backend unmapped after 5 s), frontend $(fstate), $oh request(s) still held"
		;;
	close)
		verify pre 0 || ok=0
		trig_dd & a=$!
		bg_wait $a 60; r=$?
		[ $r != 0 ] && [ $r != 124 ] || ok=0
		wait_until 20 closed || ok=0
		obs="trigger read $(rcword $r), frontend $(fstate)"
		;;
	empty)
		sz=$(cat "/sys/block/$disk/size")
		n=$(dd if="/dev/$disk" bs=512 count=1 iflag=direct 2>/dev/null | wc -c)
		[ "$sz" = 0 ] && [ "$n" = 0 ] || ok=0
		obs="disk of $sz sectors, a read returns $n bytes"
		;;
	badkeys)
		wait_until 20 closed || ok=0
		[ ! -e "/dev/$disk" ] || ok=0
		obs="frontend $(fstate), /dev/$disk $([ -e "/dev/$disk" ] && echo exists || echo absent)"
		;;
	flap)
		verify pre 0 || ok=0
		wc0=$(cat "/sys/block/$disk/queue/write_cache")
		trig_dd; r=$?
		wait_until 60 size_is 49152; s1=$(cat "/sys/block/$disk/size")
		wc1=$(cat "/sys/block/$disk/queue/write_cache")
		lbs=$(cat "/sys/block/$disk/queue/logical_block_size")
		trig_dd; s=$?
		wait_until 60 size_is 65536; s2=$(cat "/sys/block/$disk/size")
		verify post 4194304 || ok=0
		[ $r = 0 ] && [ $s = 0 ] && [ "$s1" = 49152 ] && [ "$s2" = 65536 ] &&
			[ "$wc1" = "$wc0" ] && [ "$lbs" = 512 ] || ok=0
		obs="reads $(rcword $r)/$(rcword $s), size 65536->$s1->$s2, cache '$wc0'->'$wc1', block $lbs, fio verify $(rig_ok $ok)"
		;;
	reconnect)
		verify pre 0 || ok=0
		f0=$(feats)
		trig_dd; r=$?
		wait_until 60 feats_are 49152/4096/through/1 || ok=0
		f1=$(feats)
		verify mid 8388608 || ok=0
		trig_dd; s=$?
		wait_until 60 feats_are 65536/512/back/0 || ok=0
		f2=$(feats)
		verify post 4194304 || ok=0
		[ $r = 0 ] && [ $s = 0 ] && [ "$f0" = 65536/512/back/0 ] || ok=0
		obs="size/block/cache/discard $f0 -> $f1 -> $f2, trigger reads $(rcword $r)/$(rcword $s), fio verify on each connection $(rig_ok $ok)"
		;;
	notsupp)
		q=/sys/block/$disk/queue
		verify pre 0 || ok=0
		wc0=$(cat "$q/write_cache")
		dm0=$(cat "$q/discard_max_bytes")
		# O_DSYNC writes (FUA: the write, then a cache flush the
		# backend refuses; a refusal passed up fails the write)
		fio --name=fs1 --filename="/dev/$disk" --rw=write --bs=4k --size=16k \
			--offset=256k --direct=1 --sync=1 > /dev/null 2>&1; f=$?
		# discards: refused (fio goes on past a refused trim, so its
		# status says nothing; the queue's discard limit does)
		fio --name=trim --filename="/dev/$disk" --rw=trim --bs=4k --size=64k \
			--offset=512k > /dev/null 2>&1; t=$?
		wait_until 10 refusals_applied "$q"
		wc=$(cat "$q/write_cache")
		dm=$(cat "$q/discard_max_bytes")
		fio --name=fs2 --filename="/dev/$disk" --rw=write --bs=4k --size=16k \
			--offset=256k --direct=1 --sync=1 > /dev/null 2>&1; f2=$?
		v=1
		verify post 1m || v=0
		if [ $v = 0 ] || [ "$wc0" != "write back" ] || [ "$dm0" = 0 ] || [ $f != 0 ] ||
			[ "$wc" != "write through" ] || [ "$dm" != 0 ] || [ $f2 != 0 ]; then
			ok=0
		fi
		obs="offered: cache '$wc0', discard_max_bytes $dm0; O_DSYNC writes $(rcword $f), trim rc $t; then cache '$wc', discard_max_bytes $dm, O_DSYNC writes $(rcword $f2), fio verify $(rig_ok $v)"
		;;
	snoop)
		# freed guest pages hold the marker, and so do fio's buffers
		# (16 MiB and 1 MiB of I/O: about 1500 data pages scanned)
		yes HOSTILEMARKER | head -c 16777216 > /tmp/marker
		rm -f /tmp/marker
		rig_fio "$label" --filename="/dev/$disk" --direct=1 --ioengine=libaio \
			--rw=randrw --bssplit=512/50:1k/50 --iodepth=8 --numjobs=1 \
			--size=1m --buffer_pattern='"HOSTILEMARKER"' || ok=0
		obs="fio 512/1k randrw $(rig_ok $ok) (counts in dom0's HB-DOM0 line)"
		;;
	esac
	m=$(msg_of "$label")
	if [ -n "$m" ]; then
		if dmesg | grep -E "vbd-$devid: " | grep -qE "$m"; then
			obs="$obs; logged '$m'"
		else
			obs="$obs; no '$m' in dmesg"
			ok=0
		fi
	fi
}
# the kernel log since this case began
newdmesg() { dmesg | tail -n +$((base + 1)); }
rig_ok() { if [ "$1" = 1 ]; then echo ok; else echo FAILED; fi; }

table=/run/hb-table
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case $w in
	hb.a=*) batch_a=$(echo "${w#hb.a=}" | tr , ' ') ;;
	hb.b=*) batch_b=$(echo "${w#hb.b=}" | tr , ' ') ;;
	esac
done
if [ -z "$batch_a" ] || [ -z "$batch_b" ]; then
	echo "no hb.a= or hb.b= case list"
	exit 1
fi

# unload BATCH FIRST LAST: have dom0 detach the batch's disks (XenBus
# holds a module reference for every device bound to the driver), wait
# until they are gone, then take xen-blkmq-front out
unload() {
	echo "RIG-PHASE detach:$2-$3:$1"
	_d=$2
	while [ "$_d" -le "$3" ]; do
		if [ "$_d" -lt 16 ]; then devid=$((51712 + 16 * _d)); else devid=$(((1 << 28) | (_d << 8))); fi
		wait_until 120 gone || echo "vbd-$devid stayed after the detach"
		_d=$((_d + 1))
	done
	if rig_rmmod xen_blkmq_front; then
		rig_res "unload.$1" ok
		echo "HB-CASE|unload-after-$1|ok|xen-blkmq-front unloads" | tee -a $table
	else
		rig_res "unload.$1" FAILED
		echo "HB-CASE|unload-after-$1|FAILED|xen-blkmq-front DOES NOT UNLOAD" | tee -a $table
		rc=1
	fi
}

i=0
# run_batch CASE...: check each case's disk in turn
run_batch() {
	for c in "$@"; do
		label=${c%%:*}
		kind=${c#*:}
		disk=xvd$(echo abcdefghijklmnopqrstuvwxyz | cut -c$((i + 1)))
		if [ $i -lt 16 ]; then devid=$((51712 + 16 * i)); else devid=$(((1 << 28) | (i << 8))); fi
		base=$(dmesg | wc -l)
		t0=$(secs)
		if wait_until 60 settled; then
			run_case
		else
			ok=0
			obs="the frontend did not settle (state '$(fstate)')"
		fi
		newdmesg | grep -E "vbd-$devid: " | sed "s/^/HB-GUEST-DMESG|$label| /"
		if newdmesg | rig_dmesg_known | grep -qE "$RIG_BAD_RE"; then
			ok=0
			obs="$obs; KERNEL WARNING (see the log)"
		fi
		if [ $ok != 1 ]; then
			rc=1
			# all that the case left behind, for the failure's reader
			newdmesg | tail -n 60 | sed "s/^/HB-FAILED-DMESG|$label| /"
			for f in /run/fio-"$label"*; do
				[ -e "$f" ] && sed "s#^#HB-FAILED-FIO|${f##*/}| #" "$f"
			done
		fi
		rig_res "case.$label" "$(rig_ok $ok)"
		echo "HB-CASE|$label|$(rig_ok $ok)|$obs ($(($(secs) - t0))s)" | tee -a $table
		i=$((i + 1))
	done
}

echo "HB-GUEST: frontend loaded at $(secs)s"
for d in /sys/bus/xen/devices/vbd-*; do echo "HB-GUEST: ${d##*/} $(cat "$d/state")"; done
# shellcheck disable=SC2086 # the batches are lists of words
run_batch $batch_a
unload a 0 $((i - 1))
if ! lsmod | grep -q '^xen_blkmq_front '; then
	insmod $FRONT trusted=0 io_timeout=4 || { echo "insmod trusted=0 io_timeout=4 failed"; rc=1; }
	first=$i
	echo "RIG-PHASE attach-b:$i:b"
	# shellcheck disable=SC2086
	run_batch $batch_b
	unload b $first $((i - 1))
fi
echo "HB-TABLE: case | verdict | observed"
sed 's/^/HB-TABLE: /' $table
exit $rc
