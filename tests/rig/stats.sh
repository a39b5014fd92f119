#!/bin/bash
# stats: the statistics both modules keep, and blkmq-stat, which shows them.
# requires: xen-blkmq-back.ko in dom0, xen-blkmq-front.ko (2 rings) in the
#   guest, null_blk; /rig/blkmq-stat in both.
# checks: a verifying 4k random write of 8 MiB counts exactly 16384
#   sectors written and 16384 read (the verify pass) in each side's
#   statistics/, and as many requests on the backend as the frontend sent;
#   every statistics/ file is the sum of its rings' files, on both sides;
#   blkmq-stat -r during reads shows the device with reads per second above
#   0 and a row per ring, in dom0 and in the guest.  Nothing stays mapped.
# timeout: 300
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
HP=$(phy_hotplug)

nullb_add st 512 memory_backed=1 || exit 1
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }

guest=st	# be_stat's guest
phase() {
	local d c n
	d=$(vbd_sysfs "$guest" 51712)
	case $1 in
	before) counters_snap "$RIG_DIR/st.before" be_stat rd_req wr_req rd_sect wr_sect segs errors ;;
	counted)
		counters_snap "$RIG_DIR/st.after" be_stat rd_req wr_req rd_sect wr_sect segs errors
		for c in rd_req wr_req rd_sect wr_sect segs errors; do
			res "back.$c" "$(counters_delta "$RIG_DIR/st.before" "$RIG_DIR/st.after" $c)"
		done
		for c in rd_sect wr_sect; do
			n=$(counters_delta "$RIG_DIR/st.before" "$RIG_DIR/st.after" $c)
			[ "$n" = 16384 ] || fail "the backend counted $n for $c, not 16384"
		done
		[ "$(be_stat errors)" = 0 ] || fail "the backend counted errors"
		stat_sums_check "$d" || fail "the backend's statistics/ is not the sum of its rings"
		stat_tree "$d" "RIG-DOM0: sysfs"
		;;
	busy)
		/rig/blkmq-stat -r -d "${d##*/}" 1 3 > "$RIG_DIR/st.view" 2>&1
		sed "s/^/RIG-DOM0: blkmq-stat: /" "$RIG_DIR/st.view"
		stat_view_check "$RIG_DIR/st.view" "${d##*/}" "$(cat "$d/nr_queues")" ||
			fail "blkmq-stat in dom0 did not show the reads"
		;;
	esac
}
guest_start "$guest" stats xen-blkmq-front 2 "phy:/dev/st,xvda,w,script=$HP"
guest_phases "$guest" phase
guest_wait "$guest" 60
sleep 1
left=$(vbd_mapped)
res grants_mapped_after "$left"
[ "$left" = 0 ] || fail "$left grants still mapped after the guest is gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del st
