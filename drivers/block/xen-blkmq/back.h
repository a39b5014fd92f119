/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * back.h - xen-blkmq-back: per-device and per-ring state
 *
 * Ownership, which is the whole locking story of the data path:
 *
 * - Each ring has one kthread.  It alone reads the shared ring, writes
 *   responses, and touches the pending-request pool, the persistent-grant
 *   cache, the free-page pool and the ring's statistics.  None of these
 *   needs a lock.
 * - Bio completion runs in any context on any CPU.  It only counts down the
 *   bios of its pending request and, at zero, pushes the request on the
 *   ring's lock-free done list (llist) and wakes the kthread; the kthread
 *   does the unmapping and the response.
 * - The interrupt handler only sets a flag and wakes the kthread.  The event
 *   channel is bound with late EOI: the kthread sends the EOI after it has
 *   drained the ring, flagged spurious when the event brought no request.
 * - The control plane (xenbus callbacks, serialised by xenwatch) creates
 *   rings before any kthread runs.  To tear a started ring down it only asks
 *   the kthread to retire it: the kthread waits until no request is in
 *   flight, then unbinds, unmaps and frees what the ring holds and exits.
 *   The control plane waits for that a bounded time, never for the disk.
 * - A ring's memory is reference counted by its kobject: the control plane
 *   holds one reference from allocation to teardown, the kthread one while
 *   it runs, sysfs readers hold the directory, and a bio completion holds
 *   one from just before it hands its request over until after its
 *   wake-up, so the last thing a completion does is drop that reference.
 *   The device (struct blkmq_be, and with it the open disk) is reference
 *   counted the same way: the control plane and each running kthread.
 */
#ifndef XEN_BLKMQ_BACK_H
#define XEN_BLKMQ_BACK_H

#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/interrupt.h>
#include <linux/llist.h>
#include <linux/wait.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/poison.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/interface/io/blkmq-if.h>

#include "common.h"
#include "compat.h"
#include "back-req.h"
#include "gcache.h"

struct blkmq_be;

/**
 * struct blkmq_be_stats - one ring's counters, written by its kthread only
 * @rd_req: read requests (direct and indirect)
 * @wr_req: write requests
 * @f_req: flush and barrier requests
 * @ds_req: discard and secure-discard requests
 * @rd_sect: sectors read, 512-byte units
 * @wr_sect: sectors written, 512-byte units
 * @segs: data segments of the requests that carry data (reads, writes,
 *	and flushes or barriers with data): pages the frontend granted
 * @errors: requests answered with an error status (bad or failed)
 * @oo_req: times the ring had requests but no free pending slot
 * @pgnt_hit: segments whose grant was already in the persistent cache
 * @pgnt_miss: segments whose grant had to be mapped
 * @pgnt_evict: persistent grants unmapped to make room
 * @map_ops: grant map operations issued
 * @map_calls: batched grant map calls (hypercall batches)
 * @unmap_ops: grant unmap operations issued
 * @unmap_calls: batched grant unmap calls
 * @notify: event-channel notifications sent to the frontend
 * @irq: notifications received from the frontend
 * @spurious: notifications that brought no request
 * @irq_moves: moves of the event channel to the kthread's CPU (irq_follow)
 */
struct blkmq_be_stats {
	u64 rd_req;
	u64 wr_req;
	u64 f_req;
	u64 ds_req;
	u64 rd_sect;
	u64 wr_sect;
	u64 segs;
	u64 errors;
	u64 oo_req;
	u64 pgnt_hit;
	u64 pgnt_miss;
	u64 pgnt_evict;
	u64 map_ops;
	u64 map_calls;
	u64 unmap_ops;
	u64 unmap_calls;
	u64 notify;
	u64 irq;
	u64 spurious;
	u64 irq_moves;
};

