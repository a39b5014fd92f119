#!/bin/bash
# qdisk-smoke: stock xen-blkfront against QEMU's xen-block ("qdisk")
# backend, which libxl starts in dom0 for disks with backendtype=qdisk.
# requires: qemu-system-xen in dom0 (/usr/libexec/xen-qemu-system-i386),
#   null_blk (memory-backed), stock xen-blkfront in the guest.
# checks: both qdisk disks (xvda on a null_blk device, xvdb on a raw file
#   in dom0's /run) reach Connected under backend/qdisk; the keys QEMU
#   advertised and the frontend wrote are recorded; fio 4k-64k randrw with
#   fsync every 8 writes, crc32c verify and verify_fatal on each, 0 errors;
#   the guest sees a write-back cache and discard, and a discarded range
#   reads back as zeros on each disk; QEMU's log has no errors; QEMU and the
#   backend nodes are gone after the guest.
# timeout: 360
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

qdisk_need || exit 1
nullb_add qdn 256 memory_backed=1 discard=1 || exit 1
truncate -s 64M /run/qdisk.img

guest_start qds qdisk-smoke xen-blkfront 2 \
	'format=raw,vdev=xvda,access=rw,backendtype=qdisk,target=/dev/qdn' \
	'format=raw,vdev=xvdb,access=rw,backendtype=qdisk,target=/run/qdisk.img'
if qdisk_wait_state qds 51712 4 180 && qdisk_wait_state qds 51728 4 60; then
	qdisk_record qds 51712 xvda
	qdisk_record qds 51728 xvdb
	pid=$(qdisk_dm_pid qds)
	qdisk_dm_record qds
	dom=$(xl domid qds)
else
	fail "qdisk backends did not reach Connected"
	xenstore-ls -f /local/domain/0/backend 2>/dev/null | sed 's/^/XS|qds|/'
fi
guest_wait qds 300
qdisk_dm_log qds
sleep 1
[ -n "${pid:-}" ] && [ -d "/proc/$pid" ] && fail "QEMU $pid still runs after the guest"
[ -n "${dom:-}" ] && xenstore-read "/local/domain/0/backend/qdisk/$dom" >/dev/null 2>&1 &&
	fail "backend/qdisk/$dom left behind"
rm -f /run/qdisk.img
nullb_del qdn
