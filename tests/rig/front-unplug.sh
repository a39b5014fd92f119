#!/bin/bash
# front-unplug: xen-blkmq-front's disk hot-unplugged under I/O, attached,
# detached idle and attached again, with xen-blkmq-back in dom0.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko in dom0.
# checks: `xl block-detach` of a disk fio holds open: the frontend keeps it
#   until it is released, so libxl reports the polite detach as failed and
#   the backend stays; `xl block-detach -f` then removes the backend under
#   the I/O: fio ends with I/O errors instead of hanging, the disk
#   disappears and nothing stays mapped; `xl block-attach` of another disk
#   verifies; a detach of that disk while idle closes cleanly and a
#   re-attach reads back what was written.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add la 512 memory_backed=1 || exit 1
nullb_add lb 512 memory_backed=1 || exit 1
insmod /rig/modules/xen-blkmq-back.ko max_queues=2 ||
	{ fail "insmod xen-blkmq-back"; exit 1; }

phase() {
	local t0 rc
	case $1 in
	io)
		# polite: the frontend keeps a disk in use; libxl gives up
		t0=$(date +%s)
		timeout 120 xl block-detach fu xvda > "$RIG_DIR/detach.log" 2>&1
		rc=$?
		res polite_detach.seconds "$(($(date +%s) - t0))"
		res polite_detach.rc "$rc"
		sed 's/^/XL-DETACH: /' "$RIG_DIR/detach.log" | tail -n 3
		[ $rc != 124 ] || fail "xl block-detach hung"
		[ $rc != 0 ] || fail "polite detach of a disk in use succeeded"
		res polite_detach.frontend_state \
			"$(xenstore-read "$(vbd_frontend_dir fu 51712)/state" 2>/dev/null)"
		[ -n "$(find /sys/bus/xen-backend/devices/ -maxdepth 1 -name 'vbd-*-51712')" ] ||
			fail "backend device gone after a refused polite detach"
		# forced: the backend goes away under the frontend's I/O
		t0=$(date +%s)
		timeout 120 xl block-detach -f fu xvda > "$RIG_DIR/detach-f.log" 2>&1
		rc=$?
		res forced_detach.seconds "$(($(date +%s) - t0))"
		res forced_detach.rc "$rc"
		sed 's/^/XL-DETACH-F: /' "$RIG_DIR/detach-f.log" | tail -n 3
		[ $rc = 0 ] || fail "xl block-detach -f: rc $rc"
		sleep 2
		[ -z "$(find /sys/bus/xen-backend/devices/ -maxdepth 1 -name 'vbd-*-51712')" ] ||
			fail "backend device still there after a forced detach"
		res detach.grants_mapped "$(vbd_mapped)"
		[ "$(vbd_mapped)" = 0 ] || fail "$(vbd_mapped) grants mapped after detach"
		xl block-attach fu "phy:/dev/lb,xvdb,w,script=$HP" || fail "xl block-attach"
		;;
	idle)
		t0=$(date +%s)
		timeout 120 xl block-detach fu xvdb > "$RIG_DIR/detach2.log" 2>&1
		rc=$?
		res idle_detach.seconds "$(($(date +%s) - t0))"
		res idle_detach.rc "$rc"
		[ $rc = 0 ] || fail "detach of an idle disk: rc $rc"
		sleep 1
		xl block-attach fu "phy:/dev/lb,xvdb,w,script=$HP" || fail "second xl block-attach"
		;;
	esac
}
guest_start fu front-unplug xen-blkmq-front 2 "phy:/dev/la,xvda,w,script=$HP"
guest_phases fu phase
guest_wait fu 300
vbd_wait_gone 60 || fail "backend devices left after the guests"
res unplug.grants_mapped "$(vbd_mapped)"
[ "$(vbd_mapped)" = 0 ] || fail "$(vbd_mapped) grants mapped after the guests are gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del la
nullb_del lb
