#!/bin/bash
# front-backs: xen-blkmq-front in the guest against xen-blkmq-back, the
# stock Linux xen-blkback and QEMU's qdisk, over 1, 2 and 4 queues,
# persistent grants on and off, indirect requests on and off and an
# untrusted backend.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko and stock
#   xen-blkback in dom0 (one at a time: both are the "vbd" backend), QEMU's
#   xen-block (qemu-system-xen, started by libxl), null_blk.
# checks: per backend, three guests (q1o0p1i0t1, q2o4p1i128t0, q4o2p1i256t1
#   against blkback; q1o0p1i0t1, q2o4p0i128t1, q4o2p1i256t0 against ours;
#   q2o4p1i128t1 and q1o0p0i0t0 against qdisk, which offers one queue and
#   neither persistent grants nor indirect requests, so the frontend must
#   fall back to one ring of inline requests):
#   fio 4k randrw (2 jobs), 64k..1M sequential mixed and buffered 6k writes,
#   all with crc32c verify_fatal, 0 errors; the guest's hardware queues
#   match the rings; persistent grants only when both sides offer them and
#   never with an untrusted backend, which gets bounce pages; indirect
#   requests only when asked for; our backend's counters; nothing stays
#   mapped once the guests are gone; both backends unload.
# timeout: 1500
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

nullb_add fb 1024 memory_backed=1 || exit 1

phase() {
	local d c
	if [ "$backend" = qdisk ]; then
		qdisk_record "$name" 51712 "$name"
		return 0
	fi
	if [ "$backend" = ours ]; then
		# counters first: the guest waits only a few seconds
		d=$(vbd_sysfs "$name" 51712)
		[ -d "$d" ] || { fail "$name: backend device $d missing"; return; }
		res "$name.back.nr_queues" "$(cat "$d/nr_queues")"
		res "$name.back.persistent" "$(cat "$d/persistent")"
		for c in rd_req wr_req ds_req f_req map_ops unmap_ops pgnt_hit \
			pgnt_miss notify errors; do
			res "$name.back.$c" "$(cat "$d/statistics/$c")"
		done
	fi
	vbd_record "$name" 51712 "$name"
}

run_guests() {
	local g q o p i t
	# a guest gets at most one ring per vCPU: q4 guests have 4 vCPUs
	for g in "$@"; do
		IFS=: read -r q o p i t <<< "$g"
		name=fb-$backend-q${q}p${p}i${i}t${t}
		guest_start "$name" front-io \
			"xen-blkmq-front:max_queues=$q,max_ring_page_order=$o,feature_persistent=$p,max_indirect_segments=$i,trusted=$t" \
			$((q > 2 ? q : 2)) "$disk"
		guest_phases "$name" phase
		guest_wait "$name" 240
	done
}

qdisk_need || exit 1
disk='phy:/dev/fb,xvda,w'
backend=stock
modprobe xen-blkback max_queues=4 || { fail "modprobe xen-blkback"; exit 1; }
run_guests 1:0:1:0:1 2:4:1:128:0 4:2:1:256:1
vbd_wait_gone 60 || fail "backend devices left after the guests"
rig_rmmod xen-blkback || fail "xen-blkback does not unload"

backend=ours
insmod /rig/modules/xen-blkmq-back.ko max_queues=4 ||
	{ fail "insmod xen-blkmq-back"; exit 1; }
run_guests 1:0:1:0:1 2:4:0:128:1 4:2:1:256:0
vbd_wait_gone 60 || fail "backend devices left after the guests"
left=$(vbd_mapped)
res grants_mapped_after "$left"
[ "$left" = 0 ] || fail "$left grants still mapped after the guests are gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"

backend=qdisk
disk='format=raw,vdev=xvda,access=rw,backendtype=qdisk,target=/dev/fb'
run_guests 2:4:1:128:1 1:0:0:0:0
nullb_del fb
