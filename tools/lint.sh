#!/bin/bash
# lint.sh - the kernel's own checkers over this tree:
#   checkpatch.pl --strict, sparse and a W=1 -Werror build (one build),
#   kernel-doc
#   -none on every kernel .c/.h, and shellcheck on every script.
# checkpatch and kernel-doc come from Debian's linux-source-6.1 at run time
# (extracted into the cache, never committed).  Prints "CHECK PASS|FAIL
# lint:<tool>" per checker; exits non-zero if any failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/tools/lib/common.sh"
KDIR=${KDIR:-/usr/src/linux-headers-${BLKMQ_KPKG#linux-image-}}
apt_need "linux-source-6.1=$BLKMQ_KSRC_VER" sparse shellcheck build-essential dwarves \
	"linux-headers-${BLKMQ_KPKG#linux-image-}"

S=$BLKMQ_CACHE/kscripts-$BLKMQ_KSRC_VER
if [ ! -x "$S/scripts/checkpatch.pl" ]; then
	rm -rf "$S.tmp"
	mkdir -p "$S.tmp"
	tar -C "$S.tmp" --strip-components=1 -xJf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts/checkpatch.pl linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch linux-source-6.1/scripts/kernel-doc ||
		die "cannot extract checkpatch from linux-source-6.1"
	rm -rf "$S"
	mv "$S.tmp" "$S"
fi

fails=0
verdict() {
	if [ "$2" = 0 ]; then echo "CHECK PASS lint:$1"; else echo "CHECK FAIL lint:$1"; fails=$((fails + 1)); fi
}
cd "$ROOT" || exit 1
mapfile -t KSRC < <(find drivers include tools/hostile -name '*.[ch]' | sort)
mapfile -t SCRIPTS < <( { find . -path ./build -prune -o -name '*.sh' -print
	grep -rlE '^#!/bin/(ba)?sh' tools tests .ci 2>/dev/null; } | grep -v '^./build/' | sed 's|^\./||' | sort -u)

# compat.h exists to hold the LINUX_VERSION_CODE tests; nothing else may.
# CAMELCASE: Xen's own enum names (XenbusStateConnected, ...) are not ours
# to rename; --no-tree cannot tell them from new identifiers.
CP=("$S/scripts/checkpatch.pl" --strict --no-tree --quiet --terse --show-types
	--ignore CAMELCASE -f)
mapfile -t KSRC_NC < <(printf '%s\n' "${KSRC[@]}" | grep -v '/compat\.h$')
out=$( { "${CP[@]}" "${KSRC_NC[@]}" ||
	echo "checkpatch failed"
	"${CP[@]}" --ignore LINUX_VERSION_CODE drivers/block/xen-blkmq/compat.h ||
	echo "checkpatch failed"; } 2>&1 | grep -v '^total: 0 errors, 0 warnings, 0 checks')
rc=$([ -z "$out" ] && echo 0 || echo 1)
[ -n "$out" ] && echo "$out"
verdict checkpatch "$rc"

# -v adds warnings (e.g. missing Return:) and "info:" progress lines
out=$("$S/scripts/kernel-doc" -none -v "${KSRC[@]}" 2>&1 | grep -v ': info: ')
[ -n "$out" ] && echo "$out"
verdict kernel-doc "$([ -z "$out" ] && echo 0 || echo 1)"

# Build in a scratch copy so lint never leaves objects in the tree.
# mk NAME KDIR ARGS...: build against KDIR with ARGS; any output (but the
# BTF note, which a headers-only 6.1 build always prints) or a failed
# build fails NAME.
mk() {
	local name=$1 kdir=$2 rc b
	shift 2
	b=$ROOT/build/lint/$(basename "$kdir")
	rm -rf "$b"
	mkdir -p "$b/tools"
	cp -r Kbuild include drivers "$b/"
	cp -r tools/hostile "$b/tools/"
	make -s -j"$(nproc)" -C "$kdir" M="$b" CONFIG_XEN_BLKMQ_HOSTILE=m "$@" modules > "$b.out" 2>&1
	rc=$?
	grep -v '^Skipping BTF generation' "$b.out"
	verdict "$name" "$([ $rc = 0 ] && ! grep -qv '^Skipping BTF generation' "$b.out" && echo 0 || echo 1)"
}
# One build per kernel line (each runs under make check's time budget): W=1
# warnings are errors, and sparse checks every file compiled (a fresh copy:
# all).  Every branch of compat.h is compiled by one of them.
rm -rf "$ROOT/build/lint"
mk "W=1 -Werror, sparse (6.1)" "$KDIR" W=1 KCFLAGS=-Werror C=1
K612=$(headers_612) || exit 1
mk "W=1 -Werror, sparse ($(basename "$K612" | sed 's/^linux-headers-//'))" "$K612" W=1 KCFLAGS=-Werror C=1

# a few scripts per shellcheck, on every CPU (-x follows each source)
out=$(printf '%s\0' "${SCRIPTS[@]}" | xargs -0 -n 8 -P "$(nproc)" shellcheck -x 2>&1)
rc=$?
[ -n "$out" ] && echo "$out"
verdict "shellcheck (${#SCRIPTS[@]} scripts)" $rc
exit $((fails > 0))
