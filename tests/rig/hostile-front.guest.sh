#!/bin/sh
# Guest half of hostile-front: xen-blkmq-hostile-front ran every case while
# it loaded (rig.mods); report its result lines and fail on any FAIL.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
dmesg | sed -n 's/^.*hostile-front: \(HOSTILE.*\)$/\1/p' > /run/hostile.txt
cat /run/hostile.txt
n=$(grep -c '^HOSTILE|' /run/hostile.txt)
rig_res cases "$n"
grep -q '^HOSTILE-SUMMARY' /run/hostile.txt || { echo "no summary line"; rc=1; }
[ "$n" -ge 20 ] || { echo "only $n cases ran"; rc=1; }
while IFS='|' read -r _ name _ obs verdict _; do
	rig_res "case.$name" "$obs"
	[ "$verdict" = FAIL ] && rc=1
done < /run/hostile.txt
rig_rmmod xen_blkmq_hostile_front || { echo "the tool does not unload"; rc=1; }
exit $rc
