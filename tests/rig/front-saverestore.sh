#!/bin/bash
# front-saverestore: xen-blkmq-front across save/restore with requests in
# flight, with xen-blkmq-back in dom0.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko in dom0.
# checks: a guest with two rings runs crc32c-verifying writes without pause
#   while dom0 runs `xl save` + `xl restore` three times; the disk
#   (null_blk) completes each request only after 300 ms, so requests are
#   in flight at every save and must be resubmitted; the first restore
#   keeps two rings, before the second the backend's queue maximum drops
#   to 1 and before the third it goes back to 2, so the ring count changes
#   twice across a restore (`make soak` repeats such rounds); every round
#   verifies, the guest ends with as many hardware queues as rings, no
#   request failed, nothing stays mapped.  (The stock-blkfront control
#   guest, which shows that the kernel's clockevents warning at resume is
#   the kernel's, runs the same sequence in `make soak`, 50 cycles each.)
# timeout: 900
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add ls 512 memory_backed=1 irqmode=2 completion_nsec=300000000 || exit 1
insmod /rig/modules/xen-blkmq-back.ko max_queues=2 ||
	{ fail "insmod xen-blkmq-back"; exit 1; }

RIG_GUEST_EXTRA="$RIG_GUEST_EXTRA rig.resumes=3" RIG_GUEST_MEM=384 guest_start fs front-saverestore xen-blkmq-front 2 \
	"phy:/dev/ls,xvda,w,script=$HP"
save_restore fs 3 "2:1 3:2"
guest_wait_gone fs 600
guest_collect fs
vbd_wait_gone 60 || fail "backend devices left after the guest"
res grants_mapped "$(vbd_mapped)"
[ "$(vbd_mapped)" = 0 ] || fail "$(vbd_mapped) grants mapped after the saved guest is gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del ls
