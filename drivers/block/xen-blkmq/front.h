/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * front.h - xen-blkmq-front: shared definitions of the guest-side driver
 *
 * One struct blkmq_fe_dev per vbd device, one struct blkmq_fe_ring per
 * shared ring.  Every blk-mq hardware queue feeds one ring; normally there
 * are as many hardware queues as rings.  After a restore that changed the
 * ring count, the hardware queues are folded onto the rings (queue_num
 * modulo rings) until blk_mq_update_nr_hw_queues() has run.
 *
 * Locking: fe->mutex serialises the control plane (XenBus state changes,
 * resume, removal); fe->rings_lock only guards the ring table's pointer for
 * the request timer's handler and the readers of the device's statistics.
 * ring->lock (irq-safe) covers everything of one ring: the shared ring
 * indices, the request table, the grant pool and the counters.  Neither the
 * data path nor a sysfs reader of a ring takes
 * fe->mutex: the readers take only ring->lock, and the control plane
 * removes their directories before it frees the rings.  The control plane
 * quiesces the blk-mq queue and frees the rings' interrupts before it
 * changes or frees rings.
 */
#ifndef XEN_BLKMQ_FRONT_H
#define XEN_BLKMQ_FRONT_H

#include <linux/blk-mq.h>
#include <linux/bio.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#include "common.h"
#include "compat.h"
#include "front-peer.h"

#define BLKMQ_FE_NAME		"xen-blkmq-front"

/**
 * struct blkmq_fe_pgrant - a page granted to the backend for good
 * @node: in the ring's free pool, or unlinked while a request uses it
 * @gref: the grant (read-write, as persistent grants are mapped read-write)
 * @page: the page
 */
struct blkmq_fe_pgrant {
	struct list_head node;
	grant_ref_t gref;
	struct page *page;
};

/**
 * enum blkmq_fe_gkind - what a grant of a request in flight points at
 * @BLKMQ_FE_G_POOL: a persistent-pool page; the data is copied
 * @BLKMQ_FE_G_BOUNCE: a page allocated for this request alone (trusted=0);
 *	the data is copied and the page freed once the grant ends
 * @BLKMQ_FE_G_DIRECT: the request's own data page, granted for this request
 * @BLKMQ_FE_G_INDIRECT: an indirect page allocated for this request
 */
enum blkmq_fe_gkind {
	BLKMQ_FE_G_POOL,
	BLKMQ_FE_G_BOUNCE,
	BLKMQ_FE_G_DIRECT,
	BLKMQ_FE_G_INDIRECT,
};

/**
 * struct blkmq_fe_gnt - one grant a request in flight holds
 * @gref: the grant reference
 * @kind: an enum blkmq_fe_gkind
 * @page: the granted page
 * @pg: the pool entry for BLKMQ_FE_G_POOL
 */
struct blkmq_fe_gnt {
	grant_ref_t gref;
	u8 kind;
	struct page *page;
	struct blkmq_fe_pgrant *pg;
};

/**
 * struct blkmq_fe_shadow - the frontend's private record of one request id
 * @rq: the block request, NULL while the id is free
 * @next_free: next free id while this one is free
 * @nr_data: data grants, in @gnts[0 .. @nr_data - 1]
 * @nr_ind: indirect pages of the request, in @gnts[max_segs ..]
 * @copy_back: a read: copy the data out of copied pages at completion
 * @parked: finished, but the backend still maps a page of the request's
 *	own (@gnts[0 .. @nr_data - 1] are those grants): the id stays taken
 *	and the request is completed only once the backend lets go
 * @issued: jiffies when the request was put on the ring
 * @deferred: answered, its read data to be copied back by the ring's
 *	copy_work (the id stays taken; @next_free chains the deferred ids)
 * @sg: the request's data, one entry per segment
 * @gnts: the grants of the request in flight: ring->max_segs data slots,
 *	then BLKMQ_MAX_INDIRECT_PAGES indirect slots
 */
struct blkmq_fe_shadow {
	struct request *rq;
	u32 next_free;
	u16 nr_data;
	u16 nr_ind;
	bool copy_back;
	bool parked;
	bool deferred;
	unsigned long issued;
	struct scatterlist *sg;
	struct blkmq_fe_gnt *gnts;
};

