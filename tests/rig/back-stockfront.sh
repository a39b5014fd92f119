#!/bin/bash
# back-stockfront: the stock Linux xen-blkfront in the guest against
# xen-blkmq-back in dom0, over every transport setting blkfront negotiates.
# requires: xen-blkmq-back.ko (this tree) in dom0, stock xen-blkfront in the
#   guest; null_blk in dom0.
# checks: four guests covering every pair of 1/2 queues, ring order 0/4
#   and blkfront feature_persistent 1/0 (the backend module stays loaded,
#   so each guest is a fresh device on a used driver): fio 4k randrw and
#   64k..1M sequential mixed read/write with crc32c verify, 0 errors, then
#   4k random reads at depth 32 (notifications, spurious events and Linux's
#   delayed EOIs reported); each ring's event channel bound to the CPU its
#   kthread sleeps on (irq_follow); the queue count the guest
#   got; persistent grants used only when both sides offer them; our
#   backend's grant maps per request; nothing mapped once the guest is gone;
#   the module unloads.
# timeout: 900
# shellcheck source=../../tools/rig/dom0/scenario-lib.sh
. /rig/scenario-lib.sh

nullb_add vrf 1024 memory_backed=1 || exit 1
insmod /rig/modules/xen-blkmq-back.ko || { fail "insmod xen-blkmq-back"; exit 1; }
BE=/sys/bus/xen-backend/drivers/vbd

# irq_follow VBD-DIR TAG: with the guest idle, each ring's event channel is
# bound to the CPU its kthread last ran on (irq_follow, on by default), so
# an event wakes the kthread without an IPI.  To show that the kthread does
# it, the kthread is held on its CPU (taskset) and the event moved to
# another CPU through /proc/irq: the kthread, woken by its idle timeout
# (1 s), moves it back before it sleeps again, and the ring's irq_moves
# grows; look for up to 5 s.  Unheld, the scheduler may instead move the
# kthread to the event's CPU (on 6.12 it did, three times running, in
# ci27), which keeps the two together but shows nothing of ours.
irq_follow() {
	local id=${1##*/vbd-} nq k name irq pid cpu aff tries m0 m
	nq=$(cat "$1/nr_queues")
	[ "${nq:-0}" -ge 1 ] || { fail "$2: no rings (nr_queues '$nq')"; return; }
	[ "$(nproc)" -ge 2 ] || { fail "$2: dom0 has one CPU: no other to move to"; return; }
	for ((k = 0; k < nq; k++)); do
		name=blkmq.${id%-*}.${id#*-}-$k
		irq=$(awk -v n="$name" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts)
		[ -n "$irq" ] || { fail "$2: no interrupt named $name"; continue; }
		pid=$(grep -Flx "$name" /proc/[0-9]*/comm 2> /dev/null | head -1 | cut -d/ -f3)
		[ -n "$pid" ] || { fail "$2: no kthread named $name"; continue; }
		cpu=$(awk '{ print $39 }' "/proc/$pid/stat")
		taskset -pc "$cpu" "$pid" > /dev/null || { fail "$2: cannot hold $name on CPU $cpu"; continue; }
		m0=$(cat "$1/queue-$k/irq_moves")
		echo $(((cpu + 1) % $(nproc))) > "/proc/irq/$irq/smp_affinity_list" ||
			fail "$2: cannot move $name through /proc/irq"
		for tries in $(seq 50); do
			sleep 0.1
			aff=$(cat "/proc/irq/$irq/effective_affinity_list")
			[ "$aff" != "$cpu" ] || break
		done
		m=$(($(cat "$1/queue-$k/irq_moves") - m0))
		taskset -pc "0-$(($(nproc) - 1))" "$pid" > /dev/null ||
			fail "$2: cannot let $name go again"
		res "$2.back.q$k.kthread_cpu" "$cpu"
		res "$2.back.q$k.irq_cpu" "$aff"
		res "$2.back.q$k.moved_back" "$m"
		[ "$cpu" = "$aff" ] ||
			fail "$2: ring $k's event goes to CPU $aff, its kthread sleeps on $cpu after $tries looks"
		[ "$m" -ge 1 ] || fail "$2: ring $k's kthread never moved its event back"
	done
}

# After each setting the guest prints RIG-PHASE and pauses: snapshot what
# our backend negotiated and counted for that connection.
phase() {
	local d c pers
	d=$(vbd_sysfs "$name" 51712)
	[ -d "$d" ] || { fail "$1: backend device $d missing"; return; }
	# the counters first, while the guest still waits
	for c in rd_req wr_req map_ops map_calls unmap_ops pgnt_hit pgnt_miss \
		pgnt_evict notify irq spurious irq_moves errors; do
		res "$1.back.$c" "$(cat "$d/statistics/$c")"
	done
	# Linux's late-EOI accounting for this device: events it was told were
	# spurious, and the jiffies it delayed EOIs for because of them
	res "$1.xen.spurious_events" "$(cat "$d/xenbus/spurious_events")"
	res "$1.xen.jiffies_eoi_delayed" "$(cat "$d/xenbus/jiffies_eoi_delayed")"
	irq_follow "$d" "$1"
	pers=$(cat "$d/persistent")
	res "$1.back.nr_queues" "$(cat "$d/nr_queues")"
	res "$1.back.persistent" "$pers"
	vbd_record "$name" 51712 "$1"
	# persistent grants only when both sides offer them (we always do here)
	case $1 in
	*p1*) [ "$pers" = 1 ] || fail "$1: persistent not used" ;;
	*p0*) [ "$pers" = 0 ] || fail "$1: persistent used though blkfront declined" ;;
	esac
}
# Four guests cover every pair of (queues 1/2, ring order 0/4, blkfront
# feature_persistent 1/0): q1o0p1 q1o4p0 q2o0p0 q2o4p1.
for g in 1:0:1 1:4:0 2:0:0 2:4:1; do
	IFS=: read -r q o p <<< "$g"
	name=sf$q$o$p
	guest_start "$name" back-stockfront \
		"xen-blkfront:max_queues=$q,max_ring_page_order=$o,feature_persistent=$p" \
		2 'phy:/dev/vrf,xvda,w'
	guest_phases "$name" phase
	guest_wait "$name" 60
done
[ -d "$BE" ] || fail "our vbd driver is not registered"
# the device is gone with the guest: nothing of it may stay mapped
sleep 1
left=$(vbd_mapped)
res grants_mapped_after "$left"
[ "$left" = 0 ] || fail "$left grants still mapped after the guest is gone"
if ! rig_rmmod xen-blkmq-back; then
	fail "xen-blkmq-back does not unload after the guest is gone"
fi
nullb_del vrf
