#!/bin/bash
# front-4kalign: direct I/O on a disk of 4096-byte sectors with buffers
# aligned to 512 bytes but not to 4096, through xen-blkmq-front, against
# xen-blkmq-back and against the stock xen-blkback.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko and stock
#   xen-blkback in dom0 (one at a time: both are the "vbd" backend).
# checks: per backend, the guest sees 4096-byte logical blocks and a DMA
#   alignment of 4095; fio 4k random writes from buffers 512 bytes past a
#   page boundary either succeed and verify or are refused with EINVAL by
#   the block layer, never failed with EIO by a backend; the same I/O from
#   aligned buffers verifies; the frontend completed no request with an
#   error.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

nullb_add f4k 256 memory_backed=1 blocksize=4096 || exit 1

modprobe xen-blkback || { fail "modprobe xen-blkback"; exit 1; }
guest_start f4k-stock front-4kalign xen-blkmq-front 2 'phy:/dev/f4k,xvda,w'
guest_wait f4k-stock 240
vbd_wait_gone 60 || fail "backend devices left after the guest"
rig_rmmod xen-blkback || fail "xen-blkback does not unload"

insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
guest_start f4k-ours front-4kalign xen-blkmq-front 2 'phy:/dev/f4k,xvda,w'
guest_wait f4k-ours 240
vbd_wait_gone 60 || fail "backend devices left after the guest"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del f4k
