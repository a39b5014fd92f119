#!/bin/sh
# Guest half of front-irqcopy: 512 KiB reads through persistent grants with
# the event handler's copy budget at its default, then unlimited.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
D=/sys/bus/xen/devices/vbd-51712
P=/sys/module/xen_blkmq_front/parameters
n=0
while [ ! -b /dev/xvda ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
[ "$(cat $D/persistent)" = 1 ] || { echo "no persistent grants"; rc=1; }
maxns() { cat "$D"/queue-*/irq_max_ns | sort -n | tail -n 1; }
sum() { _s=0; for _f in "$D"/queue-*/"$1"; do _s=$((_s + $(cat "$_f"))); done; echo $_s; }
# run LABEL: write 64 MiB, then read it back (verify) and read at random
run() {
	rig_fio "$1-verify" --filename=/dev/xvda --direct=1 --ioengine=libaio \
		--rw=write --bs=512k --iodepth=32 --numjobs=2 --size=32m \
		--offset_increment=32m --verify=crc32c --verify_fatal=1 || rc=1
	rig_fio "$1-read" --filename=/dev/xvda --direct=1 --ioengine=libaio \
		--rw=randread --bs=512k --iodepth=32 --numjobs=2 --size=64m \
		--runtime=8 --time_based || rc=1
}
run budget
b=$(maxns)
d=$(sum copy_deferred)
rig_res budget.irq_copy_kb "$(cat $P/irq_copy_kb)"
rig_res budget.irq_max_ns "$b"
rig_res budget.copy_deferred "$d"
[ "$d" -gt 0 ] || { echo "no copy was left to the work item"; rc=1; }
echo 0 > $P/irq_copy_kb
run unlimited
u=$(maxns)
rig_res unlimited.irq_max_ns "$u"
rig_res unlimited.copy_deferred "$(($(sum copy_deferred) - d))"
# the counter is a maximum since the connect: the second run raised it
[ "$u" -gt "$b" ] || { echo "the longest handler run without a budget ($u ns) is not longer than with it ($b ns)"; rc=1; }
err=$(sum errors)
rig_res front.errors "$err"
[ "$err" = 0 ] || { echo "$err requests failed"; rc=1; }
exit $rc
