# shellcheck shell=bash
# Helpers for scenario scripts running in dom0 (sourced as /rig/scenario-lib.sh).
# RIG_SCN and RIG_DIR come from run-scenario.
# shellcheck source=../shared/rig-lib.sh
. /rig/rig-lib.sh
# shellcheck source=/dev/null
[ -r /rig/kernel.env ] && . /rig/kernel.env

# res KEY VALUE: a result row for this scenario.
res() { echo "RIGRES|$RIG_SCN|$1|$2"; }
# rows from the shared helpers (rig_fio) belong to this scenario too
rig_res() { res "$@"; }

# fail MESSAGE: record a failed check; the scenario fails at its end.
fail() {
	echo "RIG-FAIL|$RIG_SCN|$*"
	echo "$*" >> "$RIG_DIR/failed"
}

# expect DESCRIPTION COMMAND...: run COMMAND, record a failure if it fails.
expect() {
	local what=$1
	shift
	if "$@"; then
		echo "RIG-OK|$RIG_SCN|$what"
	else
		fail "$what"
	fi
}

# ---- null_blk through configfs, so each scenario picks its own devices
nullb_load() {
	[ -d /sys/kernel/config/nullb ] && return 0
	modprobe null_blk nr_devices=0 || { fail "cannot load null_blk"; return 1; }
	# configfs may be a module that null_blk just pulled in
	mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	[ -d /sys/kernel/config/nullb ] || { fail "no null_blk configfs"; return 1; }
}

# nullb_add NAME SIZE_MB [ATTR=VALUE...]: create and power on /dev/NAME.
# Useful attributes: memory_backed=1 (needed for any data check),
# blocksize=4096, discard=1, submit_queues=N, queue_mode=2 (the default here).
nullb_add() {
	local name=$1 size=$2 d kv
	shift 2
	nullb_load || return 1
	d=/sys/kernel/config/nullb/$name
	mkdir "$d" || { fail "nullb $name: mkdir"; return 1; }
	echo "$size" > "$d/size"
	echo 2 > "$d/queue_mode"
	echo 2 > "$d/submit_queues"
	for kv in "$@"; do
		echo "${kv#*=}" > "$d/${kv%%=*}" || { fail "nullb $name: $kv"; return 1; }
	done
	echo 1 > "$d/power" || { fail "nullb $name: power on"; return 1; }
	wait_until 10 test -b "/dev/$name" || { fail "nullb $name: no /dev/$name"; return 1; }
}

nullb_del() {
	local d=/sys/kernel/config/nullb/$1
	[ -d "$d" ] || return 0
	echo 0 > "$d/power"
	rmdir "$d"
}

# ---- guests
# guest_start NAME TASK MODS VCPUS DISK... : boot a PV guest running
# /rig/tests/TASK.guest.sh after loading MODS ("a+b", "-" for none), with
# xl disk specs DISK... (e.g. 'phy:/dev/vrf,xvda,w'); RIG_GUEST_CFG adds lines
# to its xl configuration.  Its console is copied to ours prefixed with
# "G|NAME|".
guest_start() {
	local name=$1 task=$2 mods=$3 vcpus=$4 disks="" d
	shift 4
	for d in "$@"; do disks="$disks${disks:+, }'$d'"; done
	[ "$mods" = - ] && mods=
	cat > "$RIG_DIR/$name.cfg" <<-CFG
	name = "$name"
	type = "pv"
	kernel = "/rig/guest/vmlinux"
	ramdisk = "/rig/guest/initrd.cpio"
	extra = "console=hvc0 rdinit=/init loglevel=6 ${RIG_GUEST_EXTRA:-} rig.task=$task rig.mods=$mods"
	memory = ${RIG_GUEST_MEM:-768}
	vcpus = $vcpus
	disk = [ $disks ]
	on_poweroff = "destroy"
	on_reboot = "destroy"
	on_crash = "preserve"
	${RIG_GUEST_CFG:-}
	CFG
	local log=/var/log/xen/console/guest-$name.log
	rm -f "$log"
	xl create -F "$RIG_DIR/$name.cfg" > "$RIG_DIR/$name.xl.log" 2>&1 &
	echo $! > "$RIG_DIR/$name.xlpid"
	( RIG_POLL_S=0.1 wait_until 60 test -e "$log"
	  exec tail -n +1 -F "$log" 2>/dev/null | sed -u "s/^/G|$name| /" ) &
	echo $! > "$RIG_DIR/$name.tailpid"
	guest_boot_watch "$name" &
	echo "RIG-DOM0: guest $name starting at $(uptime_s)s"
}

