#!/bin/bash
# front-soak: the endurance run behind `make soak`.  RIG_SOAK_CYCLES (10
# unless `make soak N=...` says otherwise) saves and restores of a guest
# that runs crc32c-verifying writes without pause on a slow disk (null_blk
# completes each request after 300 ms, so requests are in flight at every
# save), with xen-blkmq-back in dom0 changing the ring count before every
# third cycle (2 -> 1 -> 2 ...).  First a xen-blkmq-front guest, then, as
# the control, a stock xen-blkfront guest through exactly the same
# sequence on the same kind of disk.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko in dom0.
# checks: every cycle's save and restore succeeds and the guest sees them
#   all; no verifying round fails; no request errors; nothing mapped once
#   the guests are gone.  Reports SOAK|front|cycles done|resubmitted|errors.
# timeout: 9000
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

N=${RIG_SOAK_CYCLES:-10}
res cycles_wanted "$N"
nullb_add sk 512 memory_backed=1 irqmode=2 completion_nsec=300000000 || exit 1
insmod /rig/modules/xen-blkmq-back.ko max_queues=2 ||
	{ fail "insmod xen-blkmq-back"; exit 1; }

# the ring count changes before cycles 3, 6, 9, ...: to 1, then 2, ...
changes=
q=1
for k in $(seq 3 3 "$N"); do
	changes="$changes $k:$q"
	q=$((3 - q))
done

# guest_value NAME KEY: a RIGRES value the guest printed
guest_value() {
	tr -d '\r' < "/var/log/xen/console/guest-$1.log" | sed -n "s/^RIGRES|$2|//p" | tail -n 1
}

# soak NAME FRONT: one guest through the whole sequence
soak() {
	local name=$1 front=$2 t0=$SECONDS
	echo 2 > /sys/module/xen_blkmq_back/parameters/max_queues
	RIG_GUEST_EXTRA="$RIG_GUEST_EXTRA rig.resumes=$N" RIG_GUEST_MEM=384 \
		guest_start "$name" front-saverestore "$front" 2 'phy:/dev/sk,xvda,w'
	save_restore "$name" "$N" "$changes"
	guest_wait_gone "$name" 900
	guest_collect "$name"
	[ "$SR_DONE" = "$N" ] || fail "$front: $SR_DONE of $N cycles"
	echo "SOAK|$front|cycles $SR_DONE/$N|resubmitted $(guest_value "$name" resubmitted)|failed rounds $(guest_value "$name" failed_rounds)|request errors $(guest_value "$name" front.errors)|clockevents warnings $(guest_value "$name" clockevents_warning)|tick stopped samples $(guest_value "$name" clockevents_stopped_samples)|$((SECONDS - t0))s"
	res "$name.cycles_done" "$SR_DONE"
	vbd_wait_gone 60 || fail "backend devices left after $name"
	[ "$(vbd_mapped)" = 0 ] || fail "$(vbd_mapped) grants mapped after $name"
}

soak sours xen-blkmq-front
soak sstock xen-blkfront
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del sk
