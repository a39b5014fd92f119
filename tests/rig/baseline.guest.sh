#!/bin/sh
# Guest half of the baseline scenario: randread speed on xvdb, write+verify
# on xvda, and what blk-mq made of the negotiated device.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
RT=${RIG_FIO_RUNTIME:-10}
wait_until 30 test -b /dev/xvda -a -b /dev/xvdb
if [ ! -b /dev/xvda ] || [ ! -b /dev/xvdb ]; then
	echo "disks missing"
	exit 1
fi
rig_res hw_queues "$(find /sys/block/xvdb/mq -mindepth 1 -maxdepth 1 | wc -l)"
rig_res max_segments "$(cat /sys/block/xvdb/queue/max_segments)"
rig_res max_sectors_kb "$(cat /sys/block/xvdb/queue/max_sectors_kb)"
rig_res nr_requests "$(cat /sys/block/xvdb/queue/nr_requests)"
dmesg | grep -E 'blkfront: xv' | sed 's/^/RIG-GUEST-DMESG: /'
rc=0
rig_fio randread --filename=/dev/xvdb --direct=1 --ioengine=libaio --rw=randread \
	--bs=4k --iodepth=32 --numjobs=2 --runtime="$RT" --time_based --size=1g || rc=1
rig_fio verify --filename=/dev/xvda --direct=1 --ioengine=libaio --rw=randwrite \
	--bs=4k --iodepth=16 --size=32m --verify=crc32c --do_verify=1 \
	--verify_fatal=1 --randrepeat=1 || rc=1
exit $rc