# guest_unfollow NAME: stop copying the guest's console to ours.  The
# tail and sed of guest_start's pipeline are children of the subshell whose
# pid it kept; left running, a tail -F would copy a later guest of the same
# name twice.
guest_unfollow() {
	local pid kids
	pid=$(cat "$RIG_DIR/$1.tailpid" 2>/dev/null) || return 0
	kids=$(pgrep -P "$pid")
	kill "$pid" 2>/dev/null
	# shellcheck disable=SC2086 # one pid per word
	[ -z "$kids" ] || kill $kids 2>/dev/null
}

# guest_boot_watch NAME: a guest whose kernel crashed, or whose init has
# not said "RIG-GUEST: up" RIG_GUEST_UP_S (150) seconds after its domain
# appeared, broke in early boot (under TCG, now and then, before a line of
# ours ran): show where its vCPUs are (xenctx; a crashed guest is kept by
# on_crash=preserve) and destroy it, so that the scenario's waits end and
# guest_collect marks it for run-scenario's retry.
guest_boot_watch() {
	local name=$1 log=/var/log/xen/console/guest-$1.log domid end why state
	end=$((SECONDS + 300))
	until domid=$(xl domid "$name" 2>/dev/null); do
		[ $SECONDS -lt $end ] || return 0
		sleep 1
	done
	end=$((SECONDS + ${RIG_GUEST_UP_S:-150}))
	why="no 'RIG-GUEST: up' ${RIG_GUEST_UP_S:-150}s after domain $domid appeared"
	while :; do
		# the state first, so that a line printed just before it ended counts
		state=$(xl list "$domid" 2>/dev/null | awk 'NR == 2 { print $5 }')
		grep -q '^RIG-GUEST: up ' "$log" 2>/dev/null && return 0
		[ -n "$state" ] || return 0
		case $state in *c*)
			why="domain $domid crashed before 'RIG-GUEST: up'"
			break ;;
		esac
		[ $SECONDS -lt $end ] || break
		sleep 2
	done
	echo "RIG-GUEST-STUCK|$name|$why; its vCPUs:"
	guest_vcpus "$domid" "RIG-GUEST-STUCK|$name"
	xl destroy "$domid" 2>/dev/null
}

# guest_vcpus DOMID PREFIX: where the domain's vCPUs are: xl vcpu-list, then
# each vCPU's registers and the stack words that are guest kernel symbols
# (xenctx with the guest's System.map), every line prefixed "PREFIX| ".
guest_vcpus() {
	xl vcpu-list "$1" 2>&1 | sed "s/^/$2| /"
	/usr/lib/xen-4.17/bin/xenctx -s /rig/guest/System.map -S -C "$1" 2>&1 |
		grep -vE '^ *[0-9a-f]{16}: +[0-9a-f]{16} *$|^( [0-9a-f]{16}){1,4} *$|^ *$' | head -n 160 |
		sed "s/^/$2| /"
}

