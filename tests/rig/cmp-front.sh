#!/bin/bash
# cmp-front: the four pairings of frontend and backend on the same workload
# in one boot: stock xen-blkfront x stock xen-blkback, xen-blkmq-front x
# stock xen-blkback, stock xen-blkfront x xen-blkmq-back and xen-blkmq-front
# x xen-blkmq-back (one guest each, default module options: persistent
# grants on, as many queues as vCPUs).
# requires: xen-blkback and xen-blkmq-back.ko in dom0, xen-blkfront and
#   xen-blkmq-front.ko in the guests; null_blk.
# checks: every fio run ends without error; reports each pairing's IOPS
#   over a measured run after an equally long warm-up, and per request,
#   from our counters: notifications sent and suppressed and fresh grants
#   (frontend), grant maps, unmaps and notifications (backend).  No speed
#   threshold: the numbers are for comparison (tools/bench/cmp-front.sh).
# timeout: 900
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

nullb_add spf 4096 || exit 1

phase() {
	local c reqs
	[ "$back" = ours ] || return 0
	counters_snap "$RIG_DIR/snap.$1" be_stat rd_req map_ops unmap_ops notify irq
	[ "$1" = meas ] || return 0
	reqs=$(counters_delta "$RIG_DIR/snap.warm" "$RIG_DIR/snap.meas" rd_req)
	res "$guest.back.requests" "$reqs"
	for c in map_ops unmap_ops notify irq; do
		res "$guest.back.$c.per_req" \
			"$(per_req "$(counters_delta "$RIG_DIR/snap.warm" "$RIG_DIR/snap.meas" $c)" "$reqs")"
	done
}
run_fronts() {
	local f
	for f in stock ours; do
		guest=cf-$f-$back
		if [ $f = stock ]; then mods=xen-blkfront; else mods=xen-blkmq-front; fi
		guest_start "$guest" cmp-front "$mods" 2 'phy:/dev/spf,xvda,w'
		guest_phases "$guest" phase
		guest_wait "$guest" 120
	done
}

back=stock
modprobe xen-blkback || { fail "modprobe xen-blkback"; exit 1; }
run_fronts
vbd_wait_gone 60 || fail "backend devices left after the guests"
modprobe -r xen-blkback || fail "xen-blkback does not unload"

back=ours
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
run_fronts
vbd_wait_gone 60 || fail "backend devices left after the guests"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del spf