/**
 * struct blkmq_be_pending - one request between ring and response
 * @ring: the ring it came from
 * @req: the validated private copy of the request
 * @done: link on the ring's done list (completion to kthread)
 * @free: link on the ring's free list (kthread only)
 * @bios: bios still outstanding; the last to finish hands the request back
 *	(its fully ordered decrement puts every bio's @error before that)
 * @error: set by any failed bio; read by the kthread after @bios hit zero
 * @nr_pages: entries used in @pages
 * @pages: the page behind each segment
 * @gce: persistent-cache entry pinned for each segment, or NULL
 * @handles: grant handle for each segment mapped just for this request
 * @kept_map: whether @handles[i] is a one-shot mapping to undo
 * @bvecs: @bio's vectors: room for a request without indirect segments
 * @bio: the bio of a request that fits in @bvecs, not allocated; a request
 *	with more segments goes in allocated bios (last member: struct bio
 *	ends in a flexible array)
 */
struct blkmq_be_pending {
	struct blkmq_be_ring *ring;
	struct blkmq_back_req req;
	struct llist_node done;
	struct list_head free;
	atomic_t bios;
	bool error;
	unsigned int nr_pages;
	struct page *pages[BLKMQ_BACK_MAX_SEGS];
	struct blkmq_gcache_entry *gce[BLKMQ_BACK_MAX_SEGS];
	grant_handle_t handles[BLKMQ_BACK_MAX_SEGS];
	bool kept_map[BLKMQ_BACK_MAX_SEGS];
	struct bio_vec bvecs[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
	struct bio bio;
};

/**
 * struct blkmq_be_ring - one hardware queue: ring, event channel, kthread
 * @be: the device
 * @id: queue number
 * @sring: the mapped shared ring
 * @nr_ents: slots in the ring (power of two)
 * @req_cons: next request index to copy out
 * @rsp_prod_pvt: responses written but maybe not yet published
 * @halted: the frontend broke the ring protocol; nothing more is read
 * @name: "blkmq.<domid>.<devid>-<ring>", the kthread's and the irq's name
 * @irq: Linux irq of the bound event channel
 * @irqd: @irq's irq_data, for the CPU its event is bound to (set with @irq)
 * @irq_moved: jiffies of the kthread's last attempt to move @irq (kthread
 *	only)
 * @eoi_pending: an event arrived and its late EOI is still owed (set by
 *	the handler before its wake_up(); taken by the kthread's xchg)
 * @eoi_credit: requests were taken since (or in the pass of) the last EOI,
 *	so the next event may have announced them (kthread only)
 * @refused: requests of the current consume pass answered with a refusal;
 *	a pass that only refused is followed by a 1-2 ms back-off (kthread only)
 * @work: an event or a finished request since the kthread last looked
 *	(set before wake_up(), cleared by the kthread before it looks; see
 *	ring_thread())
 * @wq: the kthread sleeps here
 * @started: the kthread was started (it exits by itself after retiring)
 * @stopping: teardown asked the kthread to retire the ring (fault
 *	injection reads it too)
 * @retired: completed by the kthread once the ring is unbound, unmapped and
 *	its grants freed (teardown waits for it a bounded time)
 * @done_list: finished requests handed back by bio completion
 * @inflight: requests taken from the ring and not yet answered (changed
 *	by the kthread only; teardown reads it for its log line)
 * @free_list: unused pending requests (kthread only)
 * @pool: all pending requests of this ring
 * @nr_pool: entries in @pool
 * @gcache: persistent grants mapped for this ring (kthread only)
 * @gcache_mem: memory behind @gcache
 * @evict_budget: persistent grants that may still be evicted to make room
 *	until the next housekeeping (kthread only)
 * @page_pool: ballooned pages for one-shot and new persistent mappings
 * @pool_pages: pages currently held in @page_pool
 * @last_busy: jiffies when the ring last had work (pool shrinking)
 * @last_housekeeping: jiffies of the last eviction budget and pool trim
 *	(once a second at most)
 * @map_ops: scratch for batched grant maps (kthread only)
 * @map_pages: pages for @map_ops
 * @map_seg: which segment each of @map_ops serves
 * @unmap_ops: scratch for batched grant unmaps
 * @unmap_pages: pages for @unmap_ops
 * @lim: this ring's snapshot of the device limits (kthread only)
 * @lim_gen: the device's @lim_gen when @lim was taken
 * @segs: scratch copy of one request's indirect segment descriptors
 * @stats: this ring's counters
 * @grants_mapped: the guest's grants this ring holds mapped (kthread, then
 *	teardown; summed by blkmq_be_grants_mapped())
 * @node: link on the module's list of rings with pools
 * @kobj: sysfs directory queue-N under the device, and the reference
 *	count of this memory (released by blkmq_be_ring_release())
 */
struct blkmq_be_ring {
	struct blkmq_be *be;
	unsigned int id;
	struct blkmq_sring *sring;
	unsigned int nr_ents;
	u32 req_cons;
	u32 rsp_prod_pvt;
	bool halted;
	char name[sizeof("blkmq.65535.4294967295-4294967295")];
	int irq;
	struct irq_data *irqd;
	unsigned long irq_moved;
	atomic_t eoi_pending;
	bool eoi_credit;
	unsigned int refused;
	atomic_t work;
	wait_queue_head_t wq;
	bool started;
	bool stopping;
	struct completion retired;
	struct llist_head done_list;
	atomic_t inflight;
	struct list_head free_list;
	struct blkmq_be_pending *pool;
	unsigned int nr_pool;
	struct blkmq_gcache gcache;
	void *gcache_mem;
	u32 evict_budget;
	struct gnttab_page_cache page_pool;
	unsigned long last_busy;
	unsigned long last_housekeeping;
	struct gnttab_map_grant_ref map_ops[BLKMQ_BACK_MAX_SEGS];
	struct page *map_pages[BLKMQ_BACK_MAX_SEGS];
	u16 map_seg[BLKMQ_BACK_MAX_SEGS];
	struct gnttab_unmap_grant_ref unmap_ops[BLKMQ_BACK_MAX_SEGS];
	struct page *unmap_pages[BLKMQ_BACK_MAX_SEGS];
	struct blkmq_back_limits lim;
	u32 lim_gen;
	struct blkmq_segment segs[BLKMQ_BACK_MAX_SEGS];
	struct blkmq_be_stats stats;
	long grants_mapped;
	struct list_head node;
	struct kobject kobj;
} ____cacheline_aligned_in_smp;

/**
 * struct blkmq_be - one virtual block device (one xenbus "vbd")
 * @dev: the xenbus device
 * @domid: the frontend's domain
 * @devid: the virtual device number (last part of the XenStore path)
 * @backing: the backing disk, open once physical-device was seen
 * @major: backing device major
 * @minor: backing device minor
 * @readonly: toolstack's mode is "r" (or the device is read-only)
 * @cdrom: device-type is "cdrom"
 * @discard_enable: toolstack allows discard
 * @lim: what requests are checked against (size, block size, features)
 * @sectors: the size last published in XenStore (resize detection)
 * @adv: what we advertised, fixed when the frontend connects
 * @use: what both sides advertised (the AND) and we therefore use
 * @nr_rings: rings in use
 * @ring_order: log2 of pages per ring
 * @rings: the rings, each separately allocated (NULL entries only while a
 *	connect fails part way)
 * @connected: rings are up and the state is Connected
 * @lock: guards @rings and @nr_rings for sysfs readers against connect
 *	and disconnect (which otherwise run only in xenwatch); the rings'
 *	own state is never touched under it
 * @watch: watch on physical-device
 * @watch_set: @watch is registered
 * @ref: the control plane's reference (probe to remove) and one per
 *	running ring kthread; the last closes @backing and frees this
 * @retiring: ring kthreads still running, of this or an earlier
 *	connection; no new connection while one of an earlier one runs
 *	(raised before a kthread starts and dropped by it before it
 *	completes @retired: a count only, read by xenwatch)
 * @resize_work: while connected, looks at the disk's size once a second
 *	and publishes a change (control plane; the rings only read
 *	@lim.nr_sectors)
 * @lim_gen: moves (release) after each change of @lim.nr_sectors while
 *	rings run (be_connect() sets the size before it starts any); a ring
 *	takes @lim again when its copy is older
 */
struct blkmq_be {
	struct xenbus_device *dev;
	domid_t domid;
	unsigned int devid;
	struct blkmq_compat_bdev backing;
	unsigned int major;
	unsigned int minor;
	bool readonly;
	bool cdrom;
	bool discard_enable;
	struct blkmq_back_limits lim;
	u64 sectors;
	struct blkmq_features adv;
	struct blkmq_features use;
	unsigned int nr_rings;
	unsigned int ring_order;
	struct blkmq_be_ring **rings;
	bool connected;
	struct mutex lock; /* @rings vs sysfs readers, see above */
	struct xenbus_watch watch;
	bool watch_set;
	struct kref ref;
	atomic_t retiring;
	struct delayed_work resize_work;
	u32 lim_gen;
};

/* module parameters, back.c */
extern unsigned int blkmq_be_max_queues;
extern unsigned int blkmq_be_max_ring_order;
extern bool blkmq_be_persistent;
extern unsigned int blkmq_be_max_pgrants;
extern unsigned int blkmq_be_max_indirect;
extern unsigned int blkmq_be_max_pool_pages;

long blkmq_be_grants_mapped(void);

struct blkmq_be_ring *blkmq_be_ring_alloc(struct blkmq_be *be, unsigned int id);
void blkmq_be_ring_put(struct blkmq_be_ring *ring);
void blkmq_be_ring_release(struct blkmq_be_ring *ring);
void blkmq_be_rings_wait_gone(void);
int blkmq_be_ring_start(struct blkmq_be_ring *ring);
void blkmq_be_ring_retire(struct blkmq_be_ring *ring);
void blkmq_be_ring_disconnect(struct blkmq_be_ring *ring);
int blkmq_be_ring_init(struct blkmq_be_ring *ring);
void blkmq_be_ring_free(struct blkmq_be_ring *ring);
irqreturn_t blkmq_be_interrupt(int irq, void *dev_id);

extern const struct attribute_group *blkmq_be_dev_groups[];
void blkmq_be_sysfs_ring_init(struct blkmq_be_ring *ring);
int blkmq_be_sysfs_ring_add(struct blkmq_be_ring *ring);
void blkmq_be_sysfs_ring_del(struct blkmq_be_ring *ring);

void blkmq_be_put(struct blkmq_be *be);

/* a reference to @be, for a ring's kthread; blkmq_be_put() drops it */
static inline void blkmq_be_get(struct blkmq_be *be)
{
	kref_get(&be->ref);
}

int blkmq_be_xenbus_init(void);
void blkmq_be_xenbus_exit(void);

/*
 * Fault-injection builds fill freed ring memory with POISON_FREE so that a
 * late access (a wake-up on a freed wait queue) trips the lock debugging.
 */
static inline void blkmq_be_fault_poison(void *p, size_t n)
{
#ifdef CONFIG_XEN_BLKMQ_FAULT_INJECT
	memset(p, POISON_FREE, n);
#endif
}

/* A peer-triggered error: ratelimited, naming the guest and the device. */
#define blkmq_be_err_rl(be, fmt, ...)					\
	do {								\
		const struct blkmq_be *__be = (be);			\
									\
		pr_err_ratelimited("vbd %u/%s: " fmt, __be->domid,	\
				   __be->dev->nodename, ##__VA_ARGS__);	\
	} while (0)

#endif /* XEN_BLKMQ_BACK_H */
