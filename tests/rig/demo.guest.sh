#!/bin/sh
# Guest half of demo: what blk-mq made of xvdb, a warm-up and a measured
# 4k randread QD32x2 on xvdb, then write+verify on xvda, with whichever
# frontend rig.mods loaded; the measured run's event-channel interrupts per
# request, and with xen-blkmq-front its own per-request counters.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
RT=${RIG_FIO_RUNTIME:-10}
D=/sys/bus/xen/devices/vbd-51728
wait_until 30 test -b /dev/xvda -a -b /dev/xvdb || { echo "disks missing"; exit 1; }
front=stock
[ -d /sys/module/xen_blkmq_front ] && front=ours
rig_res kernel "$(uname -r)"
rig_res hw_queues "$(find /sys/block/xvdb/mq -mindepth 1 -maxdepth 1 | wc -l)"
rig_res max_segments "$(cat /sys/block/xvdb/queue/max_segments)"
rig_res max_sectors_kb "$(cat /sys/block/xvdb/queue/max_sectors_kb)"
# xvdb_stat COUNTER: ours from statistics/; reads and event-channel
# interrupts of xvdb's rings for either frontend (stock blkfront names
# every ring's "blkif": xvda's are idle meanwhile)
# shellcheck disable=SC2317 # called through counters_snap
xvdb_stat() {
	case $1 in
	reads) awk '{ print $1 }' /sys/block/xvdb/stat ;;
	evtchn_irqs)
		awk '/ (blkif|blkmq-51728-q[0-9]+)$/ { for (i = 2; i <= 3; i++) s += $i } END { print s + 0 }' /proc/interrupts ;;
	*) fe_stat "$1" "$D" ;;
	esac
}
OURS="rd_req notify_sent pool_fresh errors"
rc=0
job="--filename=/dev/xvdb --direct=1 --ioengine=libaio --rw=randread --bs=4k --iodepth=32 --numjobs=2 --time_based --size=1g"
# shellcheck disable=SC2086 # job is a list of options
rig_fio warm $job --runtime="$RT" || rc=1
echo "RIG-PHASE warm"
sleep 3
# shellcheck disable=SC2086 # OURS is a list of counters
if [ $front = ours ]; then counters_snap /run/warm xvdb_stat reads evtchn_irqs $OURS; else counters_snap /run/warm xvdb_stat reads evtchn_irqs; fi
# shellcheck disable=SC2086
rig_fio randread $job --runtime="$RT" || rc=1
# shellcheck disable=SC2086
if [ $front = ours ]; then counters_snap /run/meas xvdb_stat reads evtchn_irqs $OURS; else counters_snap /run/meas xvdb_stat reads evtchn_irqs; fi
r=$(counters_delta /run/warm /run/meas reads)
rig_res front.reads "$r"
rig_res front.evtchn_irqs.per_req "$(per_req "$(counters_delta /run/warm /run/meas evtchn_irqs)" "$r")"
if [ $front = ours ]; then
	for c in notify_sent pool_fresh; do
		rig_res "front.$c.per_req" "$(per_req "$(counters_delta /run/warm /run/meas $c)" "$r")"
	done
	[ "$(counters_delta /run/warm /run/meas errors)" = 0 ] || { echo "requests failed"; rc=1; }
fi
echo "RIG-PHASE meas"
sleep 3
rig_fio verify --filename=/dev/xvda --direct=1 --ioengine=libaio --rw=randwrite \
	--bs=4k --iodepth=16 --size=32m --verify=crc32c --do_verify=1 \
	--verify_fatal=1 --randrepeat=1 || rc=1
exit $rc