# xenstored_state PREFIX: xenstored's scheduler state, wait channel and
# kernel stack, one PREFIX|xenstored line each.
xenstored_state() {
	local p
	for p in $(pidof xenstored oxenstored 2>/dev/null); do
		echo "$1|xenstored $p|state $(awk '/^State:/ { print $2 }' "/proc/$p/status" 2>/dev/null) wchan $(cat "/proc/$p/wchan" 2>/dev/null) syscall $(cat "/proc/$p/syscall" 2>/dev/null)"
		sed "s/^/$1|xenstored $p| /" "/proc/$p/stack" 2>/dev/null
	done
	# events delivered to xenstored's ports and to dom0's own xenbus: two
	# looks show whether they still come (read before any xl or
	# xenstore-* command, which would wake xenstored through its socket)
	grep -E 'xenstored|xenbus' /proc/interrupts 2>/dev/null | tr -s ' ' | sed "s/^/$1|irq| /"
}

# dom0_hung_report NAME: the newest hung-task report of dom0's log with the
# stack that follows it (RIG-HUNG lines), the stacks of all tasks in D
# state now, and xenstored's state.
dom0_hung_report() {
	local p
	dmesg | awk '/blocked for more than/ { buf = ""; on = 1 } on { buf = buf $0 "\n" } END { printf "%s", buf }' |
		head -n 60 | sed "s/^/RIG-HUNG|$1|dom0| /"
	for p in /proc/[0-9]*; do
		[ "$(awk '/^State:/ { print $2 }' "$p/status" 2>/dev/null)" = D ] || continue
		echo "RIG-HUNG|$1|dom0|D task ${p#/proc/} $(cat "$p/comm" 2>/dev/null)"
		sed "s/^/RIG-HUNG|$1|dom0|  /" "$p/stack" 2>/dev/null
	done
	xenstored_state "RIG-HUNG|$1"
}

