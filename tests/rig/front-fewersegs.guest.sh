#!/bin/sh
# Guest half of front-fewersegs: 1 MiB and 256 KiB direct writes, verified,
# without pause while dom0 saves this guest and restores it onto a backend
# that offers no indirect segments.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
D=/sys/bus/xen/devices/vbd-51712
# the kernel's own warnings at a PV resume: see front-saverestore.guest.sh
rig_known_resume_warnings
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
rig_res segments_before "$(cat $D/max_segments)"
rig_res slots "$(cat /sys/block/xvda/queue/nr_requests)"
[ "$(cat $D/max_segments)" -gt 11 ] || { echo "no indirect requests before the save"; rc=1; }
resumes() { dmesg | grep -c 'Restarting tasks'; }
# block events, so that a stall's dump can follow the bios resubmitted at
# the restore (with /run/trace-on, the heartbeat's dump names what never completed)
T=/sys/kernel/tracing
mount -t tracefs tracefs $T 2>/dev/null
if [ -w $T/buffer_size_kb ]; then
	echo 8192 > $T/buffer_size_kb
	for e in block_bio_queue block_split block_rq_issue block_rq_complete block_rq_insert block_getrq block_bio_backmerge block_bio_frontmerge; do
		echo 1 > $T/events/block/$e/enable 2>/dev/null
	done
	touch /run/trace-on
fi
echo "RIG-PHASE io"
t0=$(cut -d. -f1 /proc/uptime)
# two loops of rounds, so that one is writing or verifying whenever the
# save comes, until one save and restore has passed
# Loop 0 writes 1 MiB: io_uring's first, non-blocking attempt at each is
# refused (a bio over max_sectors_kb must be split, and a REQ_NOWAIT bio is
# not split) and io_uring's worker submits it again without REQ_NOWAIT.
# Loop 1 writes 256 KiB (64 segments), which fit the limits at the save:
# its bios are accepted on that first attempt and keep REQ_NOWAIT.  At the
# restore they no longer fit 11 segments; resubmitted with REQ_NOWAIT they
# would end in EAGAIN (fio: "Resource temporarily unavailable").
loop() {
	_r=0
	_bs=$((1024 >> ($1 * 2)))k
	while [ "$(resumes)" -lt 1 ] && [ $(($(cut -d. -f1 /proc/uptime) - t0)) -lt 240 ]; do
		rig_fio "l$1r$_r" --filename=/dev/xvda --direct=1 --ioengine=$RIG_SAVE_IOENGINE \
			--rw=write --bs=$_bs --iodepth=8 --size=16m \
			--offset=$(($1 * 128 + (_r % 4) * 32))m --verify=crc32c \
			--verify_fatal=1 || echo "loop $1 round $_r failed" >> /run/failed
		_r=$((_r + 1))
	done
	echo "$_r" >> /run/rounds
}
: > /run/failed
: > /run/rounds
loop 0 &
l0=$!
loop 1 &
l1=$!
wait $l0
wait $l1
round=$(awk '{ s += $1 } END { print s + 0 }' /run/rounds)
if [ -s /run/failed ]; then cat /run/failed; rc=1; fi
[ "$(resumes)" -ge 1 ] || { echo "no restore seen"; rc=1; }
rig_fio after --filename=/dev/xvda --direct=1 --ioengine=$RIG_SAVE_IOENGINE \
	--rw=write --bs=1m --iodepth=64 --size=8m --offset=256m \
	--verify=crc32c --verify_fatal=1 || rc=1
rig_res rounds "$round"
rig_res segments_after "$(cat $D/max_segments)"
[ "$(cat $D/max_segments)" = 11 ] || { echo "restored connection uses $(cat $D/max_segments) segments, not 11"; rc=1; }
rig_res resubmitted "$(dmesg | sed -n 's/.*resuming: \([0-9]*\) request.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
rs=$(fe_stat resplit "$D")
rig_res resplit "$rs"
[ "$rs" -gt 0 ] || { echo "no request was split again after the restore"; rc=1; }
err=$(fe_stat errors "$D")
rig_res front.errors "$err"
[ "$err" = 0 ] || { echo "$err requests failed"; rc=1; }
dmesg | grep 'xen-blkmq-front\|vbd-51712' | tail -n 6 | sed 's/^/RIG-GUEST-DMESG: /'
exit $rc
