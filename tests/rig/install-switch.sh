#!/bin/bash
# install-switch: xen-blkmq installed the way README says, then a plain xl
# create: loading each vbd's module alias with the real modprobe, as udev
# does (the rig's dom0 and guests run no udev: rig_udev_load stands in for
# its rule), picks our modules on both sides; with our module missing (a
# kernel DKMS skipped), the same files fall back to the stock drivers.
# requires: xen-blkmq-back.ko and xen-blkmq-front.ko (/rig/modules), the
#   modprobe.d files (/rig/packaging), kmod in dom0 and in the guests,
#   xen-blkback and xen-blkfront.
# checks: round 1, installed: dom0 loaded xen_blkmq_back and not
#   xen_blkback, the guest xen_blkmq_front and not xen_blkfront, fio
#   verify on xvda; round 2, our modules removed again (the modprobe.d
#   files stay): dom0 loaded xen_blkback, the guest xen_blkfront, fio
#   verify; dom0's modprobe.d file and module are removed at the end.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
K=$(uname -r)
UP=/lib/modules/$K/updates
cleanup() {
	rm -f /etc/modprobe.d/xen-blkmq-dom0.conf "$UP/xen-blkmq-back.ko"
	depmod -a
}
trap cleanup EXIT

for m in xen_blkback xen_blkmq_back; do
	[ -d /sys/module/$m ] && { fail "$m loaded before the scenario"; exit 1; }
done

# README: make install (the module into updates/, depmod), the modprobe.d file
mkdir -p "$UP"
install -m 644 /rig/modules/xen-blkmq-back.ko "$UP/"
cp /rig/packaging/xen-blkmq-dom0.conf /etc/modprobe.d/
depmod -a || fail "depmod"

nullb_add vrf 1024 memory_backed=1 || exit 1

# back_module: which backend module serves the disk now
back_module() {
	local m out=
	for m in xen_blkmq_back xen_blkback; do
		[ -d /sys/module/$m ] && out="$out${out:+,}$m"
	done
	echo "${out:-none}"
}
vbd_any() { ! vbd_none; }
round() {
	local name=$1 want=$2
	guest_start "$name" install-switch - 1 'phy:/dev/vrf,xvda,w'
	# the backend device appears with no driver: its uevent's turn
	wait_until 60 vbd_any || fail "$name: no backend device"
	for d in /sys/bus/xen-backend/devices/vbd-*; do rig_udev_load "$d"; done
	vbd_wait_state "$name" 51712 4 180 || fail "$name: the vbd did not reach Connected"
	res "$name.back_module" "$(back_module)"
	[ "$(back_module)" = "$want" ] || fail "$name: dom0 loaded $(back_module), not $want"
	guest_wait "$name" 300
	vbd_wait_gone 60 || fail "$name: backend devices left after the guest"
}

round sw-installed xen_blkmq_back
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"

# our module gone (a kernel DKMS skipped), the modprobe.d file stays
rm -f "$UP/xen-blkmq-back.ko"
depmod -a
RIG_GUEST_EXTRA="${RIG_GUEST_EXTRA:-} rig.switch=fallback" round sw-fallback xen_blkback
modprobe -r xen-blkback || fail "xen-blkback does not unload"
nullb_del vrf
