#!/bin/sh
# Guest half of front-unplug: the disk is detached while fio
# holds it open, then other disks come and go.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
# shellcheck disable=SC2317 # called through wait_until
dev_is() { if [ "$2" = present ]; then [ -b "/dev/$1" ]; else [ ! -b "/dev/$1" ]; fi; }
wait_dev() { RIG_POLL_S=0.1 wait_until "$3" dev_is "$1" "$2"; } # DEV present|absent SECONDS
wait_dev xvda present 30 || { echo "no xvda"; exit 1; }
# fio holds xvda open; the detach must end its I/O with errors, not a hang
fio --name=held --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=16 --size=64m --time_based --runtime=120 \
	--verify=crc32c > /run/held.txt 2>&1 &
pid=$!
sleep 4
t0=$(cut -d. -f1 /proc/uptime)
echo "RIG-PHASE io"
wait $pid
frc=$?
rig_res held.fio_rc "$frc"
rig_res held.seconds_after_detach "$(($(cut -d. -f1 /proc/uptime) - t0))"
grep -E 'err=|error' /run/held.txt | head -n 3 | sed 's/^/RIG-GUEST-FIO: /'
[ "$frc" != 0 ] || { echo "fio saw no error though its disk went away"; rc=1; }
wait_dev xvda absent 30 || { echo "xvda still there after detach"; rc=1; }
dmesg | grep -E 'xen-blkmq-front|vbd-51712' | tail -n 6 | sed 's/^/RIG-GUEST-DMESG: /'
# dom0 attached xvdb after the detach
wait_dev xvdb present 60 || { echo "no xvdb after block-attach"; exit 1; }
# every block written once, so that the re-attached disk can be checked
job="--filename=/dev/xvdb --direct=1 --ioengine=libaio --rw=randwrite --bs=4k --iodepth=16 --size=16m --verify=crc32c --verify_fatal=1"
# shellcheck disable=SC2086 # job is a list of options
rig_fio reattach $job || rc=1
echo "RIG-PHASE idle"
# dom0 detaches the idle xvdb (a clean close) and attaches it again
wait_dev xvdb absent 60 || { echo "xvdb not removed"; rc=1; }
wait_dev xvdb present 60 || { echo "xvdb not attached again"; exit 1; }
# shellcheck disable=SC2086
rig_fio again $job --verify_only=1 || rc=1
echo "RIG-PHASE done"
exit $rc
