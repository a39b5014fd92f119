#!/bin/bash
# back-features: flush, discard, 4096-byte sectors and online resize, stock
# xen-blkfront against xen-blkmq-back.
# requires: xen-blkmq-back.ko in dom0, stock xen-blkfront in the guest,
#   null_blk (memory-backed, with a write cache and discard) and loop.
# checks: the guest sees a write-back cache and discard on xvda and writes
#   with fsync under crc32c verify; blkdiscard then reads back zeros; a
#   4096-byte-sector disk (xvdb) verifies; a loop disk (xvdc) grown in dom0
#   is seen at its new size by the guest, which verifies data past the old
#   end; the backend counted flushes and discards; nothing stays mapped.
# timeout: 420
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add fc 512 memory_backed=1 discard=1 cache_size=64 || exit 1
nullb_add f4k 256 memory_backed=1 blocksize=4096 || exit 1
modprobe loop || { fail "modprobe loop"; exit 1; }
truncate -s 64M /run/grow.img
LOOP=$(losetup -f --show /run/grow.img) || { fail "losetup"; exit 1; }
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }

phase() {
	local d
	case $1 in
	grow)
		truncate -s 128M /run/grow.img
		losetup -c "$LOOP" || fail "losetup -c"
		res grow.dom0_sectors "$(blockdev --getsz "$LOOP")"
		;;
	done)
		d=$(vbd_sysfs feat 51712)
		res xvda.f_req "$(cat "$d/statistics/f_req")"
		res xvda.ds_req "$(cat "$d/statistics/ds_req")"
		res xvda.errors "$(cat "$d/statistics/errors")"
		[ "$(cat "$d/statistics/f_req")" -gt 0 ] || fail "no flush reached the backend"
		[ "$(cat "$d/statistics/ds_req")" -gt 0 ] || fail "no discard reached the backend"
		;;
	esac
}
guest_start feat back-features - 2 "phy:/dev/fc,xvda,w,script=$HP" "phy:/dev/f4k,xvdb,w,script=$HP" \
	"phy:$LOOP,xvdc,w,script=$HP"
guest_phases feat phase
guest_wait feat 60
sleep 1
left=$(vbd_mapped)
res grants_mapped_after "$left"
[ "$left" = 0 ] || fail "$left grants still mapped after the guest is gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
losetup -d "$LOOP"
rm -f /run/grow.img
nullb_del fc
nullb_del f4k
