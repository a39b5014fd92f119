#!/bin/bash
# rig.sh - boot Xen 4.17 under QEMU (TCG, no KVM) with a Debian 6.1 PV dom0,
# run named scenarios from tests/rig in that one boot, and report.
#
# usage: tools/rig/rig.sh [-k stock|stock612|debug|debug612] [-g stock|stock612|debug|debug612] [-o OUTDIR] SCENARIO...
#
# -k: stock is Debian's 6.1 kernel (BLKMQ_KPKG), stock612 Debian 12's
# newest 6.12 build (linux-image-6.12.*+deb12-amd64-unsigned, or the
# release BLKMQ_K612_VER names), debug the lockdep build of 6.1, debug612
# the same build of 6.12 (linux-source-6.12, BLKMQ_KSRC612_VER).  -g gives
# the guests another kernel than dom0's: a stock one (hosts and guests
# upgrade at different times), or the debug build under a stock dom0 (a
# frontend's checks under lockdep with dom0 at stock speed; -k debug -g
# stock is the reverse, for a backend's); our modules are built for each.
#
# Builds (and caches under $BLKMQ_CACHE) everything from Debian packages:
# the Xen and kernel images, a dom0 root made with mmdebstrap, a busybox+fio
# guest initramfs; builds this tree's modules against the kernel it boots and
# copies them into dom0 (/rig/modules) and the guests.  Results:
#   OUTDIR/serial.log     everything Xen, dom0 and the guests printed
#   OUTDIR/results.csv    scenario,key,value rows (plus verdict rows)
#   OUTDIR/results.json   the same, grouped by scenario
#   OUTDIR/stages.csv     host stage timings; OUTDIR/milestones.csv boot timings
# Exits non-zero when a scenario fails, a kernel in any domain printed a
# warning/oops/lockdep/memory-checker report, Xen crashed, or a stage timed out.
#
# Env: RIG_FIO_RUNTIME (s per fio speed run, default 10), RIG_SOAK_CYCLES
# (front-soak's save/restore cycles, default 10), RIG_STALL_S (kill
# QEMU after this long without console output, default 300), JOBS,
# RIG_SLUB_DEBUG (debug kernels' slub_debug=, see below), RIG_ICOUNT
# (see below), BENCH_WORK / BENCH_SWEEP / BENCH_GUESTS / BENCH_PAIRS / BENCH_TSC (the
# bench scenario's plan, see tests/rig/bench.sh), RIG_PERF=1 (perf in
# dom0 and the guests, for the bench's profiles).
#
# RIG_ICOUNT=1: counted time.  QEMU runs single-threaded TCG with
# -icount shift=0,align=off,sleep=off: every clock in the machine (Xen's,
# dom0's, the guests') advances one nanosecond per emulated instruction,
# on whichever vCPU, and idle time is skipped.  A rate measured inside the
# rig (fio's IOPS) then means I/Os per 10^9 instructions of the whole
# machine, Xen, dom0 and the guests together, whatever the host's load:
# repeatable to well under 1 %.  It measures the cost of an I/O, not
# parallelism: the vCPUs take turns, so more queues or guests cannot raise
# the figure, and each side sees bigger batches than on real hardware
# (notification savings mostly vanish).  The emulation is slower on the
# wall clock, so the host's budget and stall limit are scaled by
# RIG_ICOUNT_SCALE (default 3).  For make bench; no check runs in it.
#
# RIG_PCPUS: the machine's physical CPUs (default 2).  With 1 and counted
# time only one vCPU of all the domains runs at any instant, so a domain's
# busy CPU time (its /proc/stat, steal not counted) is exactly the
# instructions its vCPUs ran, Xen's work on their behalf included, and the
# rest of the elapsed time is Xen's own: make bench's PCPUS=1 split.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/common.sh
. "$ROOT/tools/lib/common.sh"

KERNEL=stock
GKERNEL=
OUT=
while getopts "k:g:o:" o; do
	case $o in
	k) KERNEL=$OPTARG ;;
	g) GKERNEL=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || die "name at least one scenario (tests/rig/NAME.sh)"
