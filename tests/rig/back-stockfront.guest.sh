#!/bin/sh
# Guest half of back-stockfront: blkfront was loaded with this guest's
# options (rig.mods); check what it got and verify data.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
q=$(cat /sys/module/xen_blkfront/parameters/max_queues)
o=$(cat /sys/module/xen_blkfront/parameters/max_ring_page_order)
p=$(tr YN 10 < /sys/module/xen_blkfront/parameters/feature_persistent)
t="q${q}p${p}o${o}"
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "$t: no xvda"; exit 1; }
hq=$(find /sys/block/xvda/mq -mindepth 1 -maxdepth 1 | wc -l)
rig_res "$t.hw_queues" "$hq"
[ "$hq" = "$q" ] || { echo "$t: $hq hardware queues, wanted $q"; rc=1; }
rig_fio "$t.rand4k" --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=16 --numjobs=1 --size=8m --offset=64m \
	--verify=crc32c --verify_fatal=1 --randrepeat=1 || rc=1
rig_fio "$t.seqmix" --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=rw --bsrange=64k-1m --iodepth=8 --numjobs=1 --size=24m --offset=128m \
	--verify=crc32c --verify_fatal=1 || rc=1
# 4k random reads at depth 32 for the notification counters dom0 reads
rig_fio "$t.qd32" --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randread --bs=4k --iodepth=32 --numjobs=1 --size=64m \
	--runtime=2 --time_based || rc=1
dmesg | grep 'blkfront: xvda' | tail -n 1 | sed "s/^/RIG-GUEST-$t: /"
rig_phase "$t"
rig_phase_wait || rc=1
exit $rc
