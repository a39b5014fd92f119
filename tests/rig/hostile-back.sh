#!/bin/bash
# hostile-back: xen-blkmq-front against a misbehaving backend.  One guest
# and one disk per case, each served by xen-blkmq-hostile-back in its own
# case (the module's "hcases" list, by disk number).  Batch A's disks are
# there when the guest boots and xen-blkmq-front (trusted=1, the default)
# sees them all; the guest checks each, then unloads the frontend.  It loads
# it again with trusted=0 and dom0 attaches batch B's disks.  The case list
# lives here and reaches the guest on its command line (hb.a=, hb.b=);
# what each kind of case expects is in the .guest.sh.
# requires: xen-blkmq-hostile-back.ko in dom0 (no other vbd backend
#   loaded), xen-blkmq-front.ko in the guest, null_blk (only so that the
#   hotplug script finds a device; the data lives in the module's RAM disk).
# checks: per case, the guest's verdict (I/O succeeds correctly, or fails
#   with EIO, or the device is refused, never a hang); after each batch the
#   guest can unload xen-blkmq-front (no reference leaked by any case) and
#   the backend then holds no mapped grant; snoop: with trusted=1 the
#   backend finds the guest's marker outside the segments it was given
#   (the positive control), with trusted=0 it finds the marker nowhere and
#   not one non-zero byte outside a segment.  Clean dmesg in both domains.
# timeout: 900
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

HB=/sys/module/xen_blkmq_hostile_back/parameters
for m in xen_blkback xen_blkmq_back; do
	[ -d /sys/module/$m ] || continue
	rmmod $m || { fail "cannot unload $m"; exit 1; }
done
nullb_add hbd 64 || exit 1
# The module serves its own RAM disk and never reads physical-device, so
# the disks get a hotplug script that only succeeds: the stock "block"
# script takes seconds per disk, and libxl gives it 10 s, which a loaded
# TCG host does not always meet.  /dev/hbd is still a real block device.
HOTPLUG=/run/hb-hotplug
printf '#!/bin/sh\nexit 0\n' > $HOTPLUG
chmod +x $HOTPLUG
insmod /rig/modules/xen-blkmq-hostile-back.ko ||
	{ fail "insmod xen-blkmq-hostile-back"; exit 1; }

# vdev_of I / devid_of I: the guest's disk for case I (as in the .guest.sh)
vdev_of() { echo "xvd$(echo abcdefghijklmnopqrstuvwxyz | cut -c$(($1 + 1)))"; }
devid_of() {
	if [ "$1" -lt 16 ]; then echo $((51712 + 16 * $1)); else echo $(((1 << 28) | ($1 << 8))); fi
}


snoop_check() {
	local label=$1 pages hits nz
	pages=$(cat $HB/snoop_pages)
	hits=$(cat $HB/snoop_hits)
	nz=$(cat $HB/snoop_nonzero)
	res "$label.snoop_pages" "$pages"
	res "$label.snoop_hits" "$hits"
	res "$label.snoop_nonzero" "$nz"
	echo "HB-DOM0|$label|snoop: $pages pages, $hits with the marker outside the segment, $nz non-zero bytes outside"
	[ "$pages" -gt 0 ] || fail "$label: the backend scanned no page"
	case $label in
	snoop-t1)
		[ "$hits" -gt 0 ] ||
			fail "$label: trusted=1 but no marker outside the segments (the check cannot fail?)" ;;
	*)
		if [ "$hits" != 0 ] || [ "$nz" != 0 ]; then
			fail "$label: trusted=0 but the backend saw $hits marker page(s), $nz non-zero byte(s) beyond the segments"
		fi
		;;
	esac
}

