#!/bin/bash
# bench: make bench's speed matrix in one boot.  On null_blk (no data
# kept, so the drivers are what costs): dom0-local fio on the device (the
# limit), then every pairing of frontend and backend, stock and
# xen-blkmq (stock-stock, ours-stock, stock-ours, ours-ours).  Per pairing
# one 4-vCPU guest with the default module options (persistent grants on,
# one queue per vCPU) runs the workloads of BENCH_WORK (bench_job in
# rig-lib.sh), then, reloading its frontend, rr4k32 on 1 and 2 queues and
# rr4k32 and sr1m without persistent grants; then 2 and 4 guests (2 vCPUs,
# a disk each) run rr4k32 at once.  Around each measured run dom0 counts
# its own side: its CPU time, Xen's accounting of the machine's time
# (tools/rig/dom0/xen-cputime: dom0's vCPUs, the guests', idle, and the
# rest Xen's own), the backend's event-channel interrupts, the requests
# the backend saw and, with xen-blkmq-back, grant maps, unmaps,
# notifications and kthread wake-ups.  tools/bench/bench.py makes the
# table, the CSV and the plots.  No speed threshold: every fio run must end
# without error, and the numbers are for comparison; with our backend and
# persistent grants, rr4k32 maps fewer than one grant per 100 requests and
# unmaps and evicts none.
# With perf in the images (RIG_PERF=1) each pairing's guest also runs
# rr4k32 under `perf record` in both domains (PERF| lines, top functions).
# The guests read the TSC natively (xl's tsc_mode, BENCH_TSC: native by
# default), as on any host whose TSC is invariant: QEMU's CPU does not say
# it is, so by default Xen would trap and emulate every rdtsc of a PV
# guest (fio reads the clock several times per I/O; dom0's never traps,
# which made dom0-local's clock reads several times cheaper than a
# guest's).  BENCH_TSC=default measures with the traps.
# The first pairing's guest also runs the workloads on a null_blk device
# of its own (guest-local: no transport at all).
# Env: BENCH_WORK (W+W..., default all eight), BENCH_SWEEP (q1+q2+p0;
#   also prof, prof1 and glocal, see bench.guest.sh),
#   BENCH_GUESTS (2+4), BENCH_PAIRS (stock-stock+ours-stock+stock-ours+ours-ours),
#   BENCH_TSC (native);
#   "-" for no sweep or no multi-guest run.  The quick 4k comparison of
#   the pairings: BENCH_WORK=rr4k32 BENCH_SWEEP=- BENCH_GUESTS=-.
# requires: xen-blkback and xen-blkmq-back.ko in dom0, xen-blkfront and
#   xen-blkmq-front.ko in the guests; null_blk.
# timeout: 4800
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

WORK=${BENCH_WORK:-rr4k1+rr4k32+rr4k32g+rw4k32+sr64k+sw64k+sr1m+sw1m}
SWEEP=${BENCH_SWEEP:-q1+q2+p0}
# with perf in the images (RIG_PERF=1), a profile of rr4k32 in both domains
command -v perf > /dev/null && [ -z "${BENCH_SWEEP:-}" ] && SWEEP=$SWEEP+prof
GUESTS=${BENCH_GUESTS:-2+4}
[ "$GUESTS" != - ] || GUESTS=
PAIRS=${BENCH_PAIRS:-stock-stock+ours-stock+stock-ours+ours-ours}
RT=${RIG_FIO_RUNTIME:-3}
res secs "$RT"
TSC=${BENCH_TSC:-native}
res tsc "$TSC"
RIG_GUEST_CFG="${RIG_GUEST_CFG:-}
tsc_mode = \"$TSC\""
# the machine's physical CPUs: with one, the domains' CPU time is exact
# (rig.sh's RIG_PCPUS)
res pcpus "$(xl info | sed -n 's/^nr_cpus *: *//p')"
for n in 0 1 2 3; do nullb_add "bn$n" 2048 || exit 1; done
HP=$(phy_hotplug)

# dom0's busy CPU ticks (USER_HZ) and the backends' event-channel interrupts
d_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
d_irq() {
	awk '$NF ~ /^(blkif-backend|blkmq\.[0-9]+\.[0-9]+-[0-9]+)$/ { for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i }
		END { print s + 0 }' /proc/interrupts
}
# d_stat COUNTER: one of d_list's counters; VBD is the guest's backend
# device in sysfs, looked up once per guest (xl takes seconds here, and
# nothing slow may fall inside a measured run)
d_stat() {
	case $1 in
	ticks) d_ticks ;;
	irq) d_irq ;;
	ipi | lockkick) rig_ipis | sed -n "s/^$1 //p" ;;
	birq) cat "$VBD/statistics/irq" ;;
	*) cat "$VBD/statistics/$1" ;;
	esac
}
# what dom0 counts around a run besides its CPU ticks (with our backend
# its own counters too; birq is its interrupt handler's runs, each a
# kthread wake-up)
d_list() {
	echo irq ipi lockkick rd_req wr_req
	[ "$back" != ours ] || echo map_ops unmap_ops notify birq pgnt_evict
}

