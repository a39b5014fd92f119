#!/bin/bash
# cmp-back: the stock pair and xen-blkmq-back on the same workload in one
# boot: stock xen-blkfront in the guest, first against stock xen-blkback,
# then against ours; persistent grants on, then off (one guest each).
# requires: xen-blkback and xen-blkmq-back.ko in dom0; null_blk.
# checks: every fio run ends without error; with persistent grants our
#   backend maps (almost) no grant in steady state (fewer than one map
#   operation per 100 requests, against one per request without them),
#   and unmaps and evicts none; reports IOPS of both
#   backends and, from our counters, grant maps, unmaps and notifications per
#   request in the measured interval.  No speed threshold: the numbers are
#   for comparison (tools/bench).
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

nullb_add spd 4096 || exit 1

# delta LABEL_FROM LABEL_TO COUNTER: how much COUNTER grew between snapshots
delta() { counters_delta "$RIG_DIR/snap.$1" "$RIG_DIR/snap.$2" "$3"; }
phase() {
	local c p reqs maps
	counters_snap "$RIG_DIR/snap.$1" be_stat rd_req wr_req map_ops unmap_ops \
		notify irq pgnt_hit pgnt_evict
	case $1 in
	ours.meas-*)
		p=${1#ours.meas-}
		reqs=$(delta "ours.warm-$p" "$1" rd_req)
		res "ours.$p.requests" "$reqs"
		for c in map_ops unmap_ops notify irq; do
			res "ours.$p.$c.per_req" "$(per_req "$(delta "ours.warm-$p" "$1" "$c")" "$reqs")"
		done
		maps=$(delta "ours.warm-$p" "$1" map_ops)
		res "ours.$p.map_ops" "$maps"
		res "ours.$p.evictions" "$(delta "ours.warm-$p" "$1" pgnt_evict)"
		# With persistent grants a grant is mapped once: in steady state
		# only grants the frontend never used before may be mapped (it
		# grows its pool with the queue depth, a few map operations
		# per 10000 requests), none is unmapped or evicted, and map
		# operations stay below one per 100 requests (without
		# persistent grants there is one per request).
		if [ "$p" = p1 ]; then
			[ "$(delta "ours.warm-$p" "$1" pgnt_evict)" = 0 ] ||
				fail "persistent grants evicted in steady state"
			[ "$(delta "ours.warm-$p" "$1" unmap_ops)" = 0 ] ||
				fail "persistent grants unmapped in steady state"
			[ $((maps * 100)) -lt "$reqs" ] ||
				fail "persistent grants on, yet $maps maps for $reqs requests"
		fi
		;;
	esac
}
phase_stock() { phase "stock.$1"; }
phase_ours() { phase "ours.$1"; }

# run_pair WHO: one guest with persistent grants on, one with them off
run_pair() {
	local p
	for p in 1 0; do
		guest=cmp$1$p
		guest_start "$guest" cmp-back "xen-blkfront:feature_persistent=$p" 2 \
			'phy:/dev/spd,xvda,w'
		guest_phases "$guest" "phase_$1"
		guest_wait "$guest" 60
	done
}

modprobe xen-blkback || { fail "modprobe xen-blkback"; exit 1; }
run_pair stock
modprobe -r xen-blkback || fail "xen-blkback does not unload"

insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
run_pair ours
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del spd
