#!/bin/sh
# Guest half of back-features.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
modprobe xen-blkfront || exit 1
wait_until 30 test -b /dev/xvda -a -b /dev/xvdb -a -b /dev/xvdc
for d in xvda xvdb xvdc; do [ -b /dev/$d ] || { echo "no /dev/$d"; exit 1; }; done
dmesg | grep 'blkfront: xv' | sed 's/^/RIG-GUEST-DMESG: /'

# flush: a write-back cache must be visible, and fsync'd writes verify
wc=$(cat /sys/block/xvda/queue/write_cache)
rig_res xvda.write_cache "$wc"
[ "$wc" = "write back" ] || { echo "xvda: no write cache (flush not offered)"; rc=1; }
rig_fio fsync --filename=/dev/xvda --ioengine=sync --rw=randwrite --bs=4k \
	--size=4m --fsync=4 --verify=crc32c --verify_fatal=1 || rc=1

# discard: offered, and what was discarded reads back as zeros
dmax=$(cat /sys/block/xvda/queue/discard_max_bytes)
rig_res xvda.discard_max_bytes "$dmax"
[ "$dmax" -gt 0 ] || { echo "xvda: discard not offered"; rc=1; }
echo "RIG-GUEST: writing then discarding 2 MiB at 8 MiB"
dd if=/dev/urandom of=/dev/xvda bs=1M seek=8 count=2 oflag=direct 2>/dev/null
echo "RIG-GUEST: written"
blkdiscard -o $((8 << 20)) -l $((2 << 20)) /dev/xvda || { echo "blkdiscard failed"; rc=1; }
dd if=/dev/xvda of=/run/d.bin bs=1M skip=8 count=2 iflag=direct 2>/dev/null
if cmp -n $((2 << 20)) /dev/zero /run/d.bin; then
	rig_res discard_zeroes 1
else
	rig_res discard_zeroes 0
	echo "discarded range does not read back as zeros"
	rc=1
fi

# 4096-byte logical sectors
lbs=$(cat /sys/block/xvdb/queue/logical_block_size)
rig_res xvdb.logical_block_size "$lbs"
[ "$lbs" = 4096 ] || { echo "xvdb: logical block size $lbs"; rc=1; }
rig_fio sect4k --filename=/dev/xvdb --direct=1 --ioengine=libaio --rw=randrw \
	--bsrange=4k-64k --iodepth=8 --size=32m --verify=crc32c --verify_fatal=1 || rc=1

# resize: dom0 grows xvdc while we watch
old=$(cat /sys/block/xvdc/size)
rig_res xvdc.sectors_before "$old"
rig_phase "grow"
# shellcheck disable=SC2317 # called through wait_until
grown() { [ "$(cat /sys/block/xvdc/size)" != "$old" ]; }
wait_until 60 grown
new=$(cat /sys/block/xvdc/size)
rig_res xvdc.sectors_after "$new"
if [ "$new" -le "$old" ]; then
	echo "xvdc: size stayed $old"
	rc=1
else
	rig_fio grown --filename=/dev/xvdc --direct=1 --ioengine=libaio --rw=randwrite \
		--bs=4k --iodepth=8 --offset=$((old * 512)) --size=8m --verify=crc32c \
		--verify_fatal=1 || rc=1
fi
rig_phase "done"
rig_phase_wait || rc=1
exit $rc
