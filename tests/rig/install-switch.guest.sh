#!/bin/sh
# Guest half of install-switch: install xen-blkmq-front as README says
# (rig.switch=fallback: only the modprobe.d file, as on a kernel DKMS
# skipped), then load the vbd's module alias as udev would, which loads
# whatever modprobe.d picks, and verify data through it.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
K=$(uname -r)
UP=/lib/modules/$K/updates
mode=installed
grep -q 'rig.switch=fallback' /proc/cmdline && mode=fallback
# the real modprobe (busybox's knows no install lines) and depmod, always
# called by path (busybox's shell would run its own applets by name)
ln -sf kmod /bin/modprobe
ln -sf kmod /bin/depmod
for m in xen_blkfront xen_blkmq_front; do
	[ -d /sys/module/$m ] && { echo "$m loaded before the test"; exit 1; }
done
mkdir -p "$UP" /etc/modprobe.d
[ $mode = installed ] && cp /rig/modules/xen-blkmq-front.ko "$UP/"
cp /rig/packaging/xen-blkmq-guest.conf /etc/modprobe.d/
/sbin/depmod -a || { echo "depmod failed"; exit 1; }
# the vbd's uevent, as udev handles it (at boot: its coldplug)
rig_udev_load /sys/bus/xen/devices/vbd-51712
wait_until 60 test -b /dev/xvda || { echo "no xvda after loading its alias"; exit 1; }
front=
for m in xen_blkmq_front xen_blkfront; do
	[ -d /sys/module/$m ] && front="$front${front:+,}$m"
done
rig_res front_module "${front:-none}"
want=xen_blkmq_front
[ $mode = fallback ] && want=xen_blkfront
rc=0
if [ "$front" != $want ]; then
	echo "modprobe.d picked $front, not $want"
	# what modprobe would do for the alias, and what the kernel said
	/sbin/modprobe -n -v "$(cat /sys/bus/xen/devices/vbd-51712/modalias)" 2>&1 | sed 's/^/RIG-GUEST-MODPROBE: /'
	/sbin/modprobe -v xen_blkmq_front 2>&1 | sed 's/^/RIG-GUEST-MODPROBE: /'
	find "$UP" /etc/modprobe.d -type f | sed 's/^/RIG-GUEST-MODPROBE: /'
	dmesg | tail -n 8 | sed 's/^/RIG-GUEST-DMESG: /'
	rc=1
fi
rig_fio verify --filename=/dev/xvda --direct=1 --ioengine=libaio --rw=randwrite \
	--bs=64k --iodepth=8 --size=64m --verify=crc32c --do_verify=1 \
	--verify_fatal=1 --randrepeat=1 || rc=1
exit $rc
