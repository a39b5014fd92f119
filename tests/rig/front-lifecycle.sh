#!/bin/bash
# front-lifecycle: xen-blkmq-front across save/restore and hot unplug, with
# xen-blkmq-back in dom0.
# requires: xen-blkmq-front.ko in the guests, xen-blkmq-back.ko in dom0.
# checks: (1) a guest with two rings runs crc32c-verifying writes without
#   pause while dom0 runs `xl save` + `xl restore` three times; the disk
#   (null_blk) completes each request only after 300 ms, so requests are
#   in flight at every save and must be resubmitted; the first restore
#   keeps two rings, before the second the backend's queue maximum drops
#   to 1 and before the third it goes back to 2, so the ring count changes
#   twice across a restore (`make soak` repeats such rounds); every
#   round verifies, the guest ends with as many hardware queues as rings,
#   no request failed.  (The stock-blkfront control guest, which shows that
#   the kernel's clockevents warning at resume is the kernel's, runs the same
#   sequence in `make soak`, 50 cycles each.)  (2) `xl block-detach` of a disk fio holds open:
#   the frontend keeps it until it is released, so libxl reports the
#   polite detach as failed and the backend stays; `xl block-detach -f`
#   then removes the backend under the I/O: fio ends with I/O errors
#   instead of hanging, the disk disappears and nothing stays mapped; `xl block-attach` of another disk verifies; a detach of
#   that disk while idle closes cleanly and a re-attach reads back what was
#   written.
# timeout: 1500
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add ls 512 memory_backed=1 irqmode=2 completion_nsec=300000000 || exit 1
nullb_add la 512 memory_backed=1 || exit 1
nullb_add lb 512 memory_backed=1 || exit 1
insmod /rig/modules/xen-blkmq-back.ko max_queues=2 ||
	{ fail "insmod xen-blkmq-back"; exit 1; }

# ---- part 1: three saves and restores under I/O
RIG_GUEST_EXTRA="$RIG_GUEST_EXTRA rig.resumes=3" RIG_GUEST_MEM=384 guest_start fs front-saverestore xen-blkmq-front 2 \
	"phy:/dev/ls,xvda,w,script=$HP"
save_restore fs 3 "2:1 3:2"
guest_wait_gone fs 600
guest_collect fs
sleep 1
res saverestore.grants_mapped "$(vbd_mapped)"
[ "$(vbd_mapped)" = 0 ] || fail "$(vbd_mapped) grants mapped after the saved guest is gone"

# ---- part 2: hot unplug under I/O, attach, clean detach, re-attach
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
nullb_del ls
nullb_del la
nullb_del lb
