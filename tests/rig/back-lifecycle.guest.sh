#!/bin/sh
# Guest half of back-lifecycle: keep I/O going while dom0 pulls the disk,
# verify a newly attached one, then keep I/O going until dom0 destroys us.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
modprobe xen-blkfront || exit 1
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || exit 1
fio --name=bg1 --filename=/dev/xvda --direct=1 --ioengine=libaio --rw=randrw \
	--bs=4k --iodepth=16 --time_based --runtime=600 --size=64m \
	--output=/run/bg1.txt > /dev/null 2>&1 &
sleep 3
echo "RIG-PHASE io1"
wait_until 180 test -b /dev/xvdb
[ -b /dev/xvdb ] || { echo "re-attached disk never appeared"; exit 1; }
rig_fio reattach --filename=/dev/xvdb --direct=1 --ioengine=libaio --rw=randrw \
	--bs=4k --iodepth=16 --size=16m --verify=crc32c --verify_fatal=1
fio --name=bg2 --filename=/dev/xvdb --direct=1 --ioengine=libaio --rw=randrw \
	--bs=64k --iodepth=16 --time_based --runtime=600 --size=64m \
	--output=/run/bg2.txt > /dev/null 2>&1 &
sleep 2
echo "RIG-PHASE io2"
sleep 600
