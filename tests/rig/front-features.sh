#!/bin/bash
# front-features: flush, FUA, discard, 4096-byte sectors and online resize
# through xen-blkmq-front, against stock xen-blkback (flush-cache, and
# trusted=0: every segment through a bounce page) and against xen-blkmq-back
# with prefer_barrier=1 (flush and FUA as barriers) and no persistent grants
# (the request's own pages granted), so that the debug kernel sees all three
# data paths.
# requires: xen-blkmq-front.ko in the guests, stock xen-blkback and
#   xen-blkmq-back.ko in dom0 (one at a time), null_blk (memory-backed,
#   with a write cache and discard) and loop.
# checks: per backend, the guest sees a write-back cache (and FUA exactly
#   when barriers are used) and fsync'd writes verify; O_DSYNC direct writes
#   verify through barriers; blkdiscard reads back zeros; a 4096-byte-sector
#   disk (xvdb) verifies; a loop disk (xvdc) grown in dom0 is seen at its
#   new size and verifies past the old end; xvdq (against xen-blkback),
#   past the 16 disks of the xvd encoding, comes through the extended
#   vdevice form as 202:4096 and verifies; our backend counted flushes
#   and discards; no request failed.  On xvdb, direct I/O from buffers
#   aligned to 512 bytes only is refused with EINVAL (or verifies), never
#   EIO from a backend.  With bounce pages (trusted=0), 512 KiB reads
#   verify with the event handler's copy budget (the rest copied by a work
#   item, which must have run) and without it; the handler's longest run
#   with interrupts off is reported for both.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add fc 512 memory_backed=1 discard=1 cache_size=64 || exit 1
nullb_add f4k 256 memory_backed=1 blocksize=4096 || exit 1
nullb_add fx 64 memory_backed=1 || exit 1
modprobe loop || { fail "modprobe loop"; exit 1; }
truncate -s 64M /run/grow.img
LOOP=$(losetup -f --show /run/grow.img) || { fail "losetup"; exit 1; }

phase() {
	local d
	case $1 in
	grow)
		truncate -s 128M /run/grow.img
		losetup -c "$LOOP" || fail "losetup -c"
		res "$name.grow.dom0_sectors" "$(blockdev --getsz "$LOOP")"
		;;
	done)
		[ "$backend" = ours ] || return 0
		d=$(vbd_sysfs "$name" 51712)
		res "$name.xvda.f_req" "$(cat "$d/statistics/f_req")"
		res "$name.xvda.ds_req" "$(cat "$d/statistics/ds_req")"
		[ "$(cat "$d/statistics/f_req")" -gt 0 ] || fail "no flush or barrier reached the backend"
		[ "$(cat "$d/statistics/ds_req")" -gt 0 ] || fail "no discard reached the backend"
		;;
	esac
}

# run_guest MODULE-OPTIONS [DISK...]: the three feature disks, and more
run_guest() {
	local opts=$1
	shift
	name=ff-$backend
	truncate -s 64M /run/grow.img
	losetup -c "$LOOP"
	guest_start "$name" front-features "xen-blkmq-front${opts:+:$opts}" 2 \
		"phy:/dev/fc,xvda,w,script=$HP" "phy:/dev/f4k,xvdb,w,script=$HP" "phy:$LOOP,xvdc,w,script=$HP" "$@"
	guest_phases "$name" phase
	guest_wait "$name" 240
}

backend=stock
modprobe xen-blkback || { fail "modprobe xen-blkback"; exit 1; }
# xvdq (the extended vdevice form) only here: libxl gives each disk's
# hotplug script a fixed time, the scripts run one at a time (their lock),
# and on a loaded host a fourth one queued behind the others has run out
# of it (a fresh-clone run, 2026-11-26, with builds running beside it)
run_guest "trusted=0" "phy:/dev/fx,xvdq,w,script=$HP"
vbd_wait_gone 60 || fail "backend devices left after the guest"
rig_rmmod xen-blkback || fail "xen-blkback does not unload"

backend=ours
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
run_guest "prefer_barrier=1,max_indirect_segments=0,feature_persistent=0"
vbd_wait_gone 60 || fail "backend devices left after the guest"
left=$(vbd_mapped)
res grants_mapped_after "$left"
[ "$left" = 0 ] || fail "$left grants still mapped after the guest is gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
losetup -d "$LOOP"
rm -f /run/grow.img
nullb_del fc
nullb_del f4k
nullb_del fx
