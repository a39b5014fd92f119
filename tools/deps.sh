#!/bin/bash
# deps.sh - install the host packages every target needs (Debian 12, root).
# The rig and lint install their own extras; this is the common floor.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
[ "$(id -u)" = 0 ] || die "run as root: packages are installed with apt-get"
apt_need build-essential python3 libxen-dev sparse shellcheck clang libclang-rt-14-dev \
	"linux-headers-${BLKMQ_KPKG#linux-image-}" qemu-system-x86 mmdebstrap \
	cpio kmod xz-utils busybox-static
