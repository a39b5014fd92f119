#!/bin/bash
# front-irqcopy: how long xen-blkmq-front's event handler runs with
# interrupts off when large reads come back through persistent grants.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko in dom0.
# checks: 512 KiB reads at depth 2x32 (written and verified first, so the
#   copies back are checked) with the handler's copy budget at its default
#   (256 KiB per run: the rest is copied by a work item, which must have
#   run) and then unlimited (irq_copy_kb=0, everything copied in the
#   handler, as before the budget existed): the longest handler run with
#   the budget is shorter than without; both verify.
# timeout: 400
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

nullb_add ic 512 memory_backed=1 || exit 1
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
guest_start ic front-irqcopy xen-blkmq-front 2 'phy:/dev/ic,xvda,w'
guest_wait ic 300
vbd_wait_gone 60 || fail "backend devices left after the guest"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del ic