# x_res KEY: Xen's accounting of a measured run (x_*: files xrun to post)
# and of its warm-up (xw_*: xwarm to xrun)
x_res() {
	local c
	for c in x_now x_idle x_dom0 x_domu; do
		res "$1.$c" "$(counters_delta "$RIG_DIR/xrun" "$RIG_DIR/post" $c)"
		res "$1.xw_${c#x_}" "$(counters_delta "$RIG_DIR/xwarm" "$RIG_DIR/xrun" $c)"
	done
}

# the guest brackets each measured run with pre.CFG.W and post.CFG.W
phase() {
	local key=${1#*.} c reqs t1
	case $1 in
	pre.prof.*)
		# until the guest's post phase: the whole measured run
		perf record -a -e cpu-clock -o "$RIG_DIR/perf.data" > "$RIG_DIR/perf.log" 2>&1 &
		echo $! > "$RIG_DIR/perf.pid"
		RIG_PHASE_QUIET=$RT
		;;
	post.prof.*)
		kill -INT "$(cat "$RIG_DIR/perf.pid")"
		wait "$(cat "$RIG_DIR/perf.pid")"
		perf_top dom0 "$guest.$key" "$RIG_DIR/perf.data"
		# Xen's word on the TSC: which domains have theirs emulated
		xl debug-keys s
		xl dmesg | grep -E 'TSC|mode=' | tail -n 4 | sed "s/^/RIG-INFO|$guest|/"
		;;
	run.*)
		# the guest's warm-up starts, then its measured run: Xen's
		# accounting at each start, and dom0's counters at the second
		[ ! -e "$RIG_DIR/xrun" ] || mv -f "$RIG_DIR/xrun" "$RIG_DIR/xwarm"
		/rig/xen-cputime > "$RIG_DIR/xrun" || fail "xen-cputime"
		# shellcheck disable=SC2046 # d_list prints a list
		counters_snap "$RIG_DIR/pre" d_stat $(d_list)
		echo "ticks $(d_ticks)" >> "$RIG_DIR/pre"
		;;
	detach.*)
		# the guest reloads its frontend (bench.guest.sh's reload)
		xl block-detach "$guest" xvda || fail "$guest: xl block-detach"
		vbd_wait_gone 60 || fail "$guest: xvda's backend stays after the detach"
		;;
	attach.*)
		xl block-attach "$guest" "phy:/dev/bn0,xvda,w,script=$HP" || fail "$guest: xl block-attach"
		wait_until 60 vbd_up || fail "$guest: no backend device after the attach"
		;;
	pre.*)
		# shellcheck disable=SC2046 # d_list prints a list
		counters_snap "$RIG_DIR/pre" d_stat $(d_list)
		# a fallback only: the guest's RIG-RUN lines (phase run.*) take
		# the counters and Xen's accounting again as its runs start
		echo "ticks $(d_ticks)" >> "$RIG_DIR/pre"
		/rig/xen-cputime > "$RIG_DIR/xrun" || fail "xen-cputime"
		cp "$RIG_DIR/xrun" "$RIG_DIR/xwarm"
		# guest_phases polls the console log (grep, xl) several times a
		# second: not while the guest's fio runs, whose cost per I/O
		# would include it
		RIG_PHASE_QUIET=$RT
		;;
	post.*)
		x1=$(/rig/xen-cputime) || fail "xen-cputime"
		t1=$(d_ticks)
		# shellcheck disable=SC2046
		counters_snap "$RIG_DIR/post" d_stat $(d_list)
		echo "ticks $t1" >> "$RIG_DIR/post"
		echo "$x1" >> "$RIG_DIR/post"
		# the guest reports its fio I/Os only after the phase: per I/O
		# here means per backend request; bench.py rescales by ios
		reqs=$(($(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" rd_req) +
			$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" wr_req)))
		res "$guest.$key.b_req" "$reqs"
		res "$guest.$key.d_ticks" "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" ticks)"
		x_res "$guest.$key"
		res "$guest.$key.d_irq" "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" irq)"
		res "$guest.$key.d_ipi" "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" ipi)"
		res "$guest.$key.d_lockkick" "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" lockkick)"
		if [ "$back" = ours ]; then
			for c in map_ops unmap_ops notify; do
				res "$guest.$key.b_$c" "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" $c)"
			done
			res "$guest.$key.b_wake" "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" birq)"
			# persistent grants in steady state (was cmp-back's check):
			# a grant is mapped once, so after the warm-up only grants
			# the frontend never used before are mapped (fewer than one
			# per 100 requests), and none is unmapped or evicted
			if [ "$key" = base.rr4k32 ]; then
				c=$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" map_ops)
				[ $((c * 100)) -lt "$reqs" ] ||
					fail "$guest: persistent grants on, yet $c maps for $reqs requests"
				[ "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" unmap_ops)" = 0 ] ||
					fail "$guest: persistent grants unmapped in steady state"
				[ "$(counters_delta "$RIG_DIR/pre" "$RIG_DIR/post" pgnt_evict)" = 0 ] ||
					fail "$guest: persistent grants evicted in steady state"
			fi
		fi
		;;
	esac
}

