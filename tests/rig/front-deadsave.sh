#!/bin/bash
# front-deadsave: a device that a backend broke before a save reconnects
# after the restore, like any other.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-hostile-back.ko in
#   dom0 (no other vbd backend loaded), null_blk (for the hotplug script's
#   sake only; the data lives in the module's RAM disk).
# checks: the backend (case rsp-id-range) answers the guest's trigger read
#   with an id out of range: the frontend disables the device, and reads
#   fail.  dom0 saves the guest and restores it with the backend's case
#   now "none": the frontend reconnects (a line says so), fio verifies on
#   the same /dev/xvda, no request fails, and nothing stays mapped.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

HB=/sys/module/xen_blkmq_hostile_back/parameters
for m in xen_blkback xen_blkmq_back; do
	[ -d /sys/module/$m ] || continue
	rmmod $m || { fail "cannot unload $m"; exit 1; }
done
nullb_add dsd 64 || exit 1
# a hotplug script that only succeeds, as in hostile-back
HOTPLUG=/run/ds-hotplug
printf '#!/bin/sh\nexit 0\n' > $HOTPLUG
chmod +x $HOTPLUG
insmod /rig/modules/xen-blkmq-hostile-back.ko hcase=rsp-id-range ||
	{ fail "insmod xen-blkmq-hostile-back"; exit 1; }
RIG_GUEST_EXTRA="$RIG_GUEST_EXTRA rig.resumes=1" RIG_GUEST_MEM=384 \
	guest_start ds front-deadsave xen-blkmq-front 2 \
	"format=raw,vdev=xvda,access=rw,script=$HOTPLUG,target=/dev/dsd"
# the guest says "RIG-PHASE io" once its device is dead; the restored
# guest's backend is probed afresh and reads the case then
guest_wait_line ds '^RIG-PHASE io' 240 || fail "guest ds never broke its device"
echo none > $HB/hcase
save_restore ds 1 ""
guest_wait_gone ds 300
guest_collect ds
vbd_wait_gone 60 || fail "backend devices left after the guest"
res grants_mapped "$(cat $HB/grants_mapped)"
[ "$(cat $HB/grants_mapped)" = 0 ] || fail "grants still mapped after the guest is gone"
rig_rmmod xen_blkmq_hostile_back || fail "xen-blkmq-hostile-back does not unload"
rm -f $HOTPLUG
nullb_del dsd
