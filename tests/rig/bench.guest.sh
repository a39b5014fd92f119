#!/bin/sh
# Guest half of bench: run the workloads the command line names
# (bench.work=W+W..., bench.sweep=S+S..., see bench_job in rig-lib.sh) on
# xvda with whichever frontend rig.mods loaded, each one second to warm up
# and RIG_FIO_RUNTIME seconds measured.  Around each measured run it prints
# RIG-PHASE pre.CFG.W / post.CFG.W and waits for dom0's answer, so dom0's
# counters bracket the same run.  Per run it reports NAME.ios (I/Os fio
# completed), the guest's CPU time and its blkif interrupts, and with
# xen-blkmq-front our own counters.  A sweep reloads the frontend:
# q1/q2 = max_queues 1/2 (rr4k32), p0 = feature_persistent=0 (rr4k32,
# sr1m), prof = default options, rr4k32 under `perf record` (its top
# functions as PERF| lines; its IOPS are not the measured ones).
# bench.sync=1 (several guests at once): one rr4k32 run, started
# when dom0 answers the phase "ready" (so that all guests start together).
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
RT=${RIG_FIO_RUNTIME:-3}
D=/sys/bus/xen/devices/vbd-51712
work=
sweep=
sync=0
bname=guest
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case $w in
	bench.work=*) work=$(echo "${w#bench.work=}" | tr + ' ') ;;
	bench.sweep=*) sweep=$(echo "${w#bench.sweep=}" | tr + ' ') ;;
	bench.sync=*) sync=${w#bench.sync=} ;;
	bench.name=*) bname=${w#bench.name=} ;;
	esac
done
front=stock
# the device measure() runs fio on
dev=/dev/xvda
[ -d /sys/module/xen_blkmq_front ] && front=ours
rc=0

# the counters read before and after a measured run (one "name value" per
# line): the guest's busy CPU ticks (USER_HZ), the blkif interrupts of
# either frontend, its IPIs and spinlock kicks, and ours' counters
snap() {
	awk '$1 == "cpu" { print "ticks", $2 + $3 + $4 + $7 + $8 }' /proc/stat
	awk '$NF ~ /^(blkif|blkmq-[0-9]+-q[0-9]+)$/ { for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i }
		END { print "irq", s + 0 }' /proc/interrupts
	rig_ipis
	if [ $front = ours ]; then
		for c in rd_req wr_req notify_sent pool_fresh errors; do
			echo "$c $(fe_stat $c $D)"
		done
	fi
}
# delta COUNTER: its change over the measured run
delta() { counters_delta /run/pre /run/post "$1"; }

# measure CFG W: between the phases pre and post, a 1 s warm-up and one
# measured run of W.  dom0 takes Xen's accounting as each starts (its
# RIG-RUN line) and at the post phase: the warm-up's figures taken from
# the measured run's leave fio's own start and end (the same in both) out
# of the time per I/O.
measure() {
	name=$1.$2
	rig_phase "pre.$name"
	rig_phase_wait || rc=1
	echo "RIG-RUN warm.$name"
	# shellcheck disable=SC2046 # bench_job prints a list of options
	rig_fio "warm.$name" $(bench_job "$2" "$dev") --runtime=1 > /dev/null || rc=1
	snap > /run/pre
	# the profile run: where the guest's time goes while fio runs
	if [ "$1" = prof ]; then
		perf record -a -e cpu-clock -o /run/perf.data -- sleep "$RT" > /run/perf.log 2>&1 &
		perf=$!
	fi
	# dom0 takes Xen's accounting now (the quiet phase's RIG-RUN line)
	echo "RIG-RUN $name"
	# shellcheck disable=SC2046
	rig_fio "$name" $(bench_job "$2" "$dev") --runtime="$RT" || rc=1
	snap > /run/post
	if [ "$1" = prof ]; then
		wait "$perf"
		perf_top guest "$bname.$name" /run/perf.data
	fi
	# the counters as raw changes, divided by ios in bench.py as dom0's are
	rig_res "$name.ios" "$(fio_ios "$name")"
	rig_res "$name.wios" "$(fio_ios "warm.$name")"
	rig_res "$name.g_ticks" "$(delta ticks)"
	rig_res "$name.g_irq" "$(delta irq)"
	rig_res "$name.g_ipi" "$(delta ipi)"
	rig_res "$name.g_lockkick" "$(delta lockkick)"
	if [ $front = ours ]; then
		rig_res "$name.f_req" "$(($(delta rd_req) + $(delta wr_req)))"
		rig_res "$name.f_notify" "$(delta notify_sent)"
		rig_res "$name.f_fresh" "$(delta pool_fresh)"
		[ "$(delta errors)" = 0 ] || { echo "$name: requests failed"; rc=1; }
	fi
	rig_phase "post.$name"
	rig_phase_wait || rc=1
}

# reload CFG OPT=VAL...: the same frontend again with these options.
# XenBus holds a reference to a frontend module for every device bound to
# it, so dom0 detaches the disk first (phase detach.CFG) and attaches it
# again once the module is back (phase attach.CFG).
reload() {
	_cfg=$1
	shift
	rig_phase "detach.$_cfg"
	rig_phase_wait || { echo "$_cfg: dom0 did not detach xvda"; rc=1; return 1; }
	if [ $front = ours ]; then
		rig_rmmod xen-blkmq-front 30 && insmod /rig/modules/xen-blkmq-front.ko "$@"
	else
		rig_rmmod xen-blkfront 30 && modprobe xen-blkfront "$@"
	fi || { echo "reloading the frontend with $* failed"; rc=1; return 1; }
	rig_phase "attach.$_cfg"
	rig_phase_wait || { echo "$_cfg: dom0 did not attach xvda"; rc=1; return 1; }
	wait_until 60 test -b /dev/xvda || { echo "no xvda after reloading with $*"; rc=1; return 1; }
}
# hwq: the hardware queues xvda has
hwq() {
	_q=0
	for _m in /sys/block/xvda/mq/*; do [ -e "$_m" ] && _q=$((_q + 1)); done
	echo $_q
}

wait_until 30 test -b /dev/xvda || { echo "no xvda"; exit 1; }
rig_res front "$front"
rig_res base.hw_queues "$(hwq)"
if [ "$sync" = 1 ]; then
	rig_phase ready
	# the other guests may still be booting
	rig_phase_wait_s 600 || rc=1
	# shellcheck disable=SC2046
	rig_fio mg.rr4k32 $(bench_job rr4k32) --runtime=$((RT * 3)) || rc=1
	exit $rc
fi
for w in $work; do measure base "$w"; done
for s in $sweep; do
	case $s in
	q1 | q2) reload "$s" "max_queues=${s#q}" && rig_res "$s.hw_queues" "$(hwq)" && measure "$s" rr4k32 ;;
	p0) reload p0 feature_persistent=0 && { measure p0 rr4k32; measure p0 sr1m; } ;;
	prof) reload prof && measure prof rr4k32 ;;
	# QD1's profile (each I/O alone: its whole path, no batching)
	prof1) measure prof rr4k1 ;;
	# guest-local: the workloads on a null_blk device in this guest (one
	# queue per vCPU, as the frontends have): fio and the guest's block
	# layer without any transport, so what is left of a pairing's time
	# per I/O is what its drivers, Xen's event channels and dom0 cost
	glocal)
		if modprobe null_blk nr_devices=1 queue_mode=2 submit_queues=4 gb=2 &&
			wait_until 10 test -b /dev/nullb0; then
			dev=/dev/nullb0
			for w in $work; do measure glocal "$w"; done
			dev=/dev/xvda
			rmmod null_blk || rc=1
		else
			echo "glocal: no null_blk device in the guest"
			rc=1
		fi
		;;
	-) ;;
	*) echo "unknown sweep $s"; rc=1 ;;
	esac
done
exit $rc
