#!/bin/sh
# Guest half of front-pgrants: a busy xvda and a small xvdb, in a guest
# with a grant table of 2048 references.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
A=/sys/bus/xen/devices/vbd-51712
B=/sys/bus/xen/devices/vbd-51728
wait_until 30 test -b /dev/xvda -a -b /dev/xvdb
[ -b /dev/xvdb ] || { echo "no xvdb"; exit 1; }
rig_res a.pool_cap "$(cat $A/pool_cap 2>/dev/null || echo none)"
rig_res a.nr_queues "$(cat $A/nr_queues)"
rig_res a.max_segments "$(cat $A/max_segments)"
fio --name=busy --filename=/dev/xvda --direct=1 --ioengine=libaio \
	--rw=randread --bs=512k --iodepth=64 --numjobs=2 --runtime=40 \
	--time_based --group_reporting > /run/busy.txt 2>&1 &
busy=$!
sleep 10
rig_res a.pool_size_busy "$(cat $A/pgrants)"
t0=$(uptime_s)
rig_fio victim --filename=/dev/xvdb --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=4k --iodepth=8 --size=4m --verify=crc32c \
	--verify_fatal=1 > /run/victim.out 2>&1 &
v=$!
# shellcheck disable=SC2317 # called through wait_until
finished() { ! kill -0 "$v" 2>/dev/null; }
wait_until 120 finished
if kill -0 $v 2>/dev/null; then
	echo "xvdb's I/O did not complete in 120 s while xvda was busy"
	rc=1
	kill $v
fi
wait $v || rc=1
grep '^RIGRES' /run/victim.out
rig_res victim_seconds "$(since "$t0")"
rig_res a.pool_size_peak "$(cat $A/pgrants)"
rig_res b.pool_size "$(cat $B/pgrants)"
rig_res a.pool_capped "$(fe_stat pool_capped $A)"
rig_res a.grants_short "$(fe_stat grants_short $A)"
# the longest event handler run (read data is copied back in it)
rig_res a.irq_max_ns "$(cat $A/statistics/irq_max_ns)"
rig_res b.grants_short "$(fe_stat grants_short $B)"
cap=$(cat $A/pool_cap 2>/dev/null || echo 0)
nq=$(cat $A/nr_queues)
[ "$(cat $A/pgrants)" -le $((cap * nq)) ] || { echo "xvda's pool is over its bound"; rc=1; }
wait $busy
grep -q 'err= 0' /run/busy.txt || { tail -n 20 /run/busy.txt; echo "the busy fio failed"; rc=1; }
# idle now: within two looks (10 s apart) the pool keeps only what the
# backend still maps (64 per ring)
keep=$((64 * nq))
# shellcheck disable=SC2317 # called through wait_until
trimmed() { [ "$(cat "$A"/pgrants)" -le "$keep" ]; }
RIG_POLL_S=1 wait_until 40 trimmed
rig_res a.pool_size_idle "$(cat $A/pgrants)"
rig_res a.pool_trimmed "$(fe_stat pool_trimmed $A)"
if [ "$(cat $A/pgrants)" -gt $keep ] || [ "$(fe_stat pool_trimmed $A)" = 0 ]; then
	echo "xvda's idle pool was not given back"
	rc=1
fi
for d in $A $B; do
	e=$(fe_stat errors "$d")
	[ "$e" = 0 ] || { echo "$e requests failed on ${d##*/}"; rc=1; }
done
exit $rc
