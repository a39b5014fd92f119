#!/bin/bash
# demo: the stock pair and our pair side by side in one boot, on the same
# null_blk devices: stock xen-blkfront x stock xen-blkback, then
# xen-blkmq-front x xen-blkmq-back (2 vCPUs, default options); and dom0's
# own ceiling on the device.
# requires: xen-blkback and xen-blkmq-back.ko in dom0, xen-blkfront and
#   xen-blkmq-front.ko in the guests; null_blk.
# checks: each pair connects and both ends write their keys (recorded);
#   fio 4k randread QD32x2, a warm-up then a measured run of the same
#   length; randwrite+verify crc32c with verify_fatal (0 errors); for our
#   pair, per request of the measured run: grant maps, unmaps and
#   notifications of the backend, notifications and fresh grants of the
#   frontend; both pairs' event-channel interrupts per request in the
#   guest; clean dmesg.  No speed threshold: make demo prints the ratio.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
RT=${RIG_FIO_RUNTIME:-10}

nullb_add vrf 1024 memory_backed=1 || exit 1
nullb_add spd 4096 || exit 1

# shellcheck disable=SC2317 # called through counters_snap
xvdb_stat() { be_stat "$1" "$guest" 51728; }
phase() {
	[ "$pair" = ours ] || return 0
	counters_snap "$RIG_DIR/demo.$1" xvdb_stat rd_req map_ops unmap_ops notify
	[ "$1" = meas ] || return 0
	reqs=$(counters_delta "$RIG_DIR/demo.warm" "$RIG_DIR/demo.meas" rd_req)
	res "$pair.back.requests" "$reqs"
	for c in map_ops unmap_ops notify; do
		res "$pair.back.$c.per_req" \
			"$(per_req "$(counters_delta "$RIG_DIR/demo.warm" "$RIG_DIR/demo.meas" $c)" "$reqs")"
	done
}

for pair in stock ours; do
	guest=$pair
	if [ $pair = stock ]; then
		modprobe xen-blkback || { fail "modprobe xen-blkback"; exit 1; }
		front=xen-blkfront
	else
		insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
		front=xen-blkmq-front
	fi
	guest_start "$guest" demo "$front" 2 'phy:/dev/vrf,xvda,w' 'phy:/dev/spd,xvdb,w'
	if vbd_wait_state "$guest" 51712 4 180 && vbd_wait_state "$guest" 51728 4 60; then
		vbd_record "$guest" 51728 "$pair.xvdb"
	else
		fail "$pair: the vbds did not reach Connected"
	fi
	guest_phases "$guest" phase
	guest_wait "$guest" 300
	vbd_wait_gone 60 || fail "$pair: backend devices left after the guest"
	if [ $pair = stock ]; then
		modprobe -r xen-blkback || fail "xen-blkback did not unload"
	else
		rig_rmmod xen-blkmq-back || fail "xen-blkmq-back did not unload"
	fi
done

# dom0's ceiling: the same job on the raw device, guests gone
expect "dom0 randread on /dev/spd" rig_fio dom0_randread --filename=/dev/spd \
	--direct=1 --ioengine=libaio --rw=randread --bs=4k --iodepth=32 --numjobs=2 \
	--runtime="$RT" --time_based --size=1g
nullb_del vrf
nullb_del spd
