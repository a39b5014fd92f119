# shellcheck shell=sh
# Helpers shared by dom0 and guest scripts inside the rig (POSIX sh: the
# guest only has busybox).  Sourced, not run.

# Kernel log lines that fail a scenario: warnings, oopses, lockdep and
# sleeping-in-atomic reports, list and slab corruption, memory checkers.
RIG_BAD_RE='WARNING:|BUG[: ]|Oops|general protection fault|Kernel panic|kernel BUG|INFO: possible|INFO: task .* blocked|circular locking|recursive locking|inconsistent lock state|suspicious RCU|invalid context|list_(add|del) corruption|KASAN|KFENCE|UBSAN|suspected memory leak|Call Trace'
# Xen's own crash lines (after "(XEN) "): the host watcher stops QEMU on
# them and results.py counts them as reports; both read this definition.
# shellcheck disable=SC2034 # read as text by rig.sh and results.py
RIG_XEN_BAD_RE='Panic on CPU|FATAL|Domain 0 crashed|Hardware Dom0 crashed|Assertion .* failed'

uptime_s() { cut -d' ' -f1 /proc/uptime; }
# secs: whole seconds of uptime
secs() { _u=$(uptime_s); echo "${_u%.*}"; }
# since T: seconds (one decimal) from uptime T to now
since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'; }

# rig_clockevents: each CPU's tick device as "CPU:STATE/MS", STATE the
# clockevent state from /proc/timer_list (1 shut down, 3 oneshot, 4 oneshot
# stopped) and MS its next programmed event relative to now in ms (far in
# the past with state 3 means the event was lost; state 1 means nothing is
# programmed at all: that CPU's timers no longer fire).
rig_clockevents() {
	awk '/^now at/ { now = $3 }
	     /^Per CPU device:/ { cpu = $4 }
	     /^ mode:/ && cpu != "" { st = $2 }
	     /^ next_event:/ && cpu != "" {
		d = ($2 >= 9e18) ? "inf" : int(($2 - now) / 1e6)
		printf "%s%s:%s/%s", sep, cpu, st, d; sep = " "; cpu = "" }
	     END { print "" }' /proc/timer_list 2>/dev/null
}

# fe_stat COUNTER [DEVDIR]: xen-blkmq-front's statistics/COUNTER (the sum
# over a device's rings) of the device at DEVDIR, or summed over every vbd
# device; 0 when there is none.
fe_stat() {
	_s=0
	# shellcheck disable=SC2086 # the default is a pattern to expand
	for _d in ${2:-/sys/bus/xen/devices/vbd-*}; do
		if [ -e "$_d/statistics/$1" ]; then _s=$((_s + $(cat "$_d/statistics/$1"))); fi
	done
	echo $_s
}

# stat_sums_check DEVDIR: each statistics/COUNTER of a xen-blkmq device
# (either side) equals the sum of its rings' queue-K/COUNTER (irq_max_ns:
# the largest); one line per mismatch, non-zero if any.  For an idle device.
stat_sums_check() {
	_sc_rc=0
	for _sc_f in "$1"/statistics/*; do
		_sc_c=${_sc_f##*/} _sc_s=0
		for _sc_q in "$1"/queue-*/"$_sc_c"; do
			_sc_x=$(cat "$_sc_q")
			if [ "$_sc_c" != irq_max_ns ]; then _sc_s=$((_sc_s + _sc_x))
			elif [ "$_sc_x" -gt "$_sc_s" ]; then _sc_s=$_sc_x; fi
		done
		_sc_v=$(cat "$_sc_f")
		[ "$_sc_v" = "$_sc_s" ] ||
			{ echo "${1##*/} statistics/$_sc_c is $_sc_v, its rings add up to $_sc_s"; _sc_rc=1; }
	done
	return $_sc_rc
}

# stat_tree DEVDIR PREFIX: the device's statistics layout, one line per
# directory (its files and their values), for the reader of the log.
stat_tree() {
	for _st_d in "$1/statistics" "$1"/queue-*; do
		[ -d "$_st_d" ] || continue
		echo "$2 ${1##*/}/${_st_d##*/}/: $(cd "$_st_d" && grep -H . -- * 2>/dev/null | sed 's/:/=/' | tr '\n' ' ')"
	done
	echo "$2 ${1##*/}/: $(cd "$1" && for _st_f in nr_queues ring_order persistent max_segments trusted flush_op pool_cap pgrants; do [ -f "$_st_f" ] && printf '%s=%s ' "$_st_f" "$(cat "$_st_f")"; done)"
}

