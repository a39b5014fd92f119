#!/bin/sh
# Guest half of stats: counted I/O on xvda (xen-blkmq-front, 2 rings), the
# sums, and blkmq-stat beside a read load.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
D=/sys/bus/xen/devices/vbd-51712
wait_until 30 test -b /dev/xvda || { echo "no xvda"; exit 1; }
nq=$(cat $D/nr_queues)
rig_res nr_queues "$nq"
[ "$nq" = 2 ] || { echo "$nq rings, 2 wanted"; rc=1; }
# shellcheck disable=SC2317 # called through counters_snap
xvda_stat() { fe_stat "$1" "$D"; }
C="rd_req wr_req rd_sect wr_sect segs errors"
# shellcheck disable=SC2086 # C is a list of counters
counters_snap /run/st.before xvda_stat $C
rig_phase before
rig_phase_wait || rc=1
# 8 MiB written in 4 KiB blocks, then read back by the verify pass: exactly
# 16384 sectors each way, however the block layer merged them
rig_fio counted --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=4k --iodepth=16 --size=8m --verify=crc32c \
	--do_verify=1 --verify_fatal=1 --randrepeat=1 || rc=1
# shellcheck disable=SC2086
counters_snap /run/st.after xvda_stat $C
for c in $C; do rig_res "front.$c" "$(counters_delta /run/st.before /run/st.after "$c")"; done
for c in rd_sect wr_sect; do
	n=$(counters_delta /run/st.before /run/st.after $c)
	[ "$n" = 16384 ] || { echo "the frontend counted $n for $c, not 16384"; rc=1; }
done
[ "$(fe_stat errors $D)" = 0 ] || { echo "the frontend counted errors"; rc=1; }
stat_sums_check $D || { echo "the frontend's statistics/ is not the sum of its rings"; rc=1; }
stat_tree $D "RIG-GUEST: sysfs"
rig_phase counted
rig_phase_wait || rc=1
# a read load that both sides' blkmq-stat watch at once
fio --name=busy --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randread --bs=4k --iodepth=8 --numjobs=2 --size=64m \
	--time_based --runtime=12 > /run/busy.txt 2>&1 &
busy=$!
sleep 2
rig_phase busy
/rig/blkmq-stat -r -d vbd-51712 1 3 > /run/st.view 2>&1
sed 's/^/RIG-GUEST: blkmq-stat: /' /run/st.view
stat_view_check /run/st.view vbd-51712 "$nq" || rc=1
rig_phase_wait || rc=1
wait $busy || { tail -n 20 /run/busy.txt; echo "the read load failed"; rc=1; }
exit $rc
