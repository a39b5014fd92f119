#!/bin/sh
# Guest half of cmp-front: a warm-up and a measured 4k randread QD32x2 run
# of the same length with whichever frontend rig.mods loaded; with
# xen-blkmq-front, its per-request counters over the measured run.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
RT=${RIG_FIO_RUNTIME:-10}
D=/sys/bus/xen/devices/vbd-51712
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
front=stock
[ -d /sys/module/xen_blkmq_front ] && front=ours
# shellcheck disable=SC2317 # called through counters_snap
xvda_stat() { fe_stat "$1" "$D"; }
OURS="rd_req notify_sent notify_suppressed pool_fresh errors"
rc=0
job="--filename=/dev/xvda --direct=1 --ioengine=libaio --rw=randread --bs=4k --iodepth=32 --numjobs=2 --time_based --size=1g"
# shellcheck disable=SC2086 # job is a list of options
rig_fio warm $job --runtime="$RT" || rc=1
echo "RIG-PHASE warm"
sleep 5
# shellcheck disable=SC2086 # OURS is a list of counters
[ $front = ours ] && counters_snap /run/warm xvda_stat $OURS
# shellcheck disable=SC2086
rig_fio meas $job --runtime="$RT" || rc=1
if [ $front = ours ]; then
	# shellcheck disable=SC2086
	counters_snap /run/meas xvda_stat $OURS
	r=$(counters_delta /run/warm /run/meas rd_req)
	rig_res front.requests "$r"
	for c in notify_sent notify_suppressed pool_fresh; do
		rig_res "front.$c.per_req" "$(per_req "$(counters_delta /run/warm /run/meas $c)" "$r")"
	done
	[ "$(counters_delta /run/warm /run/meas errors)" = 0 ] || { echo "requests failed"; rc=1; }
fi
echo "RIG-PHASE meas"
sleep 5
exit $rc
