#!/bin/sh
# Guest half of front-deadsave: break the device (the hostile backend
# answers the trigger read with a bad id), let dom0 save and restore this
# guest onto a well-behaved backend, then verify on the same disk.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
D=/sys/bus/xen/devices/vbd-51712
# the kernel's own warnings at a PV resume: see front-saverestore.guest.sh
rig_known_resume_warnings
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
rig_fio before --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=4k --iodepth=8 --size=4m --verify=crc32c \
	--verify_fatal=1 || rc=1
# sector 32768: the hostile backend's trigger window
dd if=/dev/xvda of=/dev/null bs=4k skip=4096 count=1 iflag=direct 2>/dev/null &&
	{ echo "the trigger read succeeded"; rc=1; }
dd if=/dev/xvda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null &&
	{ echo "a read after the bad response succeeded"; rc=1; }
dmesg | grep -q 'bad response (id out of range' ||
	{ echo "no log line for the bad response"; rc=1; }
rig_res dead_state "$(cat $D/state 2>/dev/null)"
resumes() { dmesg | grep -c 'Restarting tasks'; }
echo "RIG-PHASE io"
# shellcheck disable=SC2317 # called through wait_until
restored() { [ "$(resumes)" -ge 1 ]; }
RIG_POLL_S=1 wait_until 240 restored
[ "$(resumes)" -ge 1 ] || { echo "no restore seen"; exit 1; }
# reconnecting takes a few XenBus round trips
# shellcheck disable=SC2317 # called through wait_until
readable() { dd if=/dev/xvda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; }
t0=$(uptime_s)
RIG_POLL_S=1 wait_until 60 readable
rig_res reconnect_seconds "$(since "$t0")"
rig_fio after --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=8 --size=4m --offset=4m \
	--verify=crc32c --verify_fatal=1 || rc=1
err=$(fe_stat errors "$D")
rig_res front.errors "$err"
[ "$err" = 0 ] || { echo "$err requests failed after the restore"; rc=1; }
dmesg | grep 'xen-blkmq-front\|vbd-51712' | tail -n 6 | sed 's/^/RIG-GUEST-DMESG: /'
exit $rc
