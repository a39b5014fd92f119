#!/bin/sh
# Guest half of qdisk-smoke: what blk-mq made of each qdisk disk, randrw
# with fsync and verify, then discard reading back as zeros.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
wait_until 30 test -b /dev/xvda -a -b /dev/xvdb
if [ ! -b /dev/xvda ] || [ ! -b /dev/xvdb ]; then
	echo "disks missing"
	exit 1
fi
dmesg | grep -E 'blkfront: xv' | sed 's/^/RIG-GUEST-DMESG: /'
rc=0
for d in xvda xvdb; do
	q=/sys/block/$d/queue
	wc=$(cat $q/write_cache)
	dmax=$(cat $q/discard_max_bytes)
	rig_res $d.hw_queues "$(find /sys/block/$d/mq -mindepth 1 -maxdepth 1 | wc -l)"
	rig_res $d.max_segments "$(cat $q/max_segments)"
	rig_res $d.max_sectors_kb "$(cat $q/max_sectors_kb)"
	rig_res $d.write_cache "$(echo "$wc" | tr ' ' _)"
	rig_res $d.discard_max_bytes "$dmax"
	rig_res $d.logical_block_size "$(cat $q/logical_block_size)"
	rig_res $d.sectors "$(cat /sys/block/$d/size)"
	[ "$wc" = "write back" ] || { echo "$d: no write cache (flush not offered)"; rc=1; }
	[ "$dmax" -gt 0 ] || { echo "$d: discard not offered"; rc=1; }
done
for d in xvda xvdb; do
	rig_fio $d.randrw --filename=/dev/$d --direct=1 --ioengine=libaio \
		--rw=randrw --bsrange=4k-64k --iodepth=8 --size=32m --fsync=8 \
		--verify=crc32c --verify_fatal=1 || rc=1
	# fio wrote the first 32 MiB: discard 2 MiB of it
	blkdiscard -o $((8 << 20)) -l $((2 << 20)) /dev/$d || { echo "$d: blkdiscard failed"; rc=1; }
	dd if=/dev/$d of=/run/d.bin bs=1M skip=8 count=2 iflag=direct 2>/dev/null
	if cmp -n $((2 << 20)) /dev/zero /run/d.bin; then
		rig_res $d.discard_zeroes 1
	else
		rig_res $d.discard_zeroes 0
		echo "$d: discarded range does not read back as zeros"
		rc=1
	fi
done
exit $rc