# dom0-local: the same workloads on the device itself
for w in ${WORK//+/ }; do
	# Xen's accounting at the start of the warm-up, of the run and at its
	# end (bench.py takes the warm-up's figures from the run's, as in
	# the guests)
	/rig/xen-cputime > "$RIG_DIR/xwarm" || fail "xen-cputime"
	# shellcheck disable=SC2046 # bench_job prints a list of options
	rig_fio "local.warm.$w" $(bench_job "$w" /dev/bn0) --runtime=1 > /dev/null
	/rig/xen-cputime > "$RIG_DIR/xrun" || fail "xen-cputime"
	t0=$(d_ticks)
	# shellcheck disable=SC2046
	rig_fio "local.$w" $(bench_job "$w" /dev/bn0) --runtime="$RT" ||
		fail "dom0-local $w: fio failed"
	res "local.$w.d_ticks" $(($(d_ticks) - t0))
	/rig/xen-cputime > "$RIG_DIR/post" || fail "xen-cputime"
	res "local.$w.ios" "$(fio_ios "local.$w")"
	res "local.$w.wios" "$(fio_ios "local.warm.$w")"
	x_res "local.$w"
done

# both backends offer as many queues as dom0 has vCPUs (2) unless told:
# 4, so that the 4-vCPU guest gets its one queue per vCPU
backend_load() {
	if [ "$1" = stock ]; then
		modprobe xen-blkback max_queues=4 || { fail "modprobe xen-blkback"; return 1; }
	else
		insmod /rig/modules/xen-blkmq-back.ko max_queues=4 || { fail "insmod xen-blkmq-back"; return 1; }
	fi
}
backend_unload() {
	vbd_wait_gone 60 || fail "backend devices left after the guests"
	if [ "$1" = stock ]; then
		modprobe -r xen-blkback || fail "xen-blkback does not unload"
	else
		rig_rmmod xen-blkmq-back || fail "xen-blkmq-back does not unload"
	fi
}
# the guest's backend device, once it is there (VBD: its sysfs directory)
vbd_up() { VBD=$(vbd_sysfs "$guest" 51712) && test -d "$VBD"; }
front_mods() { if [ "$1" = stock ]; then echo xen-blkfront; else echo xen-blkmq-front; fi; }

# several guests at once, each on its own disk: they wait in "ready"
# until all are there, then dom0 answers them together
multi() {
	local f=$1 n=$2 i names=()
	for ((i = 0; i < n; i++)); do
		names+=("mg$n-$f-$back-$i")
		RIG_GUEST_MEM=448 RIG_GUEST_EXTRA="${RIG_GUEST_EXTRA:-} bench.sync=1" \
			guest_start "${names[i]}" bench "$(front_mods "$f")" 2 "phy:/dev/bn$i,xvda,w,script=$HP"
	done
	# shellcheck disable=SC2317 # called through wait_until
	all_ready() {
		local g
		for g in "${names[@]}"; do
			grep -q '^RIG-PHASE ready' "/var/log/xen/console/guest-$g.log" 2>/dev/null || return 1
		done
	}
	wait_until 300 all_ready || fail "mg$n-$f-$back: not every guest got ready"
	# the answers at once (each xl takes a while); each guest runs
	# RIG_FIO_RUNTIME x 3 so that the runs overlap well
	# (wait for those calls only: guest_start left the consoles' followers
	# running in the background, and they end with the guests)
	local pids=()
	for g in "${names[@]}"; do
		timeout 20 xl sysrq "$g" h > /dev/null 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
	for g in "${names[@]}"; do guest_wait "$g" 300; done
}

for pair in ${PAIRS//+/ }; do
	f=${pair%-*}
	back=${pair#*-}
	backend_load "$back" || continue
	guest=bn-$pair
	# guest-local (bench.guest.sh's glocal) once, in the first pairing's
	# guest: the guests' kernel is the same in every pairing
	sw=$SWEEP
	[ -n "${BENCH_SWEEP:-}" ] || [ "$pair" != "${PAIRS%%+*}" ] || sw=$sw+glocal
	RIG_GUEST_EXTRA="${RIG_GUEST_EXTRA:-} bench.work=$WORK bench.sweep=$sw bench.name=$guest" \
		guest_start "$guest" bench "$(front_mods "$f")" 4 "phy:/dev/bn0,xvda,w,script=$HP"
	# (the domain appears some time after guest_start returns)
	wait_until 120 vbd_up || fail "$guest: no backend device"
	guest_phases "$guest" phase
	guest_wait "$guest" 600
	for n in ${GUESTS//+/ }; do multi "$f" "$n"; done
	backend_unload "$back"
done
for n in 0 1 2 3; do nullb_del "bn$n"; done