SCENARIOS=("$@")
for s in "${SCENARIOS[@]}"; do [ -r "$ROOT/tests/rig/$s.sh" ] || die "no scenario tests/rig/$s.sh"; done
case $KERNEL in stock | stock612 | debug | debug612) ;; *) die "-k stock|stock612|debug|debug612" ;; esac
[ "$GKERNEL" = "$KERNEL" ] && GKERNEL=
case $GKERNEL in '' | stock | stock612 | debug | debug612) ;; *) die "-g stock|stock612|debug|debug612" ;; esac
# one debug build per boot: the line of whichever side runs it
DEBUG_LINE=
for k in "$KERNEL" "$GKERNEL"; do
	case $k in
	debug) l=6.1 ;;
	debug612) l=6.12 ;;
	*) continue ;;
	esac
	[ -z "$DEBUG_LINE" ] || [ "$DEBUG_LINE" = "$l" ] || die "dom0 and guests on two debug builds"
	DEBUG_LINE=$l
done
# stock_pkg FLAVOUR: the Debian kernel image package of a stock flavour
stock_pkg() {
	local v
	case $1 in
	stock612 | debug612)
		v=${BLKMQ_K612_VER:-$(k612_newest)}
		[ -n "$v" ] || { apt-get update -q >/dev/null; v=$(k612_newest); }
		[ -n "$v" ] || die "apt knows no Linux 6.12 for Debian 12"
		echo "linux-image-$v-amd64-unsigned" ;;
	*) echo "$BLKMQ_KPKG" ;;
	esac
}
# pkg_release PKG: the kernel release, the package name without its prefix
# and -unsigned suffix
pkg_release() { local r=${1#linux-image-}; echo "${r%-unsigned}"; }
# The stock image this boot takes Xen and dom0's packaged modules from (a
# debug kernel's, the stock kernel of its line).
KPKG=$(stock_pkg "$KERNEL")
SKVER=$(pkg_release "$KPKG")
# (a debug build for the guests needs no stock image of theirs)
GSTOCK=
case $GKERNEL in stock*) GSTOCK=$GKERNEL ;; esac
[ -n "$GSTOCK" ] && { GKPKG=$(stock_pkg "$GSTOCK"); GSKVER=$(pkg_release "$GKPKG"); }
[ "$(id -u)" = 0 ] || die "the rig needs root (mmdebstrap, chroot)"
OUT=${OUT:-$ROOT/build/rig-$KERNEL${GKERNEL:+-$GKERNEL}}
rm -rf "$OUT"
mkdir -p "$OUT"
export STAGE_LOG=$OUT/stages.csv
echo "stage,seconds,note" > "$STAGE_LOG"
W=$OUT/work
mkdir -p "$W" "$BLKMQ_CACHE/debs"
T_ALL=$(date +%s)
BLKMQ_KPKG_REL=$(pkg_release "$BLKMQ_KPKG")

# ------------------------------------------------------------ host packages
stage host-packages
apt_need qemu-system-x86 mmdebstrap cpio kmod xz-utils zstd busybox-static build-essential libxen-dev
[ "$KERNEL" = stock ] || [ "$GKERNEL" = stock ] && apt_need "linux-headers-$BLKMQ_KPKG_REL"
stage_done

# ------------------------------------------------------------ Xen + kernels
stage fetch-debs
fetch_deb() {
	local p=$1 f
	f=$(find "$BLKMQ_CACHE/debs" -name "${p}_*.deb" | sort | tail -n 1)
	if [ -z "$f" ]; then
		(cd "$BLKMQ_CACHE/debs" && timeout 600 apt-get download -qq "$p" >/dev/null 2>&1) ||
			{ apt-get update -q >/dev/null; (cd "$BLKMQ_CACHE/debs" && timeout 600 apt-get download -qq "$p"); }
		f=$(find "$BLKMQ_CACHE/debs" -name "${p}_*.deb" | sort | tail -n 1)
		[ -n "$f" ] || die "could not download $p"
	fi
	echo "$f"
}
# stock_headers RELEASE: the header tree to build our modules against
stock_headers() {
	case $1 in
	6.12.*) BLKMQ_K612_VER=${1%-amd64} headers_612 || die "no 6.12 headers" ;;
	*) echo "/usr/src/linux-headers-$1" ;;
	esac
}
XDEB=$(fetch_deb "$BLKMQ_XPKG")
KDEB=$(fetch_deb "$KPKG")
[ -n "$GSTOCK" ] && GKDEB=$(fetch_deb "$GKPKG")
stage_done "$(basename "$XDEB") $(basename "$KDEB")${GSTOCK:+ $(basename "${GKDEB:-}")}"

