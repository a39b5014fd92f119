#!/bin/bash
# back-stockfront: the stock Linux xen-blkfront in the guest against
# xen-blkmq-back in dom0, over every transport setting blkfront negotiates.
# requires: xen-blkmq-back.ko (this tree) in dom0, stock xen-blkfront in the
#   guest; null_blk in dom0.
# checks: for 1 and 2 queues x blkfront feature_persistent 1/0 x ring order
#   0/4 (the guest reloads blkfront, so the backend also goes through a full
#   disconnect and reconnect each time): fio 4k randrw and 64k..1M sequential
#   mixed read/write with crc32c verify, 0 errors; the queue count the guest
#   got; persistent grants used only when both sides offer them; our
#   backend's grant maps per request; nothing mapped once the guest is gone;
#   the module unloads.
# timeout: 900
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

nullb_add vrf 1024 memory_backed=1 || exit 1
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
BE=/sys/bus/xen-backend/drivers/vbd

guest_start sfront back-stockfront - 2 'phy:/dev/vrf,xvda,w'
vbd_wait_state sfront 51712 4 240 || fail "vbd never reached Connected"
# After each setting the guest prints RIG-PHASE and pauses: snapshot what
# our backend negotiated and counted for that connection.
phase() {
	local d c
	d=$(find /sys/bus/xen-backend/devices/ -maxdepth 1 -name "vbd-*-51712" | head -n 1)
	[ -n "$d" ] || { fail "$1: backend device missing"; return; }
	res "$1.back.nr_queues" "$(cat "$d/nr_queues")"
	res "$1.back.persistent" "$(cat "$d/persistent")"
	for c in rd_req wr_req map_ops map_calls unmap_ops pgnt_hit pgnt_miss \
		pgnt_evict notify irq spurious errors; do
		res "$1.back.$c" "$(cat "$d/statistics/$c")"
	done
	# persistent grants only when both sides offer them (we always do here)
	case $1 in
	*p1*) [ "$(cat "$d/persistent")" = 1 ] || fail "$1: persistent not used" ;;
	*p0*) [ "$(cat "$d/persistent")" = 0 ] || fail "$1: persistent used though blkfront declined" ;;
	esac
}
guest_phases sfront phase
guest_wait sfront 60
[ -d "$BE" ] || fail "our vbd driver is not registered"
# the device is gone with the guest: nothing of it may stay mapped
sleep 1
left=$(cat "$BE/grants_mapped")
res grants_mapped_after "$left"
[ "$left" = 0 ] || fail "$left grants still mapped after the guest is gone"
if ! rmmod xen-blkmq-back; then
	fail "xen-blkmq-back does not unload after the guest is gone"
fi
nullb_del vrf
