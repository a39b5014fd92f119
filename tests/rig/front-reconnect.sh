#!/bin/bash
# front-reconnect: the backend goes away while xen-blkmq-front's disk is
# open and busy, and comes back.
# requires: xen-blkmq-front.ko in the guest, xen-blkmq-back.ko in dom0.
# checks: (1) under verifying fio rounds, dom0 unbinds the disk's backend
#   device from xen-blkmq-back (the backend goes Closed, as when its driver
#   or driver domain restarts) and binds it again 3 s later: the frontend
#   holds the I/O, reconnects the open disk when the backend offers it
#   again, resubmits what it held; every round verifies (one of them begun
#   after the backend's return), no request fails, and I/O flows again
#   within seconds of the backend's return.  (2) with
#   the disk held open, the backend comes back on a disk of 4096-byte
#   sectors: the frontend refuses it with a log line and the disk stays
#   dead (reads fail) rather than change block size under its user.
#   Nothing stays mapped once the guest is gone.
# timeout: 600
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh
# disks get the quick hotplug script (the stock one runs in front-backs,
# back-stockfront and install-switch)
HP=$(phy_hotplug)

nullb_add rc 512 memory_backed=1 || exit 1
nullb_add rc4 512 memory_backed=1 blocksize=4096 || exit 1
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
BE=/sys/bus/xen-backend/drivers/vbd

# rebind SECONDS [PHYSICAL-DEVICE]: unbind the guest's backend device, wait,
# optionally point it at another disk, bind it again
rebind() {
	local d t0
	d=vbd-$(xl domid rc)-51712
	[ -e "$BE/$d" ] || { fail "no backend device $d"; return 1; }
	t0=$(uptime_s)
	echo "$d" > "$BE/unbind" || fail "unbinding $d"
	echo "RIG-DOM0: $d unbound"
	sleep "$1"
	if [ -n "${2:-}" ]; then
		xenstore-write "$(vbd_backend_dir rc 51712)/physical-device" "$2" ||
			fail "writing physical-device"
	fi
	echo "$d" > "$BE/bind" || fail "binding $d"
	echo "RIG-DOM0: $d bound again after $(since "$t0")s"
}

phase() {
	case $1 in
	io) sleep 3; t_loss=$(uptime_s); rebind 3 ;;
	size)
		# A second loss inside the first one's backend_wait (10 s) is,
		# by design, held only to the end of that window: space them so
		# this loss is judged on its own (a fast guest got here in 6 s).
		sleep "$(awk -v s="$(since "$t_loss")" 'BEGIN { d = 12 - s; print (d > 0 ? d : 0) }')"
		rebind 1 "$(printf '%x:%x' "0x$(stat -c %t /dev/rc4)" "0x$(stat -c %T /dev/rc4)")" ;;
	esac
}
guest_start rc front-reconnect xen-blkmq-front 2 "phy:/dev/rc,xvda,w,script=$HP"
guest_phases rc phase
guest_wait rc 400
vbd_wait_gone 60 || fail "backend devices left after the guest"
res grants_mapped "$(vbd_mapped)"
[ "$(vbd_mapped)" = 0 ] || fail "grants still mapped after the guest is gone"
rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
nullb_del rc
nullb_del rc4