stage extract
# stock_extract KDEB RELEASE: unpack a kernel image (with Xen) once into the
# cache; prints the directory (root/ the packages, vmlinux the guest ELF)
stock_extract() {
	local kdeb=$1 rel=$2 x z off
	x=$BLKMQ_CACHE/stock/$(basename "$kdeb" .deb)+$(basename "$XDEB" .deb)
	if [ ! -e "$x/.complete" ]; then
		rm -rf "$x"
		mkdir -p "$x/root"
		dpkg-deb -x "$kdeb" "$x/root"
		dpkg-deb -x "$XDEB" "$x/root"
		zcat "$x"/root/boot/xen-4.17-amd64.gz > "$x/xen"   # multiboot wants the ELF
		depmod -b "$x/root" "$rel"
		# The guest gets an uncompressed ELF: unpacking a bzImage inside
		# emulated dom0 costs seconds per guest start.  6.1's payload is
		# xz, 6.12's zstd.
		z=$x/root/boot/vmlinuz-$rel
		if off=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$z" | cut -d: -f1) && [ -n "$off" ]; then
			tail -c +$((off + 1)) "$z" | xz -dc --single-stream > "$x/vmlinux" 2>/dev/null || true
		elif off=$(LC_ALL=C grep -m1 -obUaP '\x28\xb5\x2f\xfd' "$z" | cut -d: -f1) && [ -n "$off" ]; then
			# zstd stops at the end of its frame and complains of what follows
			tail -c +$((off + 1)) "$z" | zstd -dcq 2>/dev/null > "$x/vmlinux" || true
		fi
		[ -s "$x/vmlinux" ] || die "could not extract vmlinux from $kdeb"
		touch "$x/.complete"
	fi
	echo "$x"
}
X=$(stock_extract "$KDEB" "$SKVER")
XEN=$X/xen
# the lockdep build (tools/kernel), when either side runs it
if [ -n "$DEBUG_LINE" ]; then
	stage_done
	stage debug-kernel
	DBG=$(BLKMQ_DBG_LINE=$DEBUG_LINE timeout 3000 "$ROOT/tools/kernel/build-debug-kernel.sh") ||
		die "debug kernel build failed"
	DBGVER=$(cat "$DBG/include/config/kernel.release")
	# its guest image, whichever side boots it
	DBG_GUEST=$DBG/arch/x86/boot/compressed/vmlinux.bin
	# slub_debug: redzones, poisoning and consistency checks on every
	# cache; the allocating and freeing stack (U) only where our drivers'
	# memory lives (kmalloc) and the bios both sides build: the other
	# caches' owners are not ours.  (What it saves is not measured: one
	# pair of runs said a fifth of front-features, 290 s against 232 s,
	# but a later run with this setting took 287 s, so the host's drift
	# was most of it.)  RIG_SLUB_DEBUG=FZPU gives every cache its stacks.
	# kmemleak is built default-off: switched on here, scanned at the end of
	# every scenario and guest.
	SLUB=${RIG_SLUB_DEBUG:-'FZP;FZPU,kmalloc-*,bio-*,biovec-*'}
	DEBUG_EXTRA="slub_debug=$SLUB kmemleak=on"
fi
if [ "${KERNEL#debug}" = "$KERNEL" ]; then
	KVER=$SKVER
	DOM0_KERNEL=$X/root/boot/vmlinuz-$KVER
	GUEST_KERNEL=$X/vmlinux
	GUEST_SYSMAP=$X/root/boot/System.map-$KVER
	MODROOT=$X/root
	KDIR=${KDIR:-$(stock_headers "$KVER")}
	DOM0_EXTRA=
	GUEST_EXTRA=
