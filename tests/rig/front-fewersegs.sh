#!/bin/bash
# front-fewersegs: xen-blkmq-front restored onto a backend that takes fewer
# segments per request than the one it was saved on.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko in dom0.
# checks: a guest with 32-slot rings (max_ring_page_order=0) and room in
#   its persistent pool for one 128-segment request per ring at a time
#   (max_persistent_grants=256) writes and verifies 1 MiB and 256 KiB
#   direct I/O at depth 2x8 (their 24 requests at most all have a tag even on one
#   hardware queue: io_uring's workers submit them from either vCPU, and a
#   worker waiting for a tag could not be frozen for the save) on a disk (null_blk) that completes each request after
#   1 s (slower than the save's freeze can drain), so at the save each ring has one such request in flight and the
#   others, built under the same limits, wait in blk-mq for pool pages.
#   (Without the pool's bound they would all be on the ring by the time the
#   guest's tasks are frozen for the save, and be resubmitted as bios.)  The backend offers 256 indirect segments at the save and
#   none (max_indirect_segments=0) at the restore, like QEMU's qdisk: the
#   frontend must split both kinds to 11 segments.  Every fio round
#   verifies (crc32c), no request failed, the restored connection uses 11
#   segments, and nothing stays mapped.  The 256 KiB writes carry
#   REQ_NOWAIT (io_uring's first attempt) when they are held, and must not
#   keep it when they are sent again (see front-fewersegs.guest.sh).  fio runs on io_uring, not libaio:
#   Debian 12's fio miscounts libaio completions when the save's freezer
#   interrupts its final reap, and waits for ever (RIG_SAVE_IOENGINE in
#   rig-lib.sh); that was this scenario's hang, not the driver's.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add fs 512 memory_backed=1 irqmode=2 completion_nsec=1000000000 || exit 1
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
P=/sys/module/xen_blkmq_back/parameters

RIG_GUEST_EXTRA="$RIG_GUEST_EXTRA rig.resumes=1" RIG_GUEST_MEM=512 \
	guest_start fs front-fewersegs \
	xen-blkmq-front:max_ring_page_order=0,max_persistent_grants=256 2 \
	"phy:/dev/fs,xvda,w,script=$HP"
# read when a backend device is probed: changed only once the guest is
# connected (and running its I/O), for the restored guest's new device
guest_wait_line fs '^RIG-PHASE io' 240 || fail "guest fs never started its I/O"
echo 0 > "$P/max_indirect_segments"
save_restore fs 1 ""
res restored.indirect "$(xenstore-read "$(vbd_backend_dir fs 51712)/feature-max-indirect-segments" 2>/dev/null)"
guest_wait_gone fs 400
guest_collect fs
echo 256 > "$P/max_indirect_segments"
vbd_wait_gone 60 || fail "backend devices left after the guest"
res grants_mapped "$(vbd_mapped)"
[ "$(vbd_mapped)" = 0 ] ||
	fail "grants still mapped after the guest is gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del fs
