#!/bin/sh
# Guest half of back-stockfront: reload the stock blkfront with each
# setting and verify data each time.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
n=0
for q in 1 2; do
	for p in 1 0; do
		for o in 0 4; do
			n=$((n + 1))
			t="q${q}p${p}o${o}"
			modprobe -r xen-blkfront 2>/dev/null
			modprobe xen-blkfront max_queues=$q feature_persistent=$p \
				max_ring_page_order=$o || { rc=1; continue; }
			i=0
			while [ ! -b /dev/xvda ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
			[ -b /dev/xvda ] || { echo "$t: no xvda"; rc=1; continue; }
			hq=$(find /sys/block/xvda/mq -mindepth 1 -maxdepth 1 | wc -l)
			rig_res "$t.hw_queues" "$hq"
			[ "$hq" = "$q" ] || { echo "$t: $hq hardware queues, wanted $q"; rc=1; }
			rig_fio "$t.rand4k" --filename=/dev/xvda --direct=1 --ioengine=libaio \
				--rw=randrw --bs=4k --iodepth=16 --numjobs=1 --size=8m \
				--offset=$(( n * 64 ))m --verify=crc32c --verify_fatal=1 \
				--randrepeat=1 || rc=1
			rig_fio "$t.seqmix" --filename=/dev/xvda --direct=1 --ioengine=libaio \
				--rw=rw --bsrange=64k-1m --iodepth=8 --numjobs=1 --size=24m \
				--offset=$(( n * 64 + 16 ))m --verify=crc32c --verify_fatal=1 || rc=1
			dmesg | grep 'blkfront: xvda' | tail -n 1 | sed "s/^/RIG-GUEST-$t: /"
			echo "RIG-PHASE $t"
			sleep 2
		done
	done
done
modprobe -r xen-blkfront
exit $rc