# rig_dump WHY: before anything is destroyed, show what every live guest and
# dom0 are doing (RIG-DUMP lines): each guest's vCPUs (guest_vcpus), its
# blocked tasks and timers (xl sysrq w and q: the guest prints them on its own console, so
# they appear among its G| lines; its RIG-HB heartbeat lines there show
# its rings), dom0's blocked tasks and every vbd backend's per-ring state,
# and Xen's view of the domains' event channels.  Bounded: each xl call
# has its own timeout.
rig_dump() {
	local d name n0
	echo "RIG-DUMP|$RIG_SCN|begin: $*"
	xenstored_state "RIG-DUMP|$RIG_SCN"
	for d in $(timeout 20 xl list 2>/dev/null | awk 'NR > 2 { print $2 }'); do
		name=$(timeout 20 xl domname "$d" 2>/dev/null)
		echo "RIG-DUMP|$RIG_SCN|guest $name (domain $d)"
		guest_vcpus "$d" "RIG-DUMP|$RIG_SCN|$name"
		timeout 20 xl sysrq "$d" w 2>&1 | sed "s/^/RIG-DUMP|$RIG_SCN|$name| /"
		# timer_list: each vCPU's clockevent state and next event, the
		# hrtimers queued there (a vCPU whose tick device is shut down
		# never wakes its sleepers)
		timeout 20 xl sysrq "$d" q 2>&1 | sed "s/^/RIG-DUMP|$RIG_SCN|$name| /"
	done
	n0=$(dmesg | wc -l)
	echo w > /proc/sysrq-trigger 2>/dev/null
	sleep 1
	dmesg | tail -n +"$((n0 + 1))" | head -n 150 | sed "s/^/RIG-DUMP|$RIG_SCN|dom0| /"
	for d in /sys/bus/xen-backend/devices/vbd-*; do
		[ -d "$d" ] || continue
		for n in "$d"/queue-*/*; do
			[ -f "$n" ] || continue
			echo "RIG-DUMP|$RIG_SCN|${d##*/}|${n#"$d"/} $(head -c 200 "$n" 2>/dev/null | tr '\n' ' ')"
		done
		n=${d##*/vbd-}
		echo "RIG-DUMP|$RIG_SCN|${d##*/}|xenbus state $(xenstore-read "/local/domain/0/backend/vbd/${n%-*}/${n##*-}/state" 2>/dev/null)"
	done
	echo "RIG-DUMP|$RIG_SCN|end"
	# let the guests' consoles catch up with their sysrq output
	sleep 3
}

# guest_silent NAME SECONDS: true when the guest's console has not grown for
# SECONDS (its heartbeat prints every 30 s, so silence means its userspace
# stopped).  Keeps its last size and time in RIG_DIR/NAME.quiet.
guest_silent() {
	local f=$RIG_DIR/$1.quiet size now last t
	size=$(stat -c %s "/var/log/xen/console/guest-$1.log" 2>/dev/null || echo 0)
	now=$SECONDS
	read -r last t 2>/dev/null < "$f" || { last=-1; t=$now; }
	if [ "$size" != "$last" ]; then
		echo "$size $now" > "$f"
		return 1
	fi
	[ $((now - t)) -ge "$2" ]
}

# guest_watch NAME: called by the waits on each turn: a guest silent for
# RIG_GUEST_SILENT_S (180) seconds is dumped once (rig_dump), not destroyed:
# the wait's own bound ends it.
guest_watch() {
	[ -e "$RIG_DIR/$1.dumped" ] && return 0
	guest_silent "$1" "${RIG_GUEST_SILENT_S:-180}" || return 0
	touch "$RIG_DIR/$1.dumped"
	fail "guest $1 printed nothing for ${RIG_GUEST_SILENT_S:-180}s"
	rig_dump "guest $1 printed nothing for ${RIG_GUEST_SILENT_S:-180}s"
}

# guest_last_hb NAME: the guest's last heartbeat, compact (disks in flight,
# each ring's indices), and whether it dumped a stall: CI shows only the
# fail line of a scenario, so a hang's fail line carries this
guest_last_hb() {
	local log=/var/log/xen/console/guest-$1.log hb
	hb=$(tr -d '\r' < "$log" 2>/dev/null | grep '^RIG-HB|' | tail -n 1 | cut -d'|' -f2- | cut -c1-200)
	printf '%s' "${hb:+; last heartbeat at $hb}"
	tr -d '\r' < "$log" 2>/dev/null | grep -q '^RIG-GUEST-DUMP: requests' && printf '; the guest dumped a stall'
}

# guest_wait NAME [TIMEOUT_S]: wait until the guest powered off, take its
# RIGRES rows as NAME.key, and fail unless it ended with rc=0.
guest_wait() {
	local name=$1 tmo=${2:-600} pid end
	pid=$(cat "$RIG_DIR/$name.xlpid")
	end=$((SECONDS + tmo))
	while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $end ]; do
		guest_watch "$name"
		sleep 0.5
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "guest $name did not finish in ${tmo}s$(guest_last_hb "$name")"
		[ -e "$RIG_DIR/$name.dumped" ] || rig_dump "guest $name did not finish in ${tmo}s"
		timeout 60 xl destroy "$name" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	sleep 0.5
	grep -v ' detail: ' "$RIG_DIR/$name.xl.log" | tail -n 15 | sed "s/^/XL|$name| /"
	guest_collect "$name"
}

# guest_collect NAME: the guest is gone; stop following its console, take
# its RIGRES rows as NAME.key, and fail unless it ended with rc=0.
guest_collect() {
	local name=$1 text end bad early said
	guest_unfollow "$name"
	text=$(tr -d '\r' 2>/dev/null < "/var/log/xen/console/guest-$name.log")
	grep '^RIGRES|' <<< "$text" | while IFS='|' read -r _ k v; do
		res "$name.$k" "$v"
	done
	# A guest kernel that started, then died, hung or reported trouble (an
	# RCU stall when TCG starved its vCPUs) before its init ran had run no
	# line of ours: run-scenario may run the scenario once more.  A guest
	# whose kernel never started (xl create failed) is not one of those.
	early=$(awk -v bad="$RIG_BAD_RE" '
		/ Linux version / { started = 1 }
		/^RIG-GUEST: up / { up = 1; exit }
		$0 ~ bad && !first { first = $0 }
		END {
			if (!started) exit
			if (!up) print "its init never ran"
			else if (first) print "before its init ran: " first
		}' <<< "$text")
	if [ -n "$early" ]; then
		echo "$name" >> "$RIG_DIR/early-death"
		echo "RIG-GUEST-EARLY|$name|$early; last console line: $(tail -n 1 <<< "$text")"
	fi
	end=$(sed -n 's/^RIG-GUEST-END rc=\([0-9]*\).*/\1/p' <<< "$text" | tail -n 1)
	res "$name.rc" "${end:-none}"
	[ "$end" = 0 ] && return
	# name the results the guest reported as failed
	bad=$(grep '^RIGRES|' <<< "$text" |
		awk -F'|' '$3 ~ /^(FAIL|FAILED)$/ { printf " %s", $2 }')
	# and the guest script's own last words (CI shows only the fail line)
	said=$(grep -vE '^\[ *[0-9]|^RIG|^ *$' <<< "$text" | tail -n 3 |
		tr '\n' ';' | cut -c1-300)
	fail "guest $name ended with rc=${end:-none (no end line)}${bad:+ (failed:$bad)}${said:+: $said}"
}

# guest_wait_line NAME REGEX [TIMEOUT_S]: wait until the guest's console
# has a line matching REGEX; non-zero on timeout, or once the guest that
# guest_start created is gone without printing it.
guest_wait_line() {
	local log=/var/log/xen/console/guest-$1.log pid alive end
	pid=$(cat "$RIG_DIR/$1.xlpid")
	end=$((SECONDS + ${3:-300}))
	while :; do
		# alive first, so that a line printed just before it ended counts
		alive=1
		kill -0 "$pid" 2>/dev/null || timeout 20 xl domid "$1" > /dev/null 2>&1 || alive=0
		{ tr -d '\r' < "$log" | grep -qE "$2"; } 2>/dev/null && return 0
		[ $alive = 1 ] || return 1
		[ $SECONDS -lt $end ] || return 1
		guest_watch "$1"
		sleep 0.5
	done
}

# guest_wait_gone NAME [TIMEOUT_S]: wait until no domain NAME exists (for
# guests that were saved and restored, which outlive their `xl create`);
# destroy it and fail on timeout.
guest_wait_gone() {
	local end=$((SECONDS + ${2:-600}))
	while timeout 20 xl domid "$1" > /dev/null 2>&1; do
		if [ $SECONDS -ge $end ]; then
			fail "guest $1 did not finish in ${2:-600}s$(guest_last_hb "$1")"
			[ -e "$RIG_DIR/$1.dumped" ] || rig_dump "guest $1 did not finish in ${2:-600}s"
			timeout 60 xl destroy "$1" 2>/dev/null
			return 1
		fi
		guest_watch "$1"
		sleep 0.5
	done
}

# save_restore NAME ROUNDS "K:N ...": save and restore guest NAME ROUNDS
# times while it runs I/O (it prints "RIG-PHASE io" when it starts); before
# round K, xen-blkmq-back's max_queues becomes N, so the guest reconnects
# with N rings.  Reports each round's seconds and the backend's queue count;
# leaves the number of rounds done in SR_DONE.
save_restore() {
	local name=$1 k t0 t1 kn
	local mq=/sys/module/xen_blkmq_back/parameters/max_queues
	SR_DONE=0
	guest_wait_line "$name" '^RIG-PHASE io' 240 ||
		{ fail "guest $name never started its I/O"; return 1; }
	for k in $(seq 1 "$2"); do
		sleep 6
		for kn in $3; do
			[ "${kn%:*}" = "$k" ] && echo "${kn#*:}" > "$mq"
		done
		t0=$SECONDS
		timeout 300 xl save "$name" /run/g.save > "$RIG_DIR/save$k.log" 2>&1 ||
			{ fail "xl save $k"; tail -n 5 "$RIG_DIR/save$k.log"; return 1; }
		t1=$SECONDS
		timeout 300 xl restore /run/g.save > "$RIG_DIR/restore$k.log" 2>&1 ||
			{ fail "xl restore $k"; tail -n 5 "$RIG_DIR/restore$k.log"; return 1; }
		res "$name.save$k.seconds" "$((t1 - t0))"
		res "$name.restore$k.seconds" "$((SECONDS - t1))"
		res "$name.restore$k.backend_queues" \
			"$(cat "$(vbd_sysfs "$name" 51712)/nr_queues" 2>/dev/null)"
		rm -f /run/g.save
		# shellcheck disable=SC2034 # read by the scenario
		SR_DONE=$k
		echo "RIG-DOM0: $name: save/restore $k of $2 done at $(uptime_s)s"
	done
}

# be_stat COUNTER [GUEST [DEVID]]: the backend's statistics/COUNTER of
# GUEST's disk DEVID (default $guest's 51712, xvda); 0 when not there.
be_stat() { cat "$(vbd_sysfs "${2:-$guest}" "${3:-51712}")/statistics/$1" 2>/dev/null || echo 0; }

# guest_phases NAME CALLBACK: until guest NAME ends, call CALLBACK LABEL
# for every "RIG-PHASE LABEL" line it prints, then answer the guest (see
# rig_phase in rig-lib.sh): a guest that must stay connected while dom0
# looks at the backend waits for that answer.  A callback that sets
# RIG_PHASE_QUIET=SECONDS has the loop stop polling after the answer until
# the guest's next phase line, for at most ten times that long plus 60 s
# (a measured run: no grep, xl or sleep of ours inside it); a line
# "RIG-RUN ..." the guest prints meanwhile (its measured run starts) calls
# the callback with "run.LABEL" (LABEL without its first word).
guest_phases() {
	local name=$1 cb=$2 pid seen=0 n label lines fd tp line
	local log=/var/log/xen/console/guest-$name.log
	pid=$(cat "$RIG_DIR/$name.xlpid")
	while kill -0 "$pid" 2>/dev/null; do
		guest_watch "$name"
		n=$(grep -c '^RIG-PHASE ' "$log" 2>/dev/null)
		while [ "${n:-0}" -gt "$seen" ]; do
			seen=$((seen + 1))
			label=$(grep '^RIG-PHASE ' "$log" | sed -n "${seen}p" | tr -d '\r' | cut -d' ' -f2)
			"$cb" "$label"
			# (the guest prints no phase line before it has the answer)
			lines=$(wc -l < "$log")
			# the answer rig_phase_wait waits for
			timeout 20 xl sysrq "$name" h > /dev/null 2>&1
			# the callback asked for quiet (a measured run starts now):
			# block on the console log (tail -f sleeps on inotify)
			# until the next phase line, the run's end
			if [ -n "${RIG_PHASE_QUIET:-}" ] && [ "$seen" -eq "$n" ]; then
				exec {fd}< <(exec timeout $((RIG_PHASE_QUIET * 10 + 60)) \
					tail -n "+$((lines + 1))" -f "$log")
				tp=$!
				while IFS= read -r line <&"$fd"; do
					case $line in
					RIG-RUN*) "$cb" "run.${label#*.}" ;;
					RIG-PHASE\ *) break ;;
					esac
				done
				kill "$tp" 2> /dev/null
				exec {fd}<&-
				# that phase now, not after the loop's sleep (the
				# run's figures end at its callback)
				n=$(grep -c '^RIG-PHASE ' "$log" 2>/dev/null)
			fi
			RIG_PHASE_QUIET=
		done
		sleep 0.3
	done
}

