#!/bin/bash
# front-pgrants: one busy disk must not take the guest's grant table from
# another.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko in dom0.
# checks: a guest whose grant table holds 2048 references (xl's
#   max_grant_frames=4) drives xvda with 512 KiB random reads at depth
#   2x64, enough to want some 16000 persistent grants; meanwhile 4 KiB
#   verifying writes on xvdb must complete (within 120 s); xvda's pool
#   stops at its bound (pool_cap per ring, a quarter of the table over the
#   device), and once xvda is idle the pool pages the backend unmapped (it
#   keeps 64 per ring) are given back.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add pga 512 memory_backed=1 || exit 1
nullb_add pgb 256 memory_backed=1 || exit 1
# the backend keeps 64 persistent grants per ring mapped: the rest of an
# idle pool is unmapped, and the frontend can give it back
insmod /rig/modules/xen-blkmq-back.ko max_persistent_grants=64 ||
	{ fail "insmod xen-blkmq-back"; exit 1; }
RIG_GUEST_CFG='max_grant_frames = 4' guest_start pg front-pgrants xen-blkmq-front 2 \
	"phy:/dev/pga,xvda,w,script=$HP" "phy:/dev/pgb,xvdb,w,script=$HP"
guest_wait pg 400
vbd_wait_gone 60 || fail "backend devices left after the guest"
res grants_mapped "$(vbd_mapped)"
[ "$(vbd_mapped)" = 0 ] ||
	fail "grants still mapped after the guest is gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del pga
nullb_del pgb
