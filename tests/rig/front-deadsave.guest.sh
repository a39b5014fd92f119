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
n=0
while [ ! -b /dev/xvda ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
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
n=0
while [ "$(resumes)" -lt 1 ] && [ $n -lt 240 ]; do sleep 1; n=$((n + 1)); done
[ "$(resumes)" -ge 1 ] || { echo "no restore seen"; exit 1; }
# reconnecting takes a few XenBus round trips
n=0
until dd if=/dev/xvda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null || [ $n -ge 60 ]; do
	sleep 1; n=$((n + 1))
done
rig_res reconnect_seconds "$n"
rig_fio after --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=8 --size=4m --offset=4m \
	--verify=crc32c --verify_fatal=1 || rc=1
err=$(fe_stat errors "$D")
rig_res front.errors "$err"
[ "$err" = 0 ] || { echo "$err requests failed after the restore"; rc=1; }
dmesg | grep 'xen-blkmq-front\|vbd-51712' | tail -n 6 | sed 's/^/RIG-GUEST-DMESG: /'
exit $rc