else
	KVER=$DBGVER
	DOM0_KERNEL=$DBG/arch/x86/boot/bzImage
	GUEST_KERNEL=$DBG_GUEST
	GUEST_SYSMAP=$DBG/System.map
	MODROOT=$DBG/modinst
	KDIR=${KDIR:-$DBG}
	# nohz=off (dom0 only): when the tick goes idle-capable (~2 s into
	# boot) the kernel flips the timers_migration_enabled static key,
	# patching a jump in __mod_timer while other vCPUs run it; under QEMU
	# TCG that races (int3 at __mod_timer+0x1a8, "Fatal exception in
	# interrupt"; seen in debug dom0 boots more than once).  Without nohz
	# it never flips.  Not for guests: with nohz=off a guest hung after
	# its fifth save/restore in front-lifecycle (now front-saverestore).
	DOM0_EXTRA="$DEBUG_EXTRA nohz=off"
	GUEST_EXTRA=$DEBUG_EXTRA
fi
# guests on another kernel than dom0's: a stock one, or the debug build
# (so that each half's scenarios run under lockdep where that half runs,
# and the other side at stock speed)
GKVER=$KVER
GMODROOT=$MODROOT
GKDIR=$KDIR
case $GKERNEL in
'') ;;
debug*)
	GKVER=$DBGVER
	GUEST_KERNEL=$DBG_GUEST
	GUEST_SYSMAP=$DBG/System.map
	GMODROOT=$DBG/modinst
	GKDIR=$DBG
	GUEST_EXTRA=$DEBUG_EXTRA
	;;
*)
	GX=$(stock_extract "$GKDEB" "$GSKVER")
	GKVER=$GSKVER
	GUEST_KERNEL=$GX/vmlinux
	GUEST_SYSMAP=$GX/root/boot/System.map-$GKVER
	GMODROOT=$GX/root
	GKDIR=$(stock_headers "$GKVER")
	GUEST_EXTRA=
	;;
esac
stage_done "kernel $KVER${GKERNEL:+, guests $GKVER}"

# ------------------------------------------------------------ dom0 root
stage dom0-rootfs
# qemu-system-xen: /usr/libexec/xen-qemu-system-i386, which libxl starts per
# guest as the backend for its backendtype=qdisk disks (only when it has one).
PKGS=xen-utils-4.17,qemu-system-xen,fio,kmod,iproute2,procps
# RIG_PERF=1 (make bench's profiles): perf in dom0 and the guests; a base
# of its own, so that the other boots stay as small as they are
[ "${RIG_PERF:-0}" = 1 ] && PKGS=$PKGS,linux-perf
BASE_TAR=$BLKMQ_CACHE/dom0-base-$(echo "$PKGS" | sha256sum | cut -c1-8).tar
if [ ! -s "$BASE_TAR" ]; then
	SRC=()
	for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
		[ -s "$f" ] && { SRC=("$f"); break; }
	done
	# shellcheck disable=SC2016 # $1 is expanded by mmdebstrap's hook shell
	timeout 1200 mmdebstrap --mode=root --variant=minbase --include="$PKGS" \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--customize-hook='rm -rf "$1"/etc/apt/sources.list "$1"/etc/apt/sources.list.d/*' \
		bookworm "${BASE_TAR%.tar}.tmp.tar" "${SRC[@]}" > "$OUT/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$OUT/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
	mv "${BASE_TAR%.tar}.tmp.tar" "$BASE_TAR"
	note=built
fi
stage_done "${note:-cached}"

