#!/bin/bash
# hostile-front: a misbehaving frontend (tools/hostile/hostile-front.c,
# loaded in a guest that has no frontend driver) against xen-blkmq-back and
# then against stock xen-blkback, while a second, well-behaved guest
# (stock blkfront) verifies its own data through the same backend.
# requires: xen-blkmq-hostile-front.ko in the guest; xen-blkmq-back.ko and
#   stock xen-blkback in dom0 (one at a time); null_blk.
# checks: every case (at least 20: malformed requests, bad grants, ring
#   index abuse, event storm, bad or missing XenStore keys, state flapping)
#   ends as expected against our backend, and the backend had no grant of
#   the guest mapped once it said Closed; with HF_BACKENDS="ours stock"
#   (hostile-front-cmp, `make compare`) the same cases run against
#   xen-blkback and differences are named (HOSTILE-TABLE lines); dom0
#   printed no warning, oops or lockdep report (the rig fails the boot on
#   any); our backend logged few lines (ratelimited); the good guest's
#   verifying fio runs all passed while the cases ran; while the hostile
#   guest floods refused requests and then closes, `xl block-attach` of a
#   disk to the good guest succeeds (xenwatch is not stuck behind that
#   ring's teardown); a ring closed with reads in flight (a completion
#   stalled right after its hand-over on debug builds) leaves dom0 clean;
#   nothing is mapped after the guests are gone and both
#   backends unload.
# timeout: 1500
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

RIG_GUEST_MEM=512
# Two disks for the hostile guest: xvda (512-byte sectors, discard) and
# xvdb, read-only with 4096-byte sectors, which serves both the read-only
# and the alignment cases.  Disks use the quick phy_hotplug script: Xen's
# "block" script misses libxl's 10 s limit on the debug dom0 while the
# good guest's I/O runs.
# hrw completes after 50 ms, so close-in-flight has bios in flight when the
# ring stops
nullb_add hrw 64 memory_backed=1 discard=1 irqmode=2 completion_nsec=50000000 || exit 1
nullb_add h4k 16 memory_backed=1 blocksize=4096 || exit 1
nullb_add hgood 256 memory_backed=1 || exit 1
nullb_add hsig 1 memory_backed=1 || exit 1
nullb_add hatt 1 memory_backed=1 || exit 1
HF_OPTS=vdev_rw=51712,vdev_ro=51728,vdev_4k=51728
# Stock xen-blkback (6.1) hits WARN_ON in xen_blkif_disconnect()
# (xenbus.c:337) when a ring fails to connect after an earlier connection
# of the same device: the failed connection's pending-request pool does not
# match the ring pages it counts.  Cases that refuse a connection can set
# it off (which ones depends on timing).  It is xen-blkback's, so it is
# declared known for the stock run and counted; any other warning still
# fails the scenario.
STOCK_WARN='WARNING: .* at drivers/block/xen-blkback/xenbus\.c:[0-9]+ xen_blkif_disconnect'
HP=$(phy_hotplug)
FI=/sys/module/xen_blkmq_back/parameters/fault_end_io_delay_ms

# attach_during_flood BACKEND: once the hostile guest closes its flooded
# ring, attach a disk to the good guest; libxl gives up after 10 s if the
# backend never answers the new device (xenwatch blocked)
attach_during_flood() {
	local be=$1 t0 rc
	guest_wait_line "hf$be" 'hostile-front: SIGNAL[|]flood-closing' 900 || return 0
	t0=$(date +%s%N)
	timeout 120 xl block-attach "good$be" "phy:/dev/hatt,xvdc,w,script=$HP" \
		> "$RIG_DIR/attach-$be.log" 2>&1
	rc=$?
	res "$be.flood_attach_ms" $((($(date +%s%N) - t0) / 1000000))
	res "$be.flood_attach_rc" "$rc"
	sed "s/^/XL-ATTACH|$be| /" "$RIG_DIR/attach-$be.log" | tail -n 5
	if [ "$be" = ours ] && [ "$rc" != 0 ]; then
		fail "ours: xl block-attach to the good guest failed while a flooded ring closed"
	fi
}

# spurious_stats BACKEND: the good guest's notifications and how many of
# them our backend flagged spurious (late EOI)
spurious_stats() {
	local d
	for d in /sys/bus/xen-backend/devices/vbd-*-51712; do
		[ -r "$d/statistics/irq" ] || continue
		[ "$(cat "$d/statistics/wr_req")" -gt 1000 ] || continue
		res "$1.good_irq" "$(cat "$d/statistics/irq")"
		res "$1.good_spurious" "$(cat "$d/statistics/spurious")"
		res "$1.good_wr_req" "$(cat "$d/statistics/wr_req")"
	done
}