/**
 * struct blkmq_fe_stats - per-ring counters, reset at each connect
 * @rd_req: read requests put on the ring (direct and indirect)
 * @wr_req: write requests
 * @f_req: flush and barrier requests (a FUA write sent as a barrier)
 * @ds_req: discard and secure-erase requests
 * @rd_sect: sectors read, 512-byte units
 * @wr_sect: sectors written, 512-byte units (barrier writes too)
 * @segs: data segments of the requests that carry data (pages granted)
 * @notify_sent: event-channel notifications sent to the backend
 * @notify_suppressed: batches published without a notification because
 *	the backend's req_event did not ask for one
 * @pool_hits: data or indirect pages served from the persistent pool
 * @pool_fresh: pages newly granted into the persistent pool
 * @bounces: pages allocated for one request (trusted=0)
 * @direct: data pages granted in place (no persistent grants)
 * @ring_full: times queue_rq found the ring full and stopped the queue
 * @errors: requests completed with an error
 * @responses: responses consumed
 * @stalls: times a request had waited for the backend longer than the
 *	queue's io_timeout (the block layer's request timer)
 * @parked: requests held after they finished because the backend still
 *	mapped one of their pages
 * @pool_capped: times a new pool page was wanted with the pool at its bound
 * @pool_trimmed: free pool pages given back because the ring was idle
 * @grants_short: times the guest's grant table had no free reference
 * @resplit: requests built under an earlier connection's larger limits,
 *	whose bios were submitted again to be split
 * @copy_deferred: reads whose copy back the event handler left to
 *	copy_work (beyond its budget per run)
 * @irq_max_ns: the longest run of the event handler (interrupts off), ns;
 *	written by the handler only (one runs at a time per ring)
 * @irq_moves: moves of the event channel to the CPU queueing on the ring
 *	(irq_follow); written by the queue_rq that claimed the move
 */
struct blkmq_fe_stats {
	u64 rd_req;
	u64 wr_req;
	u64 f_req;
	u64 ds_req;
	u64 rd_sect;
	u64 wr_sect;
	u64 segs;
	u64 notify_sent;
	u64 notify_suppressed;
	u64 pool_hits;
	u64 pool_fresh;
	u64 bounces;
	u64 direct;
	u64 ring_full;
	u64 errors;
	u64 responses;
	u64 stalls;
	u64 parked;
	u64 pool_capped;
	u64 pool_trimmed;
	u64 grants_short;
	u64 resplit;
	u64 copy_deferred;
	u64 irq_max_ns;
	u64 irq_moves;
};

struct blkmq_fe_dev;
struct blkmq_fe_queue;

/**
 * struct blkmq_fe_ring - one shared ring and everything it owns
 * @lock: protects the fields below and the shared ring's producer side
 * @fe: the device
 * @index: ring number, as in "queue-N"
 * @sring: the shared ring pages
 * @nr_pages: pages of the shared ring
 * @nr_ents: slots in the ring, a power of two
 * @max_segs: data segments per request, sizes the request table
 * @req_prod_pvt: requests produced (published or not)
 * @req_pushed: requests published in sring->req_prod
 * @rsp_cons: responses consumed
 * @irq: the event channel's irq, 0 when not bound
 * @evtchn: the event channel
 * @ring_refs: grants of the ring pages
 * @dead: a bad response was seen; everything here fails with an error
 * @stopped: a hardware queue was stopped because the ring was full
 * @free_head: first free id, @nr_ents when none
 * @slots: per id: in flight, and the operation its response must carry
 * @shadow: per id: the frontend's private record
 * @pool: free persistent grants, most recently used first
 * @pool_size: persistent grants this ring owns (free or in use)
 * @pool_cap: the ring's share of the device's bound on @pool_size
 * @trim_seen: @stats.responses when blkmq_fe_trim_work() last looked
 * @gnt_cb: asks the grant table to run the queue when references free up
 * @nr_parked: ids held by parked requests (see struct blkmq_fe_shadow)
 * @defer_head: first id of the chain left to @copy_work, FE_NO_ID if none
 * @copy_work: copies back reads the event handler left (interrupts on)
 * @stats: counters
 * @irq_name: name of the irq in /proc/interrupts
 * @irqd: @irq's irq_data, for the CPU its event is bound to (set with @irq)
 * @irq_moved: jiffies of the last claimed move (claimed by cmpxchg: queue_rq
 *	runs on several CPUs at once)
 */