# stat_view_check FILE DEVICE RINGS: FILE holds blkmq-stat -r output taken
# during reads; its last table has a row for DEVICE with reads per second
# above 0 and a row for each of DEVICE's RINGS rings.
stat_view_check() {
	awk -v dev="$2" -v rings="$3" '
		/^side / { delete row; hdr = 1; next }
		hdr && NF >= 14 { row[$2] = $3 }
		END {
			if (!((dev) in row) || row[dev] + 0 <= 0) { print "blkmq-stat: no reads shown for " dev; bad = 1 }
			for (k = 0; k < rings; k++)
				if (!((dev "/" k) in row)) { print "blkmq-stat: no row for ring " k " of " dev; bad = 1 }
			exit bad
		}' "$1"
}

# rig_res KEY VALUE: one machine-readable result line on the console.
rig_res() { echo "RIGRES|$1|$2"; }

# rig_phase LABEL (guest): print "RIG-PHASE LABEL" for dom0's guest_phases,
# which runs its callback for the phase and then answers with `xl sysrq
# NAME h` (this kernel logs "sysrq: HELP" for it).  /run/rig-phases counts
# the phases printed, so a guest that waits for any answer prints all of
# its phases through here.
rig_phase() {
	echo $(($(cat /run/rig-phases 2>/dev/null || echo 0) + 1)) > /run/rig-phases
	echo "RIG-PHASE $1"
}

# rig_phase_wait (guest): wait, 60 s at most (rig_phase_wait_s SECONDS:
# that long), until dom0 has answered every phase printed so far: its
# callbacks have run, reading the device in dom0 while this guest still has
# it connected.  Non-zero (and one line saying so) when an answer is
# missing.
rig_phase_wait() { rig_phase_wait_s 60; }
rig_phase_wait_s() {
	_w=$(($1 * 10 / 3))
	while [ "$(dmesg | grep -c 'sysrq: HELP')" -lt "$(cat /run/rig-phases)" ]; do
		_w=$((_w - 1))
		if [ $_w = 0 ]; then
			echo "RIG-PHASE-NOACK: dom0 answered $(dmesg | grep -c 'sysrq: HELP') of $(cat /run/rig-phases) phase(s) within $1 s"
			return 1
		fi
		sleep 0.3
	done
}

