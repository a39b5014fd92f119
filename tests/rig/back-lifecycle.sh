#!/bin/bash
# back-lifecycle: xen-blkmq-back torn down under I/O, three ways, with the
# stock xen-blkfront in the guest.
# requires: xen-blkmq-back.ko in dom0, stock xen-blkfront in the guest.
# checks: `xl block-detach` while fio runs returns (blkfront holds the disk
#   open, so libxl forces the removal after its timeout) without a hang in
#   dom0; the backend device is gone and nothing stays mapped; `xl
#   block-attach` of a new disk then verifies with crc32c; the guest is
#   destroyed mid-I/O, with a request on a disk that answers after 30 s,
#   and its devices are gone within 20 s (xenwatch does not wait for that
#   disk; the slow ring's grants are still mapped then, and dom0 says so)
#   while the grants go once the disk answers (on debug builds with a
#   completion on a retiring ring stalled 1 s after its hand-over, which
#   must have happened); the module unloads;
#   dom0's log stays clean throughout.  On the debug kernel the detach runs
#   with a bio completion stalled for 1 s right after it handed its request
#   back (fault_end_io_delay_ms; freed ring memory is poisoned there), so a
#   completion that touches its ring after the hand-over shows up.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

# la completes from a 5 ms timer: bios are in flight when the ring stops
nullb_add la 512 memory_backed=1 irqmode=2 completion_nsec=5000000 || exit 1
nullb_add lb 512 memory_backed=1 || exit 1
# lc answers each request after 30 s: a disk that hangs for a while (under
# the debug kernels' 60 s hung-task limit).  Powering it on reads its
# partition table twice (the first read fails at null_blk's 5 s timeout,
# which can only be raised once the disk exists, yet still takes 30 s):
# about 60 s, in the background while the guest boots; every way out of
# this script waits for it (it holds null_blk's configfs lock).
nullb_slow=/sys/kernel/config/nullb/lc
nullb_load || exit 1
if ! { mkdir "$nullb_slow" && echo 64 > "$nullb_slow/size" &&
	echo 2 > "$nullb_slow/queue_mode" && echo 1 > "$nullb_slow/memory_backed" &&
	echo 2 > "$nullb_slow/irqmode" && echo 30000000000 > "$nullb_slow/completion_nsec"; }; then
	fail "nullb lc"
	exit 1
fi
(echo 1 > "$nullb_slow/power") &
lc_power=$!
trap 'wait "$lc_power" 2>/dev/null' EXIT
# the queue's files appear a little after the device node
wait_until 10 test -w /sys/block/lc/queue/io_timeout || { fail "nullb lc: no disk"; exit 1; }
echo 120000 > /sys/block/lc/queue/io_timeout || { fail "lc: io_timeout"; exit 1; }
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
FI=/sys/module/xen_blkmq_back/parameters/fault_end_io_delay_ms

grants_none() { [ "$(vbd_mapped)" = 0 ]; }
slow_stat() { cat /sys/bus/xen-backend/devices/vbd-*-51744/statistics/"$1" 2>/dev/null || echo 0; }
slow_read_taken() { [ "$(slow_stat rd_req)" -gt 0 ]; }