# run BACKEND: both guests against one backend
run() {
	local be=$1 opts=$HF_OPTS,judge=0 n0 lines left apid
	if [ "$be" = ours ]; then
		insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; return; }
		opts=$HF_OPTS,judge=1
		# debug builds: the first completion on a stopping ring stalls 1 s
		# after its hand-over (freed rings are poisoned there)
		[ -w "$FI" ] && echo 1000 > "$FI"
	else
		modprobe xen-blkback || { fail "modprobe xen-blkback"; return; }
		echo "$STOCK_WARN" >> "$RIG_KNOWN_WARNINGS"
	fi
	n0=$(dmesg | wc -l)
	guest_start "good$be" hostile-good xen-blkfront 1 "phy:/dev/hgood,xvda,w,script=$HP"
	guest_wait_line "good$be" 'RIG-GOOD: verifying' 300 || fail "$be: the good guest did not start"
	guest_start "hf$be" hostile-front "xen-blkmq-hostile-front:$opts" 1 \
		"phy:/dev/hrw,xvda,w,script=$HP" "phy:/dev/h4k,xvdb,r,script=$HP"
	attach_during_flood "$be" &
	apid=$!
	guest_wait "hf$be" 900
	# only this job: a bare wait would also wait for the guests' xl
	wait "$apid"
	[ "$be" = ours ] && spurious_stats "$be"
	grep -ah 'hostile-front: FLOOD-CLOSE-MS' "/var/log/xen/console/guest-hf$be.log" |
		tr -d '\r' | sed -n 's/.*FLOOD-CLOSE-MS|\([0-9]*\).*/\1/p' |
		while read -r ms; do res "$be.flood_close_ms" "$ms"; done
	# the good guest verifies until a second disk appears
	xl block-attach "good$be" "phy:/dev/hsig,xvdb,w,script=$HP" || fail "$be: attaching the good guest's xvdb"
	guest_wait "good$be" 300
	lines=$(dmesg | tail -n +$((n0 + 1)) | grep -cE 'blkback|blkmq|vbd')
	dmesg | tail -n +$((n0 + 1)) | rig_dmesg_known 2> /dev/null | grep -E 'blkback|blkmq|vbd' |
		tail -n 60 | sed "s/^/DOM0-LOG|$be| /"
	res "$be.dom0_log_lines" "$lines"
	res "$be.dom0_warnings" "$(dmesg | tail -n +$((n0 + 1)) | grep -c 'WARNING:')"
	vbd_wait_gone 120 || fail "$be: backend devices still there 120s after the guests"
	if [ "$be" = ours ]; then
		# a few lines per case at most: every complaint is ratelimited
		[ "$lines" -le 200 ] || fail "our backend logged $lines lines"
		left=$(vbd_mapped)
		res ours.grants_mapped_after "$left"
		# 0: a completion was stalled while its ring was torn down
		[ -r "$FI" ] && res ours.fault_end_io_delay_left "$(cat "$FI")"
		[ "$left" = 0 ] || fail "$left grants still mapped after the guests are gone"
		rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
	else
		rig_rmmod xen-blkback || fail "xen-blkback does not unload"
	fi
}
for be in ${HF_BACKENDS:-ours}; do
	run "$be"
done

# the case table: case, expected, ours, stock (when stock ran)
cases() { tr -d '\r' < "/var/log/xen/console/guest-$1.log" 2>/dev/null | grep '^HOSTILE|'; }
cases hfours > "$RIG_DIR/ours.txt"
cases hfstock > "$RIG_DIR/stock.txt"
n=$(wc -l < "$RIG_DIR/ours.txt")
res cases "$n"
[ "$n" -ge 20 ] || fail "only $n hostile cases ran against our backend"
differ=0
while IFS='|' read -r _ name exp obs _; do
	st=$(grep "^HOSTILE|$name|" "$RIG_DIR/stock.txt" | cut -d'|' -f4)
	echo "HOSTILE-TABLE|$name|$exp|$obs|${st:-not run}"
	[ "$obs" = "$st" ] || differ=$((differ + 1))
done < "$RIG_DIR/ours.txt"
[ -s "$RIG_DIR/stock.txt" ] && res cases_differing_from_stock "$differ"
nullb_del hrw
nullb_del h4k
nullb_del hgood
nullb_del hsig
nullb_del hatt