# vbd_mapped: grants our backend driver (the "vbd" driver) maps now.
vbd_mapped() { cat /sys/bus/xen-backend/drivers/vbd/grants_mapped; }

# vbd_wait_gone [TIMEOUT_S]: wait until dom0 serves no vbd backend device
# (after a guest goes, xenwatch and the hotplug scripts tear its disks
# down one by one; a backend module cannot be unloaded before that);
# non-zero on timeout.
vbd_none() { [ -z "$(find /sys/bus/xen-backend/devices/ -maxdepth 1 -name 'vbd-*' 2>/dev/null)" ]; }
vbd_wait_gone() { RIG_POLL_S=0.5 wait_until "${1:-60}" vbd_none; }

# phy_hotplug: print the path of a hotplug script for disks on a dom0 block
# device, for 'phy:/dev/X,xvda,w,script=PATH'.  It does what Xen's "block"
# script does for such a disk (physical-device as hex major:minor,
# hotplug-status) without that script's sharing checks and locking, which
# take seconds each on the debug dom0 and, with several disks at once or
# I/O running, miss libxl's 10 s limit.  The backend driver still opens the
# real device.
phy_hotplug() {
	local f=/run/rig-phy-hotplug
	if [ ! -x $f ]; then
		cat > $f <<-'HP'
		#!/bin/sh
		[ "$1" = add ] || exit 0
		dev=$(xenstore-read "$XENBUS_PATH/params") || exit 1
		[ -b "$dev" ] || exit 1
		xenstore-write "$XENBUS_PATH/physical-device" "$(stat -L -c %t:%T "$dev")" \
			"$XENBUS_PATH/physical-device-path" "$dev" \
			"$XENBUS_PATH/hotplug-status" connected
		HP
		chmod +x $f
	fi
	echo $f
}