phase() {
	local t0 t rc
	case $1 in
	io1)
		[ -w "$FI" ] && echo 1000 > "$FI"
		t0=$(date +%s)
		timeout 300 xl block-detach life xvda > "$RIG_DIR/detach.log" 2>&1
		rc=$?
		t=$(($(date +%s) - t0))
		res detach.seconds "$t"
		res detach.rc "$rc"
		sed 's/^/XL-DETACH: /' "$RIG_DIR/detach.log" | tail -n 5
		[ $rc != 124 ] || fail "xl block-detach hung"
		sleep 2
		if [ -w "$FI" ]; then
			# 0: a completion was stalled while its ring stopped (the
			# timing decides; the slow-disk destroy below makes sure)
			res detach.fault_end_io_delay_left "$(cat "$FI")"
			echo 0 > "$FI"
		fi
		[ -z "$(find /sys/bus/xen-backend/devices/ -maxdepth 1 -name 'vbd-*-51712')" ] ||
			fail "backend device still there after detach"
		res detach.grants_mapped "$(vbd_mapped)"
		[ "$(vbd_mapped)" = 0 ] || fail "$(vbd_mapped) grants mapped after detach"
		xl block-attach life "phy:/dev/lb,xvdb,w,script=$HP" || fail "xl block-attach"
		;;
	io2)
		# dom0's own partition read of lc is over (it needs the disk
		# for 30 s once)
		wait "$lc_power" || fail "nullb lc: power on"
		# the guest's partition scan of xvdc goes to the slow disk
		xl block-attach life "phy:/dev/lc,xvdc,w,script=$HP" || fail "xl block-attach xvdc"
		wait_until 60 slow_read_taken || fail "the guest's read never reached the slow disk"
		res destroy.slow_rd_req "$(slow_stat rd_req)"
		res destroy.rd_req_before "$(cat /sys/bus/xen-backend/devices/vbd-*-51728/statistics/rd_req 2>/dev/null)"
		# debug builds: the first completion on a stopping ring stalls
		# 1 s right after its hand-over (the slow disk's answer at the
		# latest), while its ring retires
		[ -w "$FI" ] && echo 1000 > "$FI"
		echo "RIG-MARK slow-destroy" > /dev/kmsg
		t0=$(date +%s%N)
		xl destroy life || fail "xl destroy"
		# xenwatch tears every device down in turn: how long it takes
		# shows whether the slow disk held it
		vbd_wait_gone 90 || fail "backend devices left 90 s after destroy"
		gone_ms=$((($(date +%s%N) - t0) / 1000000))
		res destroy.devices_gone_ms "$gone_ms"
		# the slow ring outlived its device: its grants are still mapped
		res destroy.mapped_when_gone "$(vbd_mapped)"
		[ "$(vbd_mapped)" -gt 0 ] || fail "the slow disk's ring was gone with its device (teardown waited for the disk)"
		RIG_POLL_S=0.5 wait_until 120 grants_none || fail "$(vbd_mapped) grants mapped 120 s after destroy"
		res destroy.grants_released_ms $((($(date +%s%N) - t0) / 1000000))
		if [ -w "$FI" ]; then
			res destroy.fault_end_io_delay_left "$(cat "$FI")"
			[ "$(cat "$FI")" = 0 ] || fail "no completion was stalled while its ring retired"
			echo 0 > "$FI"
		fi
		dmesg | sed -n '/RIG-MARK slow-destroy/,$p' |
			grep -Eq 'vbd-[0-9]+-51744: ring [0-9]+: .*still with the disk' ||
			fail "no log line for the ring left with the slow disk"
		;;
	esac
}
guest_start life back-lifecycle - 2 "phy:/dev/la,xvda,w,script=$HP"
guest_phases life phase
guest_unfollow life
# destroyed on purpose: its verdict is what it printed before io2
log=/var/log/xen/console/guest-life.log
grep -q '^RIG-PHASE io2' "$log" || fail "guest never reached the second I/O phase"
tr -d '\r' < "$log" | grep '^RIGRES|' | while IFS='|' read -r _ k v; do res "life.$k" "$v"; done
grep -q '^RIGRES|reattach.rc|0' "$log" || fail "verify on the re-attached disk failed"
# The slow disk's request was still with the disk when the guest went: its
# ring retires on its own once the disk answers (grants_released_ms); the
# devices, torn down by xenwatch, must not have waited for that disk.
if [ -z "$gone_ms" ]; then
	fail "the guest was never destroyed with a request on the slow disk"
elif [ "$gone_ms" -ge 20000 ]; then
	fail "teardown waited ${gone_ms} ms for the slow disk"
fi
res destroy.grants_mapped "$(vbd_mapped)"
[ "$(vbd_mapped)" = 0 ] || fail "$(vbd_mapped) grants mapped after destroy"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del la
nullb_del lb
nullb_del lc
