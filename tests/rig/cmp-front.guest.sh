#!/bin/sh
# Guest half of cmp-front: a warm-up and a measured 4k randread QD32x2 run
# of the same length with whichever frontend rig.mods loaded; with
# xen-blkmq-front, its per-request counters over the measured run.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
RT=${RIG_FIO_RUNTIME:-10}
D=/sys/bus/xen/devices/vbd-51712
i=0
while [ ! -b /dev/xvda ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
front=stock
[ -d /sys/module/xen_blkmq_front ] && front=ours
sum() { # sum COUNTER: over our frontend's rings
	_s=0
	for _f in "$D"/queue-*/"$1"; do _s=$((_s + $(cat "$_f"))); done
	echo "$_s"
}
snap() { for c in requests notify_sent notify_suppressed pool_fresh errors; do echo "$c $(sum $c)"; done > "/run/snap.$1"; }
delta() { echo $(( $(grep "^$1 " /run/snap.meas | cut -d' ' -f2) - $(grep "^$1 " /run/snap.warm | cut -d' ' -f2) )); }
rc=0
job="--filename=/dev/xvda --direct=1 --ioengine=libaio --rw=randread --bs=4k --iodepth=32 --numjobs=2 --time_based --size=1g"
# shellcheck disable=SC2086 # job is a list of options
rig_fio warm $job --runtime="$RT" || rc=1
echo "RIG-PHASE warm"
sleep 5
[ $front = ours ] && snap warm
# shellcheck disable=SC2086
rig_fio meas $job --runtime="$RT" || rc=1
if [ $front = ours ]; then
	snap meas
	r=$(delta requests)
	rig_res front.requests "$r"
	for c in notify_sent notify_suppressed pool_fresh; do
		rig_res "front.$c.per_req" "$(awk -v d="$(delta $c)" -v r="$r" 'BEGIN { printf "%.4f", r ? d / r : -1 }')"
	done
	[ "$(delta errors)" = 0 ] || { echo "requests failed"; rc=1; }
fi
echo "RIG-PHASE meas"
sleep 5
exit $rc