# vbd_backend_dir DOMNAME DEVID / vbd_frontend_dir DOMNAME DEVID
vbd_backend_dir() { echo "/local/domain/0/backend/vbd/$(xl domid "$1")/$2"; }
vbd_frontend_dir() { echo "/local/domain/$(xl domid "$1")/device/vbd/$2"; }

# vbd_sysfs DOMNAME DEVID: the backend's sysfs directory for that guest's
# disk; non-zero while the domain does not exist yet
vbd_sysfs() {
	local id
	id=$(xl domid "$1" 2> /dev/null) || return 1
	echo "/sys/bus/xen-backend/devices/vbd-$id-$2"
}

# disk_state_is DIR_FN DOMNAME DEVID STATE: the backend's state key is STATE
disk_state_is() {
	local dir
	dir=$("$1" "$2" "$3" 2>/dev/null) &&
		[ "$(xenstore-read "$dir/state" 2>/dev/null)" = "$4" ]
}

# vbd_wait_state DOMNAME DEVID STATE [TIMEOUT_S]: wait for the backend state.
vbd_wait_state() { wait_until "${4:-120}" disk_state_is vbd_backend_dir "$1" "$2" "$3"; }

# vbd_record DOMNAME DEVID PREFIX: report what both ends of one vbd wrote.
vbd_record() { disk_record "$(vbd_backend_dir "$1" "$2")" "$@"; }

