#!/bin/sh
# Guest half of cmp-back: a warm-up and a measured 4k randread QD32x2 run
# of the same length (blkfront grows its grant pool with the queue depth);
# blkfront's feature_persistent comes from this guest's module options.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
RT=${RIG_FIO_RUNTIME:-10}
p=$(tr YN 10 < /sys/module/xen_blkfront/parameters/feature_persistent)
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
rc=0
job="--filename=/dev/xvda --direct=1 --ioengine=libaio --rw=randread --bs=4k --iodepth=32 --numjobs=2 --time_based --size=1g"
# shellcheck disable=SC2086 # job is a list of options
rig_fio "warm-p$p" $job --runtime="$RT" || rc=1
echo "RIG-PHASE warm-p$p"
sleep 5
# shellcheck disable=SC2086
rig_fio "meas-p$p" $job --runtime="$RT" || rc=1
echo "RIG-PHASE meas-p$p"
sleep 5
exit $rc