# rig_rmmod MODULE [SECONDS]: unload MODULE once nothing holds it.  A XenBus
# device leaves /sys/bus/xen*/devices before its driver's remove() has run
# and dropped the bus's module reference, so "the devices are gone" does not
# yet mean "the module is free".  Wait (10 s unless told) for the reference
# count to reach 0, then rmmod; a leaked reference never gets there and
# fails as before.
rig_rmmod() {
	_m=$(echo "$1" | tr - _)
	_n=$((${2:-10} * 5))
	while [ "$(cat "/sys/module/$_m/refcnt" 2>/dev/null)" != 0 ] && [ $_n -gt 0 ]; do
		_n=$((_n - 1))
		sleep 0.2
	done
	rmmod "$_m" && return
	echo "rmmod $_m failed; refcnt $(cat "/sys/module/$_m/refcnt" 2>/dev/null), holders:$(for _h in "/sys/module/$_m/holders/"*; do [ -e "$_h" ] && printf ' %s' "${_h##*/}"; done)"
	return 1
}

# The fio engine for I/O that runs while dom0 saves the guest.  Not libaio:
# Debian 12's fio (3.33) loses count in libaio's reap loop.  A PV save
# freezes every task, and the freezer's fake signal makes a waiting
# io_getevents() return the events it has so far, fewer than asked; fio
# adds them up but asks again for the full number, so at the end of a job
# it waits for ever for completions it already holds (fio 3.35 fixed it).
# Seen as: fio in io_getevents(ctx, N, N) with its aio ring's head = tail
# and nothing in flight (the heartbeat's dump prints both).  The io_uring
# engine counts what it reaped.
# shellcheck disable=SC2034 # read by the scenarios that source this file
RIG_SAVE_IOENGINE=io_uring

# rig_fio NAME FIO-ARGS...: run fio with terse output and report
# NAME.read_iops, NAME.write_iops, NAME.err and NAME.rc.  Returns fio's status
# (non-zero on any I/O or verify error).
rig_fio() {
	_n=$1; shift
	_out=/run/fio-$_n.txt
	fio --name="$_n" --output-format=terse --terse-version=3 \
		--group_reporting "$@" > "$_out" 2> "$_out.err"
	_rc=$?
	sed "s/^/FIO-$_n: /" "$_out.err"
	_line=$(grep '^3;' "$_out" | tail -n 1)
	_err=$(echo "$_line" | cut -d';' -f5)
	rig_res "$_n.read_iops" "$(echo "$_line" | cut -d';' -f8)"
	rig_res "$_n.write_iops" "$(echo "$_line" | cut -d';' -f49)"
	rig_res "$_n.err" "${_err:-missing}"
	rig_res "$_n.rc" "$_rc"
	[ "$_rc" = 0 ] && [ "${_err:-1}" = 0 ]
}

# fio_ios NAME: the I/Os rig_fio's run NAME completed (IOPS times runtime
# in ms, reads and writes)
fio_ios() {
	grep '^3;' "/run/fio-$1.txt" | tail -n 1 |
		awk -F';' '{ printf "%d", $8 * $9 / 1000 + $49 * $50 / 1000 }'
}

# A scenario that provokes a known kernel warning outside xen-blkmq writes
# one extended regex per line to this file, each matching the "WARNING:"
# line of such a report (and says in a comment why it is not ours).  Whole
# "cut here" ... "end trace" blocks whose WARNING line matches are then left
# out of rig_dmesg_check and named on a RIG-DMESG-KNOWN line instead.
RIG_KNOWN_WARNINGS=/run/rig-known-warnings

# rig_known_resume_warnings: a guest that is saved and restored sets aside
# the kernel's own warnings at a PV resume (front-saverestore.guest.sh says
# why they are not ours): the clockevents state switch, and the debug
# kernel's ktime_get_seconds() inside stop_machine.
rig_known_resume_warnings() {
	cat >> "$RIG_KNOWN_WARNINGS" <<'EOF2'
WARNING: .* at kernel/time/clockevents\.c:[0-9]+ clockevents_switch_state
WARNING: .* at kernel/time/timekeeping\.c:[0-9]+ ktime_get_seconds
EOF2
}

# rig_dmesg_known: filter kernel log lines on stdin, dropping the known
# warning blocks.
rig_dmesg_known() {
	[ -s $RIG_KNOWN_WARNINGS ] || { cat; return; }
	awk -v known=$RIG_KNOWN_WARNINGS '
		BEGIN { while ((getline r < known) > 0) if (r != "") re[++n] = r }
		/------------\[ cut here \]------------/ { inblk = 1; nb = 0 }
		inblk { blk[++nb] = $0
			if ($0 ~ /WARNING:/) for (i = 1; i <= n; i++) if ($0 ~ re[i]) { skip = 1; w = $0 }
			if ($0 ~ /---\[ end trace/) {
				if (skip) print "RIG-DMESG-KNOWN: " w > "/dev/stderr"
				else for (i = 1; i <= nb; i++) print blk[i]
				inblk = 0; skip = 0 }
			next }
		{ print }
		END { if (inblk) for (i = 1; i <= nb; i++) print blk[i] }'
}

# rig_dmesg_check SINCE_LINE: report kernel log lines after SINCE_LINE that
# match RIG_BAD_RE; returns non-zero when there is any.
rig_dmesg_check() {
	_bad=$(dmesg | tail -n +"$(( $1 + 1 ))" | rig_dmesg_known | grep -E "$RIG_BAD_RE")
	[ -z "$_bad" ] && return 0
	echo "$_bad" | head -n 40 | sed 's/^/RIG-DMESG-BAD: /'
	return 1
}

# rig_lockdep_state: "on", "off" (lockdep switched itself off) or "absent".
rig_lockdep_state() {
	[ -r /proc/lockdep_stats ] || { echo absent; return; }
	if grep -Eq 'debug_locks: +1' /proc/lockdep_stats; then echo on; else echo off; fi
}

# rig_kmemleak_check: when kmemleak runs, scan now and fail on any report
# (objects unreferenced for at least one scan interval and still lost).
rig_kmemleak_check() {
	_k=/sys/kernel/debug/kmemleak
	[ -w $_k ] || return 0
	echo scan > $_k
	_leaks=$(cat $_k)
	[ -z "$_leaks" ] && return 0
	echo "$_leaks" | head -n 60 | sed 's/^/RIG-KMEMLEAK: /'
	echo clear > $_k
	return 1
}

# wait_until SECONDS CMD...: run CMD every 0.2 s (RIG_POLL_S) until it
# succeeds (status 0) or SECONDS of wall-clock time have passed (status 1).
# Time is read from the clock, not counted in turns: a slow CMD (xl under
# emulation takes seconds) does not stretch the bound.
wait_until() {
	_wu_end=$(($(cut -d. -f1 /proc/uptime) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(cut -d. -f1 /proc/uptime)" -lt "$_wu_end" ] || return 1
		sleep "${RIG_POLL_S:-0.2}"
	done
}

# Per-request counters around a measured run, on either side:
#   counters_snap FILE READER COUNTER...: one "COUNTER value" line per
#     COUNTER into FILE, the value printed by READER COUNTER;
#   counters_delta FROM TO COUNTER: TO's value minus FROM's;
#   per_req DELTA REQUESTS: DELTA / REQUESTS to four places (-1 if none).
counters_snap() {
	_cs_file=$1 _cs_read=$2
	shift 2
	for _cs_c in "$@"; do echo "$_cs_c $("$_cs_read" "$_cs_c")"; done > "$_cs_file"
}
counters_delta() {
	echo $(($(sed -n "s/^$3 //p" "$2") - $(sed -n "s/^$3 //p" "$1")))
}
per_req() { awk -v d="$1" -v r="$2" 'BEGIN { printf "%.4f", r ? d / r : -1 }'; }

# rig_ipis: this domain's Xen IPIs so far, from /proc/interrupts: "ipi N"
# (reschedule, function call and irq-work interrupts between vCPUs, each
# an event-channel send through Xen) and "lockkick N" (paravirtual
# spinlock kicks: a vCPU woke one that blocked on a lock it held)
# (the line reads "N: COUNT... xen-percpu  -ipi  resched0": the kernel
# pads the chip's name and its handler's "-ipi" apart, and the counts are
# the first fields, one per CPU of the header line)
rig_ipis() {
	awk 'NR == 1 { ncpu = NF; next }
		$0 ~ /xen-percpu/ && $0 ~ /-ipi/ { s = 0; for (i = 2; i <= ncpu + 1; i++) s += $i
			if ($NF ~ /^spinlock/) k += s; else p += s }
		END { print "ipi", p + 0; print "lockkick", k + 0 }' /proc/interrupts
}

# bench_job W [DEV]: fio options for make bench's workload W on DEV
# (/dev/xvda), all direct libaio and time-based (the caller adds
# --runtime): rr4k1 / rr4k32 4k random read at depth 1 (one job) / 32 (two
# jobs), rr4k32g the same with fio's own clock reads cut down
# (--gtod_reduce=1: no latency statistics; in a PV guest each clock read is
# a system call through Xen, so this shows how much of an I/O's cost is
# fio's), rw4k32 4k random write at depth 32 (two jobs), sr64k / sw64k
# 64 KiB sequential read / write at depth 16, sr1m / sw1m 1 MiB at depth 4.
bench_job() {
	_bj="--filename=${2:-/dev/xvda} --direct=1 --ioengine=libaio --time_based --size=1g --numjobs=1"
	case $1 in
	rr4k1) echo "$_bj --rw=randread --bs=4k --iodepth=1" ;;
	rr4k32) echo "$_bj --rw=randread --bs=4k --iodepth=32 --numjobs=2" ;;
	rr4k32g) echo "$_bj --rw=randread --bs=4k --iodepth=32 --numjobs=2 --gtod_reduce=1" ;;
	rw4k32) echo "$_bj --rw=randwrite --bs=4k --iodepth=32 --numjobs=2" ;;
	sr64k) echo "$_bj --rw=read --bs=64k --iodepth=16" ;;
	sw64k) echo "$_bj --rw=write --bs=64k --iodepth=16" ;;
	sr1m) echo "$_bj --rw=read --bs=1m --iodepth=4" ;;
	sw1m) echo "$_bj --rw=write --bs=1m --iodepth=4" ;;
	*) echo "bench_job: unknown workload $1" >&2; return 1 ;;
	esac
}

# perf_top SIDE RUN DATA: where the samples of perf.data DATA (every CPU,
# the kernel's and fio's) went: "PERF|SIDE|RUN| percent comm dso symbol"
# lines for the functions with at least 0.1 % of them, the busiest first
# (an idle vCPU shows as swapper in the hypercall that blocks it).
perf_top() {
	perf report -i "$3" --stdio --no-children --sort comm,dso,sym --percent-limit 0.1 2>/dev/null |
		grep -vE '^#|^ *$' | head -n 80 | sed "s/^/PERF|$1|$2|/"
}

# rig_udev_load DEVICE: what udev does when a device appears whose uevent
# names a module alias: modprobe the device's modalias (udev's rule hands
# $MODALIAS to its kmod builtin).  Neither dom0 nor the guests run udev,
# and their kernels have no uevent helper.
rig_udev_load() {
	/sbin/modprobe -q "$(cat "$1/modalias")"
}
