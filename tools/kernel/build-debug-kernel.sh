#!/bin/bash
# Build the lockdep kernel the rig's correctness scenarios boot (Xen PV dom0
# and PV guest) from Debian's linux-source-6.1 (or, with BLKMQ_DBG_LINE=6.12,
# linux-source-6.12), out of tree, with the config fragment beside this
# script and the test-only patches in patches/ (both lines take the same).
#
# The result is cached under $BLKMQ_CACHE/dbgk/<source version>-<hash of
# fragment and patches>; when that directory is complete the script only
# prints its path.  Prints the build directory on stdout (the KDIR for our
# modules); everything else goes to stderr.
#
# Env: JOBS (default: online CPUs), BLKMQ_CACHE (see tools/lib/common.sh),
# BLKMQ_DBG_LINE (6.1, the default, or 6.12).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/common.sh
. "$HERE/../lib/common.sh"
JOBS=${JOBS:-$(nproc)}
FRAG=$HERE/debug-xen.config

LINE=${BLKMQ_DBG_LINE:-6.1}
case $LINE in
6.1) SVER=$BLKMQ_KSRC_VER ;;
6.12) SVER=$BLKMQ_KSRC612_VER ;;
*) die "BLKMQ_DBG_LINE must be 6.1 or 6.12" ;;
esac
# Options a line cannot drop (6.12 always builds the microcode loader).
case $LINE in
6.12) STUCK='CONFIG_MICROCODE' ;;
*) STUCK= ;;
esac
key=$( (cat "$FRAG"; cat "$HERE"/patches/*.patch) | sha256sum | cut -c1-12)
BUILD=$BLKMQ_CACHE/dbgk/build-$SVER-$key
if [ -e "$BUILD/.complete" ]; then
	log "debug kernel cached: $BUILD"
	echo "$BUILD"
	exit 0
fi

apt_need "linux-source-$LINE=$SVER" build-essential bc bison flex \
	libelf-dev libssl-dev cpio xz-utils kmod patch
have=$(dpkg-query -W -f='${Version}' "linux-source-$LINE")
[ "$have" = "$SVER" ] || die "linux-source-$LINE is $have, want $SVER"

# A private, patched source tree per key: patches never touch another tree.
SRC=$BLKMQ_CACHE/dbgk/src-$SVER-$key
T0=$(date +%s)
if [ ! -e "$SRC/.ready" ]; then
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	log "extracting linux-source-$LINE $SVER"
	tar -C "$SRC.tmp" --strip-components=1 -xJf "/usr/src/linux-source-$LINE.tar.xz"
	for p in "$HERE"/patches/*.patch; do
		log "applying $(basename "$p")"
		patch -d "$SRC.tmp" -p1 -s -f < "$p" || die "patch $p failed"
	done
	touch "$SRC.tmp/.ready"
	mv "$SRC.tmp" "$SRC"
fi
T1=$(date +%s)

rm -rf "$BUILD"
mkdir -p "$BUILD"
make -s -C "$SRC" O="$BUILD" x86_64_defconfig >/dev/null
"$SRC"/scripts/kconfig/merge_config.sh -m -O "$BUILD" "$BUILD/.config" "$FRAG" >/dev/null
make -s -C "$SRC" O="$BUILD" olddefconfig >/dev/null

# Every line of the fragment must have stuck, or the kernel is not the one
# we think we test on.
bad=0
while read -r line; do
	case $line in
	CONFIG_LOCALVERSION=*) ;;
	CONFIG_*=*)
		grep -qxF "$line" "$BUILD/.config" ||
			{ log "config: want $line, got: $(grep -E "^(# )?${line%%=*}[ =]" "$BUILD/.config" || echo absent)"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		o=${line#\# }; o=${o%% *}
		if [ "$o" = "$STUCK" ]; then
			log "config: $o stays on in $LINE (known)"
			continue
		fi
		! grep -q "^$o=" "$BUILD/.config" || { log "config: want $o off"; bad=1; } ;;
	esac
done < "$FRAG"
[ $bad = 0 ] || die "config fragment did not stick"
grep -qx CONFIG_LOCKDEP=y "$BUILD/.config" || die "no lockdep in the result"

log "building in $BUILD with $JOBS jobs"
nice -n 5 make -s -C "$SRC" O="$BUILD" -j"$JOBS" bzImage modules >"$BUILD/build.log" 2>&1 ||
	{ tail -30 "$BUILD/build.log" >&2; die "kernel build failed"; }
KREL=$(cat "$BUILD/include/config/kernel.release")
make -s -C "$SRC" O="$BUILD" INSTALL_MOD_PATH="$BUILD/modinst" INSTALL_MOD_STRIP=1 \
	modules_install >/dev/null
rm -f "$BUILD/modinst/lib/modules/$KREL/build" "$BUILD/modinst/lib/modules/$KREL/source"
T2=$(date +%s)
{
	echo "release=$KREL"
	echo "extract_s=$((T1 - T0))"
	echo "build_s=$((T2 - T1))"
	echo "jobs=$JOBS"
	echo "bzimage_bytes=$(stat -c %s "$BUILD/arch/x86/boot/bzImage")"
	echo "build_dir_bytes=$(du -sb "$BUILD" | cut -f1)"
} > "$BUILD/build-info.txt"
touch "$BUILD/.complete"
log "debug kernel $KREL built in $((T2 - T1))s: $BUILD"
echo "$BUILD"
