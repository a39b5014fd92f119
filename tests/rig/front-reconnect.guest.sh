#!/bin/sh
# Guest half of front-reconnect: verifying I/O while dom0 takes the backend
# away and brings it back; then the backend comes back with 4096-byte
# sectors under a disk held open.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
rc=0
D=/sys/bus/xen/devices/vbd-51712
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
# dmesg's own seconds of the last line matching $1, or nothing
dmesg_t() { dmesg | grep -E "$1" | tail -n 1 | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'; }
# wait_line RE SECONDS: until the kernel log has a line matching RE
# shellcheck disable=SC2317 # called through wait_until
logged() { dmesg | grep -qE "$1"; }
wait_line() { RIG_POLL_S=0.5 wait_until "$2" logged "$1"; }

# The disk stays open all along: only an open disk waits for its backend
# (one that nobody holds goes when its backend does), and between two fio
# rounds and two probe reads nobody else may hold it.
exec 3< /dev/xvda

# ---- 1: gone and back under I/O
# Each verifying round logs "START END" (uptime seconds) to /run/done when
# it ends; rounds go on until one that began after the backend came back
# has verified (however slow the machine: no count of rounds per window).
: > /run/rounds.log
: > /run/done
(
	r=0
	while [ ! -e /run/stop ]; do
		t0=$(uptime_s)
		rig_fio "r$r" --filename=/dev/xvda --direct=1 --ioengine=libaio \
			--rw=randwrite --bsrange=4k-128k --iodepth=16 --size=8m \
			--offset=$(((r % 8) * 16))m --verify=crc32c --verify_fatal=1 \
			--randseed=$r > /dev/null || echo "round $r failed" >> /run/rounds.log
		echo "$t0 $(uptime_s)" >> /run/done
		r=$((r + 1))
		echo $r > /run/rounds
	done
) &
fio_pid=$!
# a 4 KiB read every 0.2 s: when it completes
(
	while [ ! -e /run/stop ]; do
		dd if=/dev/xvda of=/dev/null bs=4k count=1 skip=100 iflag=direct 2>/dev/null &&
			uptime_s >> /run/ok
		sleep 0.2
	done
) &
probe_pid=$!
sleep 2
echo "RIG-PHASE io"
wait_line 'reconnecting the open disk' 60 || { echo "the frontend never reconnected"; rc=1; }
t_back=$(dmesg_t 'reconnecting the open disk')
# a round that began after the reconnect (dmesg's clock is uptime's)
# shellcheck disable=SC2317 # called through wait_until
round_after_back() { awk -v b="${t_back:-0}" '$1 >= b { f = 1 } END { exit !f }' /run/done; }
wait_until 300 round_after_back || { echo "no verifying round began and ended after the backend came back"; rc=1; }
touch /run/stop
wait $fio_pid
wait $probe_pid
t_flow=$(awk -v b="${t_back:-0}" '$1 >= b { print; exit }' /run/ok)
rig_res backend_back_at "$t_back"
rig_res io_flowing_after_s "$(awk -v a="${t_back:-0}" -v b="${t_flow:-0}" 'BEGIN { printf "%.1f", b - a }')"
[ -n "$t_flow" ] || { echo "no read completed after the backend came back"; rc=1; }
rig_res rounds "$(cat /run/rounds)"
rig_res rounds_after_back "$(awk -v b="${t_back:-0}" '$1 >= b' /run/done | wc -l)"
rig_res held "$(dmesg | sed -n 's/.*backend gone: \([0-9]*\) request.*/\1/p' | tail -n 1)"
rig_res failed_rounds "$(grep -c failed /run/rounds.log)"
if [ -s /run/rounds.log ]; then
	cat /run/rounds.log
	rc=1
fi
err=$(fe_stat errors "$D")
rig_res front.errors "$err"
[ "$err" = 0 ] || { echo "$err requests failed"; rc=1; }

# ---- 2: back with another sector size, the disk held open
if [ ! -b /dev/xvda ]; then
	dmesg | grep 'xen-blkmq-front\|vbd-51712' | tail -n 8 | sed 's/^/RIG-GUEST-DMESG: /'
	echo "xvda went away in the first phase"
	exit 1
fi
echo "RIG-PHASE size"
wait_line 'now offers 4096-byte sectors, the disk has 512: not reconnecting' 60 ||
	{ echo "no refusal of the new sector size"; rc=1; }
if dd if=/dev/xvda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; then
	echo "a read succeeded after the refusal"; rc=1
fi
rig_res refused_lbs "$(cat /sys/block/xvda/queue/logical_block_size 2>/dev/null || echo gone)"
exec 3<&-
dmesg | grep 'xen-blkmq-front\|vbd-51712' | tail -n 12 | sed 's/^/RIG-GUEST-DMESG: /'
exit $rc