# ------------------------------------------------------------ our modules
stage modules
# build_mods KDIR DIR: our modules (the hostile ones too) built against KDIR
# in DIR; prints their paths
build_mods() {
	local kdir=$1 mb=$2
	rm -rf "$mb"
	mkdir -p "$mb/tools"
	cp -r "$ROOT/Kbuild" "$ROOT/include" "$ROOT/drivers" "$mb/"
	cp -r "$ROOT/tools/hostile" "$mb/tools/"
	timeout 600 make -s -C "$kdir" M="$mb" CONFIG_XEN_BLKMQ_HOSTILE=m modules >> "$OUT/modules.log" 2>&1 ||
		{ cat "$OUT/modules.log" >&2; die "module build against $kdir failed"; }
	find "$mb" -name '*.ko'
}
mapfile -t OURMODS < <(build_mods "$KDIR" "$W/modsrc")
[ ${#OURMODS[@]} -gt 0 ] || die "no modules built against $KDIR"
GOURMODS=("${OURMODS[@]}")
if [ "$GKDIR" != "$KDIR" ]; then
	mapfile -t GOURMODS < <(build_mods "$GKDIR" "$W/modsrc-guest")
	[ ${#GOURMODS[@]} -gt 0 ] || die "no modules built against $GKDIR"
fi
stage_done "$(for m in "${OURMODS[@]}"; do basename "$m"; done | tr '\n' ' ')"

# copy_kmods ROOT MODROOT KVER MODULE...: packaged kernel modules of release
# KVER (unpacked under MODROOT) and their dependencies into ROOT.
copy_kmods() {
	local root=$1 modroot=$2 KVER=$3 m rel dep src
	src=$modroot/lib/modules/$KVER
	shift 3
	for m in "$@"; do
		rel=$(grep -m1 -E "(^|/)${m}\.ko(\.[a-z]+)?:" "$src/modules.dep" | cut -d: -f1)
		[ -n "$rel" ] || die "module $m not in $KVER"
		for dep in $rel $(grep -E "^${rel}:" "$src/modules.dep" | cut -d: -f2); do
			mkdir -p "$root/lib/modules/$KVER/$(dirname "$dep")"
			# 6.12's modules are xz-compressed: stored plain, so that
			# any modprobe (the guest's is busybox's) loads them
			case $dep in
			*.ko.xz) [ -e "$root/lib/modules/$KVER/${dep%.xz}" ] ||
				xz -dc "$src/$dep" > "$root/lib/modules/$KVER/${dep%.xz}" ;;
			*) cp -n "$src/$dep" "$root/lib/modules/$KVER/$dep" ;;
			esac
		done
	done
	cp "$src"/modules.order "$src"/modules.builtin* "$root/lib/modules/$KVER/"
	depmod -b "$root" "$KVER"
}
# rig_files ROOT MODULE...: the rig's scripts and our MODULEs into ROOT
rig_files() {
	local root=$1
	shift
	mkdir -p "$root/rig/tests" "$root/rig/modules"
	cp "$ROOT/tools/rig/shared/rig-lib.sh" "$ROOT/tools/blkmq-stat" "$root/rig/"
	cp "$ROOT"/tests/rig/*.sh "$root/rig/tests/"
	mkdir -p "$root/rig/packaging"
	cp "$ROOT"/packaging/modprobe/*.conf "$root/rig/packaging/"
	[ $# -eq 0 ] || cp "$@" "$root/rig/modules/"
}

# ------------------------------------------------------------ guest initramfs
stage guest-initramfs
B0=$W/dom0
rm -rf "$B0"
mkdir -p "$B0"
tar -C "$B0" -xf "$BASE_TAR"
G=$W/guest
rm -rf "$G"
mkdir -p "$G"/{bin,proc,sys,dev,tmp,run,etc,usr/lib,usr/lib64}
ln -s usr/lib "$G/lib"
ln -s usr/lib64 "$G/lib64"
ln -s bin "$G/sbin"
cp /bin/busybox "$G/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$G/bin/$a"; done
# fio, and kmod for what a guest's modprobe.d says (install-switch;
# busybox's modprobe knows no install lines; the guest links it in itself)
GBINS="/usr/bin/fio /usr/bin/kmod"
[ "${RIG_PERF:-0}" = 1 ] && GBINS="$GBINS /usr/bin/perf"
for b in $GBINS; do cp "$B0$b" "$G/bin/"; done
# shellcheck disable=SC2086 # GBINS is a list
for lib in $(chroot "$B0" ldd $GBINS | awk '/=>/ {print $3} /ld-linux/ {print $1}' | sort -u); do
	mkdir -p "$G$(dirname "$lib")"
	cp -L "$B0$lib" "$G$lib"
done
copy_kmods "$G" "$GMODROOT" "$GKVER" xen-blkfront null_blk
rig_files "$G" "${GOURMODS[@]}"
cp "$ROOT/tools/rig/guest/init" "$G/init"
chmod +x "$G/init"
(cd "$G" && find . | cpio -o -H newc --quiet) > "$W/guest.cpio"
stage_done "$(du -h "$W/guest.cpio" | cut -f1)"

# ------------------------------------------------------------ dom0 initramfs
stage dom0-initramfs
rm -rf "$B0"/usr/share/{doc,man,locale,info} "$B0"/var/cache/apt/* "$B0"/var/lib/apt/lists/* \
	"$B0"/usr/lib/python3* "$B0"/usr/share/python3* "$B0"/usr/lib/x86_64-linux-gnu/perl \
	"$B0"/usr/share/perl "$B0"/usr/share/{seabios,iso-codes,xml/iso-codes} "$B0"/usr/lib/ipxe
# QEMU's xenpv machine (the qdisk backend) loads no firmware: keep its keymaps only
find "$B0"/usr/share/qemu -maxdepth 1 -type f -delete 2>/dev/null || true
copy_kmods "$B0" "$MODROOT" "$KVER" null_blk loop xen-blkback xen-blkfront xenfs xen-evtchn xen-gntdev \
	xen-gntalloc xen-privcmd
rig_files "$B0" "${OURMODS[@]}"
cp "$ROOT"/tools/rig/dom0/{run-scenario,scenario-lib.sh} "$B0/rig/"
cp "$ROOT/tools/rig/dom0/init" "$B0/init"
# Xen's own CPU accounting for the bench (libxenctrl, as dom0's xl uses)
gcc -O2 -Wall -o "$B0/rig/xen-cputime" "$ROOT/tools/rig/dom0/xen-cputime.c" -lxenctrl ||
	die "cannot build xen-cputime"
chmod +x "$B0/init" "$B0/rig/run-scenario"
mkdir -p "$B0/rig/guest"
cp "$GUEST_KERNEL" "$B0/rig/guest/vmlinux"
# for xenctx's symbols when a guest is stuck (guest_boot_watch)
cp "$GUEST_SYSMAP" "$B0/rig/guest/System.map"
cp "$W/guest.cpio" "$B0/rig/guest/initrd.cpio"
{
	echo "RIG_GUEST_EXTRA='$GUEST_EXTRA'"
	echo "RIG_FIO_RUNTIME=${RIG_FIO_RUNTIME:-10}"
	echo "export RIG_FIO_RUNTIME"
	echo "RIG_SOAK_CYCLES=${RIG_SOAK_CYCLES:-10}"
	# make bench's choice of workloads, sweeps, guests and pairings
	for v in BENCH_WORK BENCH_SWEEP BENCH_GUESTS BENCH_PAIRS BENCH_TSC; do
		[ -z "${!v:-}" ] || echo "$v='${!v}'"
	done
} > "$B0/rig/kernel.env"
# the guest reads RIG_FIO_RUNTIME from its command line
GUEST_EXTRA="$GUEST_EXTRA RIG_FIO_RUNTIME=${RIG_FIO_RUNTIME:-10}"
sed -i "s|^RIG_GUEST_EXTRA=.*|RIG_GUEST_EXTRA='$GUEST_EXTRA'|" "$B0/rig/kernel.env"
(cd "$B0" && find . | cpio -o -H newc --quiet) > "$W/dom0.cpio"
rm -rf "$B0" "$G"
stage_done "$(du -h "$W/dom0.cpio" | cut -f1)"

# ------------------------------------------------------------ boot and run
stage boot-and-run
LOG=$OUT/serial.log
: > "$LOG"
budget=300
for s in "${SCENARIOS[@]}"; do
	t=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$ROOT/tests/rig/$s.sh" | head -n 1)
	budget=$((budget + ${t:-600} + 30))
done
ACCEL=(-accel "tcg,thread=multi,tb-size=1024")
stall=${RIG_STALL_S:-300}
if [ "${RIG_ICOUNT:-0}" = 1 ]; then
	# counted time (see the header); the scenarios' own timeouts run on
	# the machine's clocks, so only the host's wall-clock limits scale
	ACCEL=(-accel "tcg,thread=single,tb-size=1024" -icount "shift=0,align=off,sleep=off")
	budget=$((budget * ${RIG_ICOUNT_SCALE:-3}))
	stall=$((stall * ${RIG_ICOUNT_SCALE:-3}))
	echo "icount: shift=0 align=off sleep=off (single-threaded TCG), ${RIG_PCPUS:-2} physical CPU(s), budget ${budget}s" > "$OUT/icount.txt"
fi
SCN_ARG=$(IFS=+; echo "${SCENARIOS[*]}")
XEN_CMD="console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M dom0_max_vcpus=2 loglvl=all guest_loglvl=all noreboot"
DOM0_CMD="console=hvc0 earlyprintk=xen rdinit=/init loglevel=6 $DOM0_EXTRA rig.scenarios=$SCN_ARG"
printf 'xen: %s\ndom0: %s\n' "$XEN_CMD" "$DOM0_CMD" > "$OUT/cmdlines.txt"
# QEMU's -initrd splits multiboot modules at commas; a literal one is ",,".
timeout -k 10 "$budget" qemu-system-x86_64 \
	-machine pc -cpu qemu64 -smp "${RIG_PCPUS:-2}" -m 4G "${ACCEL[@]}" \
	-display none -monitor none -serial "file:$LOG" -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$XEN" -append "$XEN_CMD" \
	-initrd "$DOM0_KERNEL ${DOM0_CMD//,/,,},$W/dom0.cpio" \
	< /dev/null > "$OUT/qemu.out" 2>&1 &
QPID=$!
echo "milestone,seconds" > "$OUT/milestones.csv"
TQ=$(date +%s)
seen=
XEN_BAD_RE=$(sed -n "s/^RIG_XEN_BAD_RE='\(.*\)'$/\1/p" "$ROOT/tools/rig/shared/rig-lib.sh")
[ -n "$XEN_BAD_RE" ] || die "no RIG_XEN_BAD_RE in rig-lib.sh"
last_size=-1
last_change=$TQ
reason=
milestone() {
	grep -q -- "$1" "$LOG" 2>/dev/null || return 0
	case $seen in *"<$1>"*) return 0 ;; esac
	seen="$seen<$1>"
	echo "$2,$(($(date +%s) - TQ))" >> "$OUT/milestones.csv"
	log "  +$(($(date +%s) - TQ))s $2"
}
while kill -0 $QPID 2>/dev/null; do
	milestone "Xen version" xen
	milestone "Linux version" dom0-kernel
	milestone "RIG-DOM0: up" dom0-init
	milestone "RIG-DOM0: toolstack up" toolstack
	for s in "${SCENARIOS[@]}"; do
		milestone "RIG-SCN-START|$s|" "start:$s"
		milestone "G|.*RIG-GUEST: up" "first-guest-up"
		milestone "RIGSCN|$s|" "end:$s"
	done
	if grep -q "RIG-ALL-DONE" "$LOG"; then sleep 2; kill $QPID 2>/dev/null || true; break; fi
	if grep -qE "\(XEN\) .*($XEN_BAD_RE)" "$LOG"; then
		reason="Xen crashed"; sleep 3; kill $QPID 2>/dev/null || true; break
	fi
	# dom0's own lines carry no prefix (guests' are "G|..."); with
	# noreboot a panicked dom0 would only stall the console
	if grep -qE '^\[ *[0-9.]+\] Kernel panic - not syncing' "$LOG"; then
		reason="dom0 panicked"; sleep 3; kill $QPID 2>/dev/null || true; break
	fi
	size=$(stat -c %s "$LOG")
	if [ "$size" != "$last_size" ]; then
		last_size=$size; last_change=$(date +%s)
	elif [ $(($(date +%s) - last_change)) -gt "$stall" ]; then
		reason="no console output for ${stall}s"; kill $QPID 2>/dev/null || true; break
	fi
	sleep 1
done
set +e
wait $QPID
QRC=$?
set -e
[ $QRC = 124 ] || [ $QRC = 137 ] && reason="QEMU ran past the ${budget}s budget"
stage_done "qemu rc=$QRC ${reason}"

# ------------------------------------------------------------ results
stage results
tr -d '\r' < "$LOG" > "$OUT/serial.clean"
rc=0
python3 "$ROOT/tools/rig/results.py" "$OUT" "${reason:-}" "${SCENARIOS[@]}" || rc=$?
stage_done
log "rig total $(($(date +%s) - T_ALL))s, results in $OUT"
exit $rc