struct blkmq_fe_ring {
	spinlock_t lock;	/* indices, request table, pool, counters */
	struct blkmq_fe_dev *fe;
	unsigned int index;
	struct blkmq_sring *sring;
	u32 nr_pages;
	u32 nr_ents;
	u32 max_segs;
	u32 req_prod_pvt;
	u32 req_pushed;
	u32 rsp_cons;
	int irq;
	evtchn_port_t evtchn;
	grant_ref_t ring_refs[1U << BLKMQ_RING_ORDER_MAX];
	bool dead;
	bool stopped;
	u32 free_head;
	struct blkmq_front_slot *slots;
	struct blkmq_fe_shadow *shadow;
	struct list_head pool;
	unsigned int pool_size;
	unsigned int pool_cap;
	u64 trim_seen;
	struct gnttab_free_callback gnt_cb;
	unsigned int nr_parked;
	u32 defer_head;
	struct work_struct copy_work;
	struct blkmq_fe_stats stats;
	char irq_name[32];
	struct irq_data *irqd;
	unsigned long irq_moved;
} ____cacheline_aligned_in_smp;

/**
 * enum blkmq_fe_state - where the device is in its life
 * @BLKMQ_FE_INIT: probed; rings are being negotiated
 * @BLKMQ_FE_CONNECTED: I/O flows
 * @BLKMQ_FE_SUSPENDED: resumed from a save, or the backend went away while
 *	the disk was open; requests wait for reconnect
 * @BLKMQ_FE_CLOSING: the backend asked to close while the disk was open
 * @BLKMQ_FE_DEAD: the backend is gone or broke the protocol; I/O fails until
 *	the backend offers the disk again (InitWait after we closed)
 */
enum blkmq_fe_state {
	BLKMQ_FE_INIT,
	BLKMQ_FE_CONNECTED,
	BLKMQ_FE_SUSPENDED,
	BLKMQ_FE_CLOSING,
	BLKMQ_FE_DEAD,
};