# LABEL:HCASE:KIND per disk, xvda first; batch B continues the numbering
CASES_A="good:none:good rsp-id-range:rsp-id-range:kill rsp-id-dup:rsp-id-dup:dup
rsp-id-never:rsp-id-never:kill rsp-op:rsp-op:kill rsp-status:rsp-status:status
rsp-prod-past:rsp-prod-past:kill evt-storm:evt-storm:storm
never-answer:never-answer:never close-mid-io:close-mid-io:close
sectors-0:sectors-0:empty sectors-huge:sectors-huge:badkeys
sector-size-3:sector-size-3:badkeys sector-size-256:sector-size-256:badkeys
sector-size-huge:sector-size-huge:badkeys features-flap:features-flap:flap
snoop-t1:snoop:snoop notsupp:notsupp:notsupp hold-kill:hold-kill:holdkill
hold-close:hold-close:holdclose"
CASES_B="close-mid-io-t0:close-mid-io:close snoop-t0:snoop:snoop
features-reconnect:features-reconnect:reconnect
never-answer-io-timeout:never-answer:timeout
stall-restart:stall-restart:stallrestart"
NA=$(echo "$CASES_A" | wc -w)
hcases=
guest_a=
guest_b=
for c in $CASES_A $CASES_B; do hcases=$hcases${hcases:+,}$(echo "$c" | cut -d: -f2); done
for c in $CASES_A; do guest_a=$guest_a${guest_a:+,}$(echo "$c" | cut -d: -f1,3); done
for c in $CASES_B; do guest_b=$guest_b${guest_b:+,}$(echo "$c" | cut -d: -f1,3); done
echo "$hcases" > $HB/hcases
res hcases "$hcases"

disk_spec() { echo "format=raw,vdev=$(vdev_of "$1"),access=rw,script=$HOTPLUG,target=/dev/hbd"; }

# grants_zero WHEN: the backend lets go of every data grant within 20 s
hb_unmapped() { [ "$(cat $HB/grants_mapped)" = 0 ]; }
grants_zero() {
	local g
	RIG_POLL_S=0.5 wait_until 20 hb_unmapped
	g=$(cat $HB/grants_mapped)
	res "$1.grants_mapped" "$g"
	echo "HB-DOM0|$1|$g grant(s) still mapped"
	[ "$g" = 0 ] || fail "$1: $g grant(s) still mapped"
}

# hb_log: the module's new log lines (dom0's console shows only errors)
logged=0
hb_log() {
	local n
	n=$(dmesg | wc -l)
	dmesg | tail -n +$((logged + 1)) | grep 'xen_blkmq_hostile_back' | sed 's/^/HB-DMESG| /'
	logged=$n
}

phase() {
	hb_log
	local what=${1%%:*} rest=${1#*:} i arg n t0
	i=${rest%%:*}
	arg=${rest#*:}
	case $what in
	force)
		# the toolstack's way to pull a disk: the backend's state key
		xenstore-write "$(vbd_backend_dir hb "$(devid_of "$i")")/state" 6 ||
			fail "$arg: forcing the backend Closed"
		;;
	detach)
		# the batch's disks, in turn: politely, or by force if the
		# toolstack cannot get the backend to close (and then say so)
		t0=$(secs)
		for ((n = ${i%-*}; n <= ${i#*-}; n++)); do
			timeout 60 xl block-detach hb "$(vdev_of $n)" > "$RIG_DIR/detach-$n.log" 2>&1 && continue
			sed "s/^/XL|$(vdev_of $n)| /" "$RIG_DIR/detach-$n.log"
			echo "HB-DOM0|$(vdev_of $n)|polite detach failed; forcing"
			res "$(vdev_of $n).detach" forced
			timeout 60 xl block-detach -f hb "$(vdev_of $n)" || fail "xl block-detach -f $(vdev_of $n)"
		done
		echo "HB-DOM0|batch-$arg|detached in $(($(secs) - t0))s"
		grants_zero "batch-$arg"
		snoop_check "snoop-t$([ "$arg" = a ] && echo 1 || echo 0)"
		;;
	attach-b)
		n=$NA
		for c in $CASES_B; do
			xl block-attach hb "$(disk_spec "$n")" || fail "${c%%:*}: xl block-attach"
			n=$((n + 1))
		done
		;;
	esac
}

start=$(secs)
disks=()
for ((n = 0; n < NA; n++)); do disks+=("$(disk_spec $n)"); done
RIG_GUEST_EXTRA="${RIG_GUEST_EXTRA:-} hb.a=$guest_a hb.b=$guest_b" guest_start hb hostile-back xen-blkmq-front 2 "${disks[@]}"
guest_phases hb phase
guest_wait hb 60
res guest_seconds $(($(secs) - start))
res requests "$(cat $HB/requests)"
vbd_wait_gone 60 || fail "backend devices left after the guest"
grants_zero end
hb_log
rig_rmmod xen_blkmq_hostile_back || fail "xen-blkmq-hostile-back does not unload"
rm -f $HOTPLUG
nullb_del hbd
