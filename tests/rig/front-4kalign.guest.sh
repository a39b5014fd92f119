#!/bin/sh
# Guest half of front-4kalign: direct I/O from buffers aligned to 512
# bytes but not 4096 on a disk of 4096-byte sectors.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
D=/sys/bus/xen/devices/vbd-51712
Q=/sys/block/xvda/queue
n=0
while [ ! -b /dev/xvda ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
rig_res logical_block_size "$(cat $Q/logical_block_size)"
rig_res dma_alignment "$(cat $Q/dma_alignment 2>/dev/null || echo none)"
[ "$(cat $Q/logical_block_size)" = 4096 ] || { echo "logical blocks of $(cat $Q/logical_block_size) bytes, not 4096"; rc=1; }
# fio's mem_align=512 puts every buffer 512 bytes past a page boundary
rig_fio misaligned --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=4k --iodepth=8 --size=8m --mem_align=512 \
	--verify=crc32c --verify_fatal=1
line=$(grep '^3;' /run/fio-misaligned.txt | tail -n 1)
err=$(echo "$line" | cut -d';' -f5)
case $err in
0) echo "misaligned direct I/O succeeded and verified" ;;
22) echo "misaligned direct I/O refused with EINVAL by the block layer" ;;
*) echo "misaligned direct I/O failed with error ${err:-none}, not EINVAL"; rc=1 ;;
esac
rig_fio aligned --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=4k --iodepth=8 --size=8m --offset=16m \
	--verify=crc32c --verify_fatal=1 || rc=1
e=0
for f in "$D"/queue-*/errors; do e=$((e + $(cat "$f"))); done
rig_res front.errors "$e"
[ "$e" = 0 ] || { echo "$e requests failed"; rc=1; }
dmesg | grep 'xen-blkmq-front\|vbd-51712\|I/O error' | tail -n 4 | sed 's/^/RIG-GUEST-DMESG: /'
exit $rc