/**
 * struct blkmq_fe_dev - one virtual block device
 * @xbdev: the XenBus device
 * @kref: held by the XenBus device and by each open of the disk
 * @mutex: serialises the control plane
 * @rings_lock: held where @rings and @nr_rings are set and @rings is taken
 *	away to be freed: the request timer's handler and the readers of
 *	statistics/ and pgrants take it (not @mutex, which the control plane
 *	holds across I/O)
 * @open_lock: protects @open_count and the control plane's moves to
 *	BLKMQ_FE_CLOSING and BLKMQ_FE_DEAD (fe_shutdown()), which an open
 *	must not race (the disk's open and release run under the block
 *	layer's open_mutex, which the control plane takes inside @mutex).
 *	A ring the data path kills sets BLKMQ_FE_DEAD under that ring's
 *	lock alone: an open racing it succeeds, and its I/O fails
 * @state: an enum blkmq_fe_state; read locklessly by the data path
 * @vdevice: the virtual-device number
 * @first_minor: first minor of the disk
 * @minors: minors reserved (1 for a partition vdevice)
 * @disk_index: index in the xvd name ("a" = 0)
 * @trusted: false when the toolstack wrote trusted=0 or the module
 *	parameter says so: data goes through per-request bounce pages
 * @offer_persistent: what this connection advertised
 * @persistent: persistent grants in use (both sides offered them)
 * @flush_op: BLKMQ_OP_FLUSH_DISKCACHE, BLKMQ_OP_WRITE_BARRIER or 0
 * @fua: REQ_FUA writes are sent as barriers
 * @nr_rings: rings in use
 * @ring_order: log2 of the pages per ring
 * @max_segs: data segments per request (11, or the indirect limit)
 * @pool_cap: each ring's bound on its persistent pool (fe_pool_cap())
 * @rings: the rings
 * @disk: what the backend said about the disk at the last connect
 * @gd: the disk, once created
 * @tag_set: blk-mq tag set of @gd
 * @open_count: opens of @gd
 * @held: requests without data kept across a resume, to be requeued
 * @held_bios: the bios of requests in flight at resume, to be resubmitted
 * @close_work: finishes a close that waited for the last opener
 * @nr_hw_work: matches the hardware queues to the rings after a restore
 * @resplit_lock: protects @resplit, @resplit_taken and @resplit_sent
 * @resplit: bios to be submitted again (and split to the current limits):
 *	those of requests built under an earlier connection's limits, and
 *	those of @held_bios once a connection is back
 * @resplit_work: submits @resplit (queue_rq cannot: it may not sleep;
 *	xenwatch should not)
 * @resplit_taken: bios put on @resplit so far
 * @resplit_sent: bios of @resplit submitted again so far
 * @park_work: retries the grants of parked requests until the backend
 *	lets go of them, then completes the requests
 * @trim_work: gives back the persistent pools of idle rings
 * @stall_dead: the device is dead only because a backend stopped answering
 *	(io_timeout), never for a breach of the protocol: if that backend
 *	goes away and comes back, the open disk reconnects
 * @quiesced: we quiesced the queue (fe_take_back(), fe_shutdown()) and owe
 *	its unquiesce: blk-mq's own short quiesces (an elevator switch) make
 *	blk_queue_quiesced() no guide to whose it is (under @mutex)
 * @backend_gone: the backend went away while the disk was open; its I/O
 *	is held until it comes back or @gone_work gives up
 * @gone_work: gives the disk up if its backend, gone while the disk was
 *	open, has not come back (and answered) in backend_wait seconds
 * @feat_off: BLKMQ_FE_OFF_* bits: features the backend refused with
 *	EOPNOTSUPP after offering them; off until the next connection
 * @lim_lock: guards @lim_want and @lim_bios
 * @lim_want: the queue limits of the current connection, before
 *	@feat_off takes features away
 * @lim_bios: bios held across a reconnect, sent again once the limits of
 *	the new connection are in (so split once, to them)
 * @limits_work: applies @lim_want less @feat_off to the queue, then sends
 *	@lim_bios again.  Never
 *	under @mutex, and nothing that keeps requests held waits for it: on
 *	6.12 the update freezes the queue and takes its limits_lock, which
 *	a sysfs write holds while it waits for a freeze itself
 * @qdirs: the "queue-N" directories in sysfs (front-sysfs.c)
 * @nr_qdirs: entries in @qdirs
 * @node: on the list of devices (for minor reservations)
 */
struct blkmq_fe_dev {
	struct xenbus_device *xbdev;
	struct kref kref;
	struct mutex mutex;	/* XenBus states, rings, resume, removal */
	struct mutex rings_lock;	/* rings, nr_rings (for fe_timeout) */
	spinlock_t open_lock;	/* open_count; CLOSING and DEAD moves */
	int state;
	u32 vdevice;
	unsigned int first_minor;
	unsigned int minors;
	unsigned int disk_index;
	bool trusted;
	bool offer_persistent;
	bool persistent;
	u8 flush_op;
	bool fua;
	u32 nr_rings;
	u32 ring_order;
	u32 max_segs;
	u32 pool_cap;
	struct blkmq_fe_ring *rings;
	struct blkmq_front_disk disk;
	struct gendisk *gd;
	struct blk_mq_tag_set tag_set;
	unsigned int open_count;
	struct list_head held;
	struct bio_list held_bios;
	struct work_struct close_work;
	struct work_struct nr_hw_work;
	spinlock_t resplit_lock;	/* resplit and its counters */
	struct bio_list resplit;
	struct work_struct resplit_work;
	u64 resplit_taken;
	u64 resplit_sent;
	struct delayed_work park_work;
	bool stall_dead;
	bool quiesced;
	bool backend_gone;
	struct delayed_work gone_work;
	struct delayed_work trim_work;
	unsigned long feat_off;
	spinlock_t lim_lock;	/* lim_want, lim_bios */
	struct blkmq_compat_limits lim_want;
	struct bio_list lim_bios;
	struct work_struct limits_work;
	struct blkmq_fe_queue **qdirs;
	unsigned int nr_qdirs;
	struct list_head node;
};

