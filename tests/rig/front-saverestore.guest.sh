#!/bin/sh
# Guest half of front-saverestore: verifying I/O without pause while
# dom0 saves and restores this guest (rig.resumes times).
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
D=/sys/bus/xen/devices/vbd-51712
# Linux 6.1's PV resume trips a WARN_ONCE in the clockevents core on a
# secondary vCPU (tick_nohz_idle_exit switching a timer that the resume
# left shut down to ONESHOT_STOPPED).  It is the kernel's timer code, not
# block I/O: the stock-blkfront control guest of this scenario, saved and
# restored the same way, records whether it shows the same warning.
# Also on the debug kernel only: xen_suspend() kmallocs in
# xen_manage_runstate_time() inside stop_machine, KFENCE samples that
# allocation and asks the CRNG for random bytes, which reads the clock
# while timekeeping is suspended (WARN_ON in ktime_get_seconds()).  Also
# the kernel's, not ours.
rig_known_resume_warnings
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
front=stock
[ -d /sys/module/xen_blkmq_front ] && front=ours
[ $front = ours ] && rig_res queues_before "$(cat $D/nr_queues)"
# do_suspend() thaws tasks after every save, restore or cancel
resumes() { dmesg | grep -c 'Restarting tasks'; }
# rig.resumes=N on the command line: how many saves dom0 makes
want=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^rig.resumes=//p')
[ -n "$want" ] || { echo "no rig.resumes= on the command line"; exit 1; }
: > /run/rounds.log
# Watch each vCPU's tick device once a second across the saves: a sample
# where one is shut down (state 1) or oneshot with its next event more
# than a second in the past means that vCPU's timers had stopped firing
# then.  Printed when it changes (RIG-CE), counted at the end.
ce_watch() {
	_prev=
	while :; do
		_ce=$(rig_clockevents)
		_bad=$(echo "$_ce" | tr ' ' '\n' | awk -F'[:/]' '$2 == 1 || ($2 == 3 && $3 != "inf" && $3 < -1000)' | tr '\n' ' ')
		[ -n "$_bad" ] && echo x >> /run/ce-bad
		[ "$_bad" != "$_prev" ] && echo "RIG-CE|$(uptime_s)|resumes $(resumes)|$_ce|${_bad:-ok}"
		_prev=$_bad
		sleep 1
	done
}
: > /run/ce-bad
ce_watch &
cew=$!
echo "RIG-PHASE io"
# each round writes 8 MiB at random and reads it back through crc32c; a
# save or restore lands in the middle of some of them
round=0
t0=$(cut -d. -f1 /proc/uptime)
while [ "$(resumes)" -lt "$want" ] && [ $(($(cut -d. -f1 /proc/uptime) - t0)) -lt $((want * 180)) ]; do
	rig_fio "r$round" --filename=/dev/xvda --direct=1 --ioengine=$RIG_SAVE_IOENGINE \
		--rw=randwrite --bsrange=4k-128k --iodepth=16 --size=8m \
		--offset=$(((round % 8) * 16))m --verify=crc32c --verify_fatal=1 \
		--randseed=$round > /dev/null || { echo "round $round failed" | tee -a /run/rounds.log; rc=1; }
	round=$((round + 1))
done
rig_res rounds "$round"
rig_res resumes "$(resumes)"
[ "$(resumes)" -ge "$want" ] || { echo "only $(resumes) resumes seen"; rc=1; }
kill $cew 2>/dev/null
rig_res clockevents_stopped_samples "$(wc -l < /run/ce-bad)"
rig_res clockevents_warning "$(dmesg | grep -c 'at kernel/time/clockevents.c')"
rig_res resubmitted "$(dmesg | sed -n 's/.*resuming: \([0-9]*\) request.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
rig_res failed_rounds "$(grep -c '^round .* failed' /run/rounds.log)"
if [ $front = stock ]; then
	rig_fio final --filename=/dev/xvda --direct=1 --ioengine=libaio \
		--rw=randrw --bs=64k --iodepth=16 --size=16m --offset=160m \
		--verify=crc32c --verify_fatal=1 || rc=1
	exit $rc
fi
dmesg | grep 'xen-blkmq-front' | tail -n 12 | sed 's/^/RIG-GUEST-DMESG: /'
# blk-mq follows a changed ring count from a work item: give it time
nq=$(cat $D/nr_queues)
# shellcheck disable=SC2317 # called through wait_until
hw_follows() { [ "$(find /sys/block/xvda/mq -mindepth 1 -maxdepth 1 | wc -l)" = "$nq" ]; }
wait_until 20 hw_follows
hq=$(find /sys/block/xvda/mq -mindepth 1 -maxdepth 1 | wc -l)
rig_res queues_after "$nq"
rig_res hw_queues_after "$hq"
[ "$hq" = "$nq" ] || { echo "$hq hardware queues for $nq rings"; rc=1; }
# everything written in the last eight rounds is still there
rig_fio final --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randrw --bs=64k --iodepth=16 --size=16m --offset=160m \
	--verify=crc32c --verify_fatal=1 || rc=1
err=$(fe_stat errors "$D")
rig_res front.errors "$err"
[ "$err" = 0 ] || { echo "$err requests failed"; rc=1; }
exit $rc
