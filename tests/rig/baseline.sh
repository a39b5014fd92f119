#!/bin/bash
# baseline: stock xen-blkfront x stock xen-blkback on null_blk, and dom0's
# own ceiling on the same device.
# requires: stock xen-blkback in dom0 and xen-blkfront in the guest.
# checks: the vbd connects and both ends write the negotiated keys; fio 4k
#   randread QD32 on a non-memory-backed null_blk; fio randwrite+verify
#   crc32c with verify_fatal on a memory-backed null_blk (0 errors); the same
#   randread in dom0 on the raw device; clean dmesg in both domains.
# timeout: 420
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
RT=${RIG_FIO_RUNTIME:-10}

nullb_add vrf 1024 memory_backed=1 || exit 1
nullb_add spd 4096 || exit 1
modprobe xen-blkback || { fail "modprobe xen-blkback"; exit 1; }

guest_start base baseline xen-blkfront 2 'phy:/dev/vrf,xvda,w' 'phy:/dev/spd,xvdb,w'
if vbd_wait_state base 51712 4 180 && vbd_wait_state base 51728 4 60; then
	vbd_record base 51712 xvda
else
	fail "vbd did not reach Connected"
fi
guest_wait base 400

# dom0's ceiling: the same job on the raw device, guest gone.
expect "dom0 randread on /dev/spd" rig_fio dom0_randread --filename=/dev/spd \
	--direct=1 --ioengine=libaio --rw=randread --bs=4k --iodepth=32 --numjobs=2 \
	--runtime="$RT" --time_based --size=1g

modprobe -r xen-blkback || fail "xen-blkback did not unload"
nullb_del vrf
nullb_del spd