/*
 * Bits of blkmq_fe_dev.feat_off, all cleared at each new connection:
 * refused, and refusal applied to the queue; BLKMQ_FE_LIMITS_REFUSED: the
 * kernel refused this connection's limits, so a request built for others
 * fails instead of going round again; BLKMQ_FE_BREACHED: the backend broke
 * the protocol on some ring (the disk then never reconnects, even if it was
 * disabled for a stall first).
 *
 * Ordering: the bits carry no data with them.  A ring's handler sets
 * BLKMQ_FE_OFF_FLUSH or _DISCARD (test_and_set_bit(), fully ordered, so
 * one handler queues limits_work) and the queue_work() that follows
 * orders the bit before the work runs; limits_work reads the bits under
 * no lock and applies them, and its _APPLIED bits only make its log line
 * once per connection.  Readers on the data path (fe_issue()) test the bits
 * without ordering: a request that misses a bit just set is answered
 * EOPNOTSUPP again and handled the same way.
 */
enum {
	BLKMQ_FE_OFF_FLUSH,
	BLKMQ_FE_OFF_DISCARD,
	BLKMQ_FE_OFF_FLUSH_APPLIED,
	BLKMQ_FE_OFF_DISCARD_APPLIED,
	BLKMQ_FE_LIMITS_REFUSED,
	BLKMQ_FE_BREACHED,
};

extern struct workqueue_struct *blkmq_fe_wq;
extern struct workqueue_struct *blkmq_fe_lim_wq;

/**
 * blkmq_fe_flush_op() - how a cache flush is sent now
 * @fe: the device
 *
 * Return: @fe->flush_op, or 0 once the backend refused it.
 */
static inline u8 blkmq_fe_flush_op(const struct blkmq_fe_dev *fe)
{
	return test_bit(BLKMQ_FE_OFF_FLUSH, &fe->feat_off) ? 0 : READ_ONCE(fe->flush_op);
}

void blkmq_fe_limits_work(struct work_struct *work);
void blkmq_fe_resplit_work(struct work_struct *work);
void blkmq_fe_take_bios(struct bio_list *list, struct request *rq);
void blkmq_fe_resubmit(struct blkmq_fe_dev *fe, struct bio_list *bios);
void blkmq_fe_park_work(struct work_struct *work);
void blkmq_fe_trim_work(struct work_struct *work);
void blkmq_fe_copy_work(struct work_struct *work);

/* Seconds without requests after which a ring's free pool is given back */
#define BLKMQ_FE_TRIM_S		10
extern unsigned int blkmq_fe_io_timeout;

/**
 * struct blkmq_fe_pdu - per-request driver data
 * @status: the status to end the request with
 * @id: the ring id the request had when last put on a ring
 */
struct blkmq_fe_pdu {
	blk_status_t status;
	u32 id;
};

extern const struct blk_mq_ops blkmq_fe_mq_ops;

int blkmq_fe_ring_alloc_shadow(struct blkmq_fe_ring *ring, u32 max_segs);
unsigned int blkmq_fe_ring_free(struct blkmq_fe_ring *ring);
unsigned int blkmq_fe_ring_collect(struct blkmq_fe_ring *ring,
				   struct list_head *rqs);
void blkmq_fe_ring_kick(struct blkmq_fe_ring *ring);
void blkmq_fe_orphans_exit(void);
irqreturn_t blkmq_fe_interrupt(int irq, void *dev_id);

int blkmq_fe_sysfs_add(struct blkmq_fe_dev *fe);
void blkmq_fe_sysfs_wait_gone(void);
void blkmq_fe_sysfs_del(struct blkmq_fe_dev *fe);
extern const struct attribute_group *blkmq_fe_dev_groups[];

#endif /* XEN_BLKMQ_FRONT_H */