# disk_record BACKEND_DIR DOMNAME DEVID PREFIX: the same for any disk backend
# (kernel vbd or QEMU qdisk); the frontend always lives under device/vbd.
disk_record() {
	local be=$1 fe k v
	shift
	fe=$(vbd_frontend_dir "$1" "$2")
	xenstore-ls -f "$be" | sed "s/^/XS|$3|/"
	xenstore-ls -f "$fe" | sed "s/^/XS|$3|/"
	for k in multi-queue-max-queues max-ring-page-order feature-persistent \
		feature-max-indirect-segments feature-flush-cache feature-barrier \
		feature-discard discard-secure discard-granularity discard-alignment \
		sectors sector-size physical-sector-size info; do
		v=$(xenstore-read "$be/$k" 2>/dev/null) || v=absent
		res "$3.back.$k" "$v"
	done
	for k in multi-queue-num-queues ring-page-order feature-persistent protocol; do
		v=$(xenstore-read "$fe/$k" 2>/dev/null) || v=absent
		res "$3.front.$k" "$v"
	done
}

# ---- QEMU's xen-block ("qdisk") backend
# For a guest disk with backendtype=qdisk, libxl itself starts one QEMU per
# guest in dom0 (/usr/libexec/xen-qemu-system-i386 -xen-domid N -xen-attach
# -machine xenpv ...), logging to /var/log/xen/qemu-dm-NAME.log, and stops it
# when the guest goes.  That QEMU serves backend/qdisk/N/* and nothing else:
# the xencommons "dom0 disk backend" QEMU (-xen-domid 0) would only serve
# disks attached to dom0 itself, so nothing needs starting here.
QDISK_QEMU=/usr/libexec/xen-qemu-system-i386

