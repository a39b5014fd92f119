#!/bin/bash
# dkms.sh - install xen-blkmq through DKMS: copy the driver sources to
# /usr/src/xen-blkmq-<VERSION>, then dkms add, build and install for every
# kernel whose headers are installed (dkms.conf says which it accepts).
# KERNELS="r1 r2" builds for those releases only; KSRC_<release with
# dots and dashes as underscores> names a header tree DKMS cannot find by
# itself (one not under /lib/modules/<release>/build).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/tools/lib/common.sh"
apt_need dkms build-essential dwarves
V=$(cat "$ROOT/VERSION")
SRC=/usr/src/xen-blkmq-$V
# a re-run replaces what an earlier one added
if dkms status -m xen-blkmq -v "$V" 2>/dev/null | grep -q .; then
	dkms remove -m xen-blkmq -v "$V" --all >/dev/null || die "dkms remove failed"
fi
rm -rf "$SRC"
mkdir -p "$SRC"
cp -r "$ROOT/Kbuild" "$ROOT/include" "$ROOT/drivers" "$SRC/"
sed "s/@VERSION@/$V/" "$ROOT/dkms.conf" > "$SRC/dkms.conf"
dkms add -m xen-blkmq -v "$V" || die "dkms add failed"
# every kernel with headers, unless named
kernels=${KERNELS:-$(for d in /lib/modules/*/build; do [ -e "$d" ] && basename "$(dirname "$d")"; done)}
rc=0
for k in $kernels; do
	var=KSRC_$(echo "$k" | tr '.+-' '___')
	args=(-k "$k")
	[ -n "${!var:-}" ] && args+=(--kernelsourcedir "${!var}")
	dkms build -m xen-blkmq -v "$V" "${args[@]}"
	r=$?
	# 77: dkms.conf's BUILD_EXCLUSIVE rules leave this kernel out
	if [ $r = 77 ]; then
		log "xen-blkmq $V: not for $k (dkms.conf)"
	elif [ $r = 0 ] && dkms install -m xen-blkmq -v "$V" "${args[@]}"; then
		log "xen-blkmq $V installed for $k"
	else
		log "xen-blkmq $V: build or install for $k failed"
		rc=1
	fi
done
dkms status -m xen-blkmq
exit $rc
