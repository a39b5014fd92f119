#!/bin/sh
# The well-behaved guest of hostile-front: stock blkfront; verifying fio
# runs on xvda, one after another, until dom0 attaches xvdb (the signal that
# the hostile guest is done).  Every run must pass.
# shellcheck source=../../tools/rig/shared/rig-lib.sh
. /rig/rig-lib.sh
wait_until 30 test -b /dev/xvda
[ -b /dev/xvda ] || { echo "no xvda"; exit 1; }
echo "RIG-GOOD: verifying"
runs=0
bad=0
while [ ! -b /dev/xvdb ] && [ $runs -lt 200 ]; do
	runs=$((runs + 1))
	off=$(( (runs % 4) * 48 ))
	if ! fio --name=good --filename=/dev/xvda --direct=1 --ioengine=libaio \
		--rw=randwrite --bs=4k --iodepth=8 --size=4m --offset="${off}m" \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--output-format=terse --terse-version=3 > /run/good.txt 2>&1; then
		bad=$((bad + 1))
		sed 's/^/FIO-good: /' /run/good.txt | tail -n 5
	fi
done
rig_res runs "$runs"
rig_res failed_runs "$bad"
[ "$runs" -gt 0 ] && [ "$bad" = 0 ]
