#!/bin/sh
# Guest half of front-backs: xen-blkmq-front was loaded with this guest's
# options (rig.mods); check what it negotiated and verify data on xvda.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
P=/sys/module/xen_blkmq_front/parameters
D=/sys/bus/xen/devices/vbd-51712
q=$(cat $P/max_queues)
o=$(cat $P/max_ring_page_order)
p=$(tr YN 10 < $P/feature_persistent)
i=$(cat $P/max_indirect_segments)
tr=$(tr YN 10 < $P/trusted)
t="q${q}o${o}p${p}i${i}t${tr}"
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "$t: no xvda"; exit 1; }
hq=$(find /sys/block/xvda/mq -mindepth 1 -maxdepth 1 | wc -l)
nq=$(cat $D/nr_queues)
for k in nr_queues ring_order persistent max_segments trusted flush_op; do
	rig_res "$t.$k" "$(cat $D/$k)"
done
rig_res "$t.hw_queues" "$hq"
[ "$hq" = "$nq" ] || { echo "$t: $hq hardware queues for $nq rings"; rc=1; }
[ "$nq" -le "$q" ] || { echo "$t: $nq rings, more than max_queues $q"; rc=1; }
[ "$(cat $D/ring_order)" -le "$o" ] || { echo "$t: ring order above $o"; rc=1; }
if [ "$p" = 0 ] || [ "$tr" = 0 ]; then
	[ "$(cat $D/persistent)" = 0 ] || { echo "$t: persistent grants in use"; rc=1; }
fi
if [ "$i" -le 11 ]; then
	[ "$(cat $D/max_segments)" = 11 ] || { echo "$t: indirect requests in use"; rc=1; }
fi
rig_fio "$t.rand4k" --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=16 --numjobs=2 --size=8m --offset=64m \
	--offset_increment=16m --verify=crc32c --verify_fatal=1 \
	--randrepeat=1 || rc=1
rig_fio "$t.seqmix" --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=rw --bsrange=64k-1m --iodepth=8 --numjobs=1 --size=24m \
	--offset=128m --verify=crc32c --verify_fatal=1 || rc=1
# buffered I/O through the page cache, unaligned to the request size
rig_fio "$t.buffered" --filename=/dev/xvda --ioengine=psync --rw=write \
	--bs=6k --size=6m --offset=200m --verify=crc32c --verify_fatal=1 \
	--end_fsync=1 || rc=1
# the device's counters (summed over its rings)
for c in rd_req wr_req f_req responses notify_sent notify_suppressed \
	pool_hits pool_fresh bounces direct ring_full errors; do
	rig_res "$t.front.$c" "$(fe_stat $c $D)"
done
rig_res "$t.front.pgrants" "$(cat $D/pgrants)"
[ "$(cat $D/trusted)" = 1 ] || [ "$(fe_stat bounces $D)" -gt 0 ] ||
	{ echo "$t: untrusted backend but no bounce pages"; rc=1; }
err=$(fe_stat errors $D)
[ "$err" = 0 ] || { echo "$t: $err requests failed"; rc=1; }
dmesg | grep 'xen-blkmq-front\|vbd-51712' | tail -n 3 | sed "s/^/RIG-GUEST-$t: /"
rig_phase "$t"
rig_phase_wait || rc=1
exit $rc
