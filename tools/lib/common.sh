# shellcheck shell=bash
# Shared helpers for the host-side tools (sourced, not run).

# Everything downloaded or built outside git lives here.
BLKMQ_CACHE=${BLKMQ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-blkmq}

# Debian versions the rig is pinned to: the kernel package the rig boots and
# the linux-source package the debug kernel is built from must match (the
# 6.12 source matches the 6.12 headers and image k612_newest picks today).
: "${BLKMQ_KPKG:=linux-image-6.1.0-56-amd64}"
: "${BLKMQ_KSRC_VER:=6.1.192-2}"
: "${BLKMQ_KSRC612_VER:=6.12.117-1~deb12u1}"
: "${BLKMQ_XPKG:=xen-hypervisor-4.17-amd64}"

# headers_612: the newest Debian 12 build of Linux 6.12's headers that apt
# knows (or BLKMQ_K612_VER, e.g. 6.12.117+deb12), unpacked into the cache
# rather than installed (the package would pull in a kernel image and
# rebuild the host's initramfs).  Prints the directory to build against.
headers_612() {
	local v=${BLKMQ_K612_VER:-} d f
	if [ -z "$v" ]; then
		v=$(k612_newest)
		if [ -z "$v" ]; then
			apt-get update -q >/dev/null || die "apt-get update failed"
			v=$(k612_newest)
		fi
	fi
	[ -n "$v" ] || die "apt knows no linux-headers-6.12.*+deb12-amd64"
	d=$BLKMQ_CACHE/headers-$v
	if [ ! -f "$d/.done" ]; then
		log "unpacking the headers of Linux $v"
		rm -rf "$d"
		mkdir -p "$d/debs" || die "cannot create $d"
		(cd "$d/debs" && apt-get download -q "linux-headers-$v-amd64" \
			"linux-headers-$v-common" "linux-kbuild-$v" >/dev/null 2>&1) ||
			die "cannot download the headers of Linux $v"
		for f in "$d"/debs/*.deb; do
			dpkg-deb -x "$f" "$d/root" || die "cannot unpack $f"
		done
		# the arch Makefile names the common part by its installed path
		sed -i "s|^include /usr/src/|include $d/root/usr/src/|" \
			"$d/root/usr/src/linux-headers-$v-amd64/Makefile"
		rm -rf "$d/debs"
		touch "$d/.done"
	fi
	echo "$d/root/usr/src/linux-headers-$v-amd64"
}
k612_newest() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{ sub(/^linux-headers-/, "", $1); sub(/-amd64$/, "", $1); print $1 }' |
		sort -V | tail -n 1
}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# apt_need PKG...: install whatever of PKG is missing (one apt-get run).
apt_need() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "${p%%=*}" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing: ${missing[*]}"
	if [ -z "${BLKMQ_APT_UPDATED:-}" ]; then
		apt-get update -q >/dev/null || die "apt-get update failed"
		BLKMQ_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# Stage timing: stage NAME starts one; stage_done [NOTE] closes it and appends
# "name seconds note" to $STAGE_LOG when that is set.
stage() { STAGE_NAME=$1; STAGE_T0=$(date +%s.%N); log "stage $1 ..."; }
stage_done() {
	local t
	t=$(awk -v a="$STAGE_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
	log "stage $STAGE_NAME done in ${t}s ${1:-}"
	[ -n "${STAGE_LOG:-}" ] && printf '%s,%s,%s\n' "$STAGE_NAME" "$t" "${1:-}" >> "$STAGE_LOG"
	return 0
}