# qdisk_need: fail unless the QEMU libxl wants is there and has Xen's PV
# machine; reports its version.
qdisk_need() {
	[ -x "$QDISK_QEMU" ] || { fail "no $QDISK_QEMU (package qemu-system-xen)"; return 1; }
	res qemu.version "$(dpkg-query -W -f='${Version}' qemu-system-xen 2>/dev/null)"
	"$QDISK_QEMU" -machine help > "$RIG_DIR/qemu-machines.txt" 2>&1
	grep -q '^xenpv ' "$RIG_DIR/qemu-machines.txt" ||
		{ sed 's/^/QEMU-HELP| /' "$RIG_DIR/qemu-machines.txt"; fail "$QDISK_QEMU has no xenpv machine"; return 1; }
}

qdisk_backend_dir() { echo "/local/domain/0/backend/qdisk/$(xl domid "$1")/$2"; }

# qdisk_wait_state DOMNAME DEVID STATE [TIMEOUT_S]: wait for QEMU's state key.
qdisk_wait_state() { wait_until "${4:-120}" disk_state_is qdisk_backend_dir "$1" "$2" "$3"; }

# qdisk_record DOMNAME DEVID PREFIX: what QEMU and the frontend wrote.
qdisk_record() { disk_record "$(qdisk_backend_dir "$1" "$2")" "$@"; }

# qdisk_dm_pid DOMNAME: the pid of the QEMU libxl started for that guest.
qdisk_dm_pid() { xenstore-read "/local/domain/$(xl domid "$1")/image/device-model-pid" 2>/dev/null; }

# qdisk_dm_record DOMNAME: fail unless that guest's QEMU runs; print its
# command line (QEMU-CMD|NAME|...) while it does.
qdisk_dm_record() {
	local pid
	pid=$(qdisk_dm_pid "$1")
	if [ -z "$pid" ] || [ ! -r "/proc/$pid/cmdline" ]; then
		fail "no QEMU device model running for $1"
		return 1
	fi
	echo "QEMU-CMD|$1| $(tr '\0' ' ' < "/proc/$pid/cmdline")"
	res qemu.rss_kb "$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
}

# qdisk_dm_log DOMNAME: copy QEMU's log for that guest to the console
# (QEMU|NAME|...) and RIG_DIR, and fail on anything that looks like an error.
qdisk_dm_log() {
	local log=/var/log/xen/qemu-dm-$1.log
	[ -r "$log" ] || { fail "no QEMU log $log"; return 1; }
	cp "$log" "$RIG_DIR/"
	sed "s/^/QEMU|$1| /" "$log"
	if grep -qiE 'error|failed|assert|abort' "$log"; then
		fail "QEMU for $1 logged errors"
		return 1
	fi
}
