// SPDX-License-Identifier: GPL-2.0-only
/*
 * back.c - xen-blkmq-back data path: one kthread per ring
 *
 * The kthread copies each request out of the shared ring once, advances
 * req_cons, validates only the private copy (back-req.c), maps the grants
 * it does not already hold in one batched call, submits bios and goes on.
 * Bio completion hands the request back on a lock-free list; the kthread
 * unmaps one-shot grants, unpins persistent ones and writes the response.
 * See back.h for who owns what.
 */
#define pr_fmt(fmt) "xen-blkmq-back: " fmt

#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/bio.h>
#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/vmalloc.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/wait_bit.h>
#include <xen/events.h>
#include <xen/page.h>
#include <asm/xen/hypervisor.h>

#include "back.h"

unsigned int blkmq_be_max_queues;
module_param_named(max_queues, blkmq_be_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Rings offered per device (multi-queue-max-queues); 0 = online CPUs (default 0)");

unsigned int blkmq_be_max_ring_order = BLKMQ_RING_ORDER_MAX;
module_param_named(max_ring_page_order, blkmq_be_max_ring_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "log2 of the largest ring in pages offered (max-ring-page-order), at most 4 (default 4)");

bool blkmq_be_persistent = true;
module_param_named(feature_persistent, blkmq_be_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent,
		 "Offer persistent grants; read when a frontend connects (default Y)");

unsigned int blkmq_be_max_pgrants = 1056;
module_param_named(max_persistent_grants, blkmq_be_max_pgrants, uint, 0644);
MODULE_PARM_DESC(max_persistent_grants,
		 "Persistent grants kept mapped per ring; least recently used ones not in flight are unmapped beyond it (default 1056)");

/* the parameter's description names the limit */
static_assert(BLKMQ_BACK_MAX_SEGS == 256);
unsigned int blkmq_be_max_indirect = BLKMQ_BACK_MAX_SEGS;
module_param_named(max_indirect_segments, blkmq_be_max_indirect, uint, 0644);
MODULE_PARM_DESC(max_indirect_segments,
		 "Segments per indirect request offered (feature-max-indirect-segments), 0 for none; read when a device appears (default and most 256)");

static bool blkmq_be_irq_follow = true;
module_param_named(irq_follow, blkmq_be_irq_follow, bool, 0644);
MODULE_PARM_DESC(irq_follow,
		 "Move each ring's event channel to the CPU its kthread runs on, overriding irqbalance and /proc/irq (default Y; N leaves the interrupts where they are)");

unsigned int blkmq_be_max_pool_pages = 1024;
module_param_named(max_buffer_pages, blkmq_be_max_pool_pages, uint, 0644);
MODULE_PARM_DESC(max_buffer_pages,
		 "Free ballooned pages kept per ring after it went idle (default 1024)");

/*
 * Rings with pools, over all devices, for blkmq_be_grants_mapped(); the
 * rings' own counts need no lock (one writer each).
 */
static LIST_HEAD(blkmq_be_ring_list);
static DEFINE_MUTEX(blkmq_be_ring_list_lock); /* guards blkmq_be_ring_list */

/*
 * Grants left mapped by rings already freed (a failed unmap): never reused.
 * A count only; it orders nothing.
 */
static atomic_long_t blkmq_be_grants_leaked = ATOMIC_LONG_INIT(0);

/* Only the ring's kthread, or teardown once it is gone, changes the count. */
static void ring_grants_add(struct blkmq_be_ring *ring, long n)
{
	WRITE_ONCE(ring->grants_mapped, ring->grants_mapped + n);
}

/**
 * blkmq_be_grants_mapped() - guests' grants this module holds mapped
 *
 * Return: the sum of every ring's count plus what freed rings could not
 * unmap: zero whenever no device is connected, which the rig checks after
 * teardown.
 */
long blkmq_be_grants_mapped(void)
{
	struct blkmq_be_ring *ring;
	long n = atomic_long_read(&blkmq_be_grants_leaked);

	mutex_lock(&blkmq_be_ring_list_lock);
	list_for_each_entry(ring, &blkmq_be_ring_list, node)
		n += READ_ONCE(ring->grants_mapped);
	mutex_unlock(&blkmq_be_ring_list_lock);
	return n;
}

#ifdef CONFIG_XEN_BLKMQ_FAULT_INJECT
static unsigned int blkmq_be_fault_end_io_ms;
module_param_named(fault_end_io_delay_ms, blkmq_be_fault_end_io_ms, uint, 0644);
MODULE_PARM_DESC(fault_end_io_delay_ms,
		 "Test only (fault-injection builds): the next bio completion on a ring being stopped busy-waits this many ms after handing its request back; one shot (default 0)");

/* Whether this completion is the one to stall; read before the hand-over. */
static unsigned int fault_end_io_take(struct blkmq_be_ring *ring)
{
	if (!READ_ONCE(ring->stopping) || !READ_ONCE(blkmq_be_fault_end_io_ms))
		return 0;
	return xchg(&blkmq_be_fault_end_io_ms, 0);
}

static void fault_end_io_stall(unsigned int ms)
{
	if (ms)
		mdelay(ms);
}
#else
static inline unsigned int fault_end_io_take(struct blkmq_be_ring *ring)
{
	return 0;
}

static inline void fault_end_io_stall(unsigned int ms)
{
}
#endif

/* How long a ring sleeps without events before housekeeping runs. */
#define BLKMQ_BE_IDLE_JIFFIES	msecs_to_jiffies(1000)

static struct blkmq_be_pending *pending_get(struct blkmq_be_ring *ring)
{
	struct blkmq_be_pending *p;

	p = list_first_entry_or_null(&ring->free_list, struct blkmq_be_pending, free);
	if (p)
		list_del(&p->free);
	return p;
}

static void pending_put(struct blkmq_be_ring *ring, struct blkmq_be_pending *p)
{
	list_add(&p->free, &ring->free_list);
}

/*
 * Responses are written only by the kthread, straight into the ring slot
 * field by field, so no stack or padding bytes reach the frontend (XSA-216).
 */
static void ring_respond(struct blkmq_be_ring *ring, u64 id, u8 op, s16 status)
{
	struct blkmq_response *rsp;

	rsp = &ring->sring->ring[ring->rsp_prod_pvt & (ring->nr_ents - 1)].rsp;
	blkmq_back_rsp(rsp, id, op, status);
	ring->rsp_prod_pvt++;
	if (status != BLKMQ_RSP_OKAY)
		ring->stats.errors++;
}

/* Publish responses; notify when the frontend's rsp_event asks for it. */
static void ring_push_responses(struct blkmq_be_ring *ring)
{
	u32 old = READ_ONCE(ring->sring->rsp_prod);
	u32 new = ring->rsp_prod_pvt;

	if (old == new)
		return;
	/*
	 * Responses visible before the index that publishes them: pairs with
	 * the frontend's read barrier between rsp_prod and the responses.
	 */
	virt_wmb();
	WRITE_ONCE(ring->sring->rsp_prod, new);
	/*
	 * The index visible before we read the frontend's rsp_event: pairs
	 * with its full barrier between writing rsp_event and reading
	 * rsp_prod again, so one of the two sides sees the other's write.
	 */
	virt_mb();
	if ((u32)(new - READ_ONCE(ring->sring->rsp_event)) < (u32)(new - old)) {
		notify_remote_via_irq(ring->irq);
		ring->stats.notify++;
	}
}

/*
 * Unmap n grants in one call.  Used for one-shot mappings at completion and
 * for persistent grants on eviction and teardown; the pages go back to the
 * ring's pool.
 */
static void ring_unmap_batch(struct blkmq_be_ring *ring, unsigned int n)
{
	unsigned int i, ok = 0;
	int err;

	if (!n)
		return;
	err = gnttab_unmap_refs(ring->unmap_ops, NULL, ring->unmap_pages, n);
	ring->stats.unmap_ops += n;
	ring->stats.unmap_calls++;
	/*
	 * A failed unmap leaves the page owned by Xen: leak it, never reuse it
	 * (it stays counted in grants_mapped).  A call that succeeded wrote
	 * every status, and each says whether its own unmap did: the pages
	 * that came back move to the front, for one put into the pool.
	 */
	if (err) {
		blkmq_be_err_rl(ring->be, "ring %u: unmap of %u grants failed: %d\n",
				ring->id, n, err);
		return;
	}
	for (i = 0; i < n; i++) {
		if (unlikely(ring->unmap_ops[i].status != GNTST_okay)) {
			blkmq_be_err_rl(ring->be, "ring %u: grant unmap failed: %d; page leaked\n",
					ring->id, ring->unmap_ops[i].status);
			continue;
		}
		ring->unmap_pages[ok++] = ring->unmap_pages[i];
	}
	ring_grants_add(ring, -(long)ok);
	gnttab_page_cache_put(&ring->page_pool, ring->unmap_pages, ok);
}

/*
 * Map the @n operations prepared in ring->map_ops/map_pages in one call.
 * Each status starts as an error, so only what Xen reports mapped counts
 * as mapped.  When the call as a whole fails, Xen may still have mapped
 * some of them, but gnttab_map_refs() returned before marking those pages
 * foreign and entering them in the p2m: using or caching such a page would
 * hand the device the wrong frame.  They are unmapped here and reported
 * failed; a page whose unmap fails too is leaked (map_pages[i] = NULL),
 * never reused.
 */
static void ring_map_batch(struct blkmq_be_ring *ring, unsigned int n)
{
	struct gnttab_map_grant_ref *op;
	struct gnttab_unmap_grant_ref unmap;
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		ring->map_ops[i].status = GNTST_general_error;
		ring->map_ops[i].handle = INVALID_GRANT_HANDLE;
	}
	err = gnttab_map_refs(ring->map_ops, NULL, ring->map_pages, n);
	ring->stats.map_ops += n;
	ring->stats.map_calls++;
	if (likely(!err))
		return;
	blkmq_be_err_rl(ring->be, "ring %u: map call for %u grants failed: %d\n",
			ring->id, n, err);
	for (i = 0; i < n; i++) {
		op = &ring->map_ops[i];
		if (op->status != GNTST_okay)
			continue;
		op->status = GNTST_general_error;
		/* host_addr as the map op holds it (a kernel or guest-physical
		 * address, whichever this kind of domain uses)
		 */
		unmap.host_addr = op->host_addr;
		unmap.dev_bus_addr = 0;
		unmap.handle = op->handle;
		unmap.status = GNTST_general_error;
		if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1) ||
		    unmap.status != GNTST_okay) {
			blkmq_be_err_rl(ring->be, "ring %u: grant %u unmap failed: %d; leaked\n",
					ring->id, op->ref, unmap.status);
			atomic_long_inc(&blkmq_be_grants_leaked);
			ring->map_pages[i] = NULL;
		}
	}
}

static void unmap_queue(struct blkmq_be_ring *ring, unsigned int *n,
			struct page *page, grant_handle_t handle)
{
	gnttab_set_unmap_op(&ring->unmap_ops[*n],
			    (unsigned long)pfn_to_kaddr(page_to_pfn(page)),
			    GNTMAP_host_map, handle);
	ring->unmap_pages[*n] = page;
	if (++*n == BLKMQ_BACK_MAX_SEGS) {
		ring_unmap_batch(ring, *n);
		*n = 0;
	}
}

/* Unmap up to @want least recently used persistent grants not in flight. */
static unsigned int gcache_evict(struct blkmq_be_ring *ring, unsigned int want)
{
	struct blkmq_gcache_entry *victims[BLKMQ_GCACHE_EVICT_BATCH];
	unsigned int got, i, n, total = 0;

	while (want) {
		got = blkmq_gcache_pick_victims(&ring->gcache, victims,
						min_t(unsigned int, want, ARRAY_SIZE(victims)));
		if (!got)
			break;
		n = 0;
		for (i = 0; i < got; i++)
			unmap_queue(ring, &n, victims[i]->page, victims[i]->handle);
		ring_unmap_batch(ring, n);
		/* slots are reused only once their grants are unmapped */
		for (i = 0; i < got; i++)
			blkmq_gcache_remove(&ring->gcache, victims[i]);
		want -= got;
		total += got;
	}
	ring->stats.pgnt_evict += total;
	return total;
}

/*
 * Make room for the grants that the batch of @nmap map operations just
 * mapped: one batch of evictions at most, within the eviction budget
 * (refilled by housekeeping); what does not fit is mapped one-shot, so an
 * oversized working set neither costs an unmap call per miss nor churns
 * the whole cache.
 */
static void gcache_make_room(struct blkmq_be_ring *ring, unsigned int nmap)
{
	unsigned int i, need = 0;
	u32 want;

	/* only the grants that did map can be kept */
	for (i = 0; i < nmap; i++)
		need += ring->map_ops[i].status == GNTST_okay;
	want = blkmq_gcache_evict_want(&ring->gcache, need, ring->evict_budget);

	if (want)
		ring->evict_budget -= gcache_evict(ring, want);
}

/* Evictions allowed per housekeeping period: an eighth of the cache. */
static u32 ring_evict_budget(struct blkmq_be_ring *ring)
{
	return max_t(u32, ring->gcache.cap / 8, BLKMQ_GCACHE_EVICT_BATCH);
}

/*
 * Give back a request's pages: unpin persistent grants, queue the other
 * maps for unmapping (counted in @nunmap; the caller flushes the batch).
 */
static void pending_release(struct blkmq_be_ring *ring,
			    struct blkmq_be_pending *p, unsigned int *nunmap)
{
	unsigned int i;

	for (i = 0; i < p->nr_pages; i++) {
		if (p->gce[i]) {
			blkmq_gcache_unpin(&ring->gcache, p->gce[i]);
			p->gce[i] = NULL;
		} else if (p->kept_map[i]) {
			unmap_queue(ring, nunmap, p->pages[i], p->handles[i]);
			p->kept_map[i] = false;
		}
	}
	p->nr_pages = 0;
}

/* Finish one request the bios are done with: undo maps, respond. */
static void pending_finish(struct blkmq_be_ring *ring, struct blkmq_be_pending *p,
			   unsigned int *nunmap)
{
	pending_release(ring, p, nunmap);
	ring_respond(ring, p->req.id, p->req.wire_op,
		     p->error ? BLKMQ_RSP_ERROR : BLKMQ_RSP_OKAY);
	atomic_dec(&ring->inflight);
	pending_put(ring, p);
}

/* Take back everything bio completion handed over; returns how many. */
static unsigned int ring_reap(struct blkmq_be_ring *ring)
{
	struct llist_node *list = llist_del_all(&ring->done_list);
	struct blkmq_be_pending *p, *tmp;
	unsigned int n = 0, nunmap = 0;

	if (!list)
		return 0;
	/* the list is newest first; answer in completion order */
	list = llist_reverse_order(list);
	llist_for_each_entry_safe(p, tmp, list, done) {
		pending_finish(ring, p, &nunmap);
		n++;
	}
	ring_unmap_batch(ring, nunmap);
	ring_push_responses(ring);
	return n;
}

static void pending_bio_end(struct bio *bio)
{
	struct blkmq_be_pending *p = bio->bi_private;
	struct blkmq_be_ring *ring = p->ring;
	unsigned int stall;

	if (bio->bi_status)
		WRITE_ONCE(p->error, true);
	/* @p may be used again once it is handed back: its bio is done now */
	if (bio == &p->bio)
		bio_uninit(bio);
	else
		bio_put(bio);
	/*
	 * Fully ordered: every bio's @p->error store comes before the
	 * decrement that reaches zero, and so before the hand-over below.
	 */
	if (!atomic_dec_and_test(&p->bios))
		return;
	stall = fault_end_io_take(ring);
	/*
	 * The last bio hands the request to the kthread.  Once it is on the
	 * list the kthread may answer it, find nothing in flight and let
	 * teardown go on: the reference taken while @p still pins the ring
	 * keeps the ring's memory until this wake-up is done, and dropping it
	 * is the last thing done here.  @p is not touched after llist_add().
	 * Only the completion that finds the list empty wakes the kthread: the
	 * others ride on that wake-up, since the kthread takes the whole list.
	 */
	kobject_get(&ring->kobj);
	/*
	 * llist_add() is a full barrier: @p is complete before the kthread
	 * can take it (its llist_del_all() in ring_reap()).  @work then wake_up()
	 * pairs with the kthread's wait_event: the waitqueue lock orders the
	 * store before its next look at the condition.
	 */
	if (llist_add(&p->done, &ring->done_list)) {
		fault_end_io_stall(stall);
		atomic_set(&ring->work, 1);
		wake_up(&ring->wq);
	}
	blkmq_be_ring_put(ring);
}

/*
 * Map the segments of @p: persistent-cache hits are pinned, the rest mapped
 * in one batched call.  New mappings become persistent while the cache has
 * room (after evicting idle grants if needed), one-shot otherwise.
 */
static int pending_map(struct blkmq_be_ring *ring, struct blkmq_be_pending *p)
{
	struct blkmq_be *be = ring->be;
	struct blkmq_back_req *req = &p->req;
	bool persistent = be->use.persistent;
	bool to_dev = req->op != BLKMQ_BOP_READ;
	unsigned int i, nmap = 0;
	u32 flags;
	int err = 0;

	for (i = 0; i < req->nr_segs; i++) {
		struct blkmq_gcache_entry *e = NULL;

		p->gce[i] = NULL;
		p->kept_map[i] = false;
		if (persistent)
			e = blkmq_gcache_lookup(&ring->gcache, req->seg[i].gref);
		if (e) {
			p->gce[i] = e;
			p->pages[i] = e->page;
			ring->stats.pgnt_hit++;
			continue;
		}
		if (gnttab_page_cache_get(&ring->page_pool, &ring->map_pages[nmap])) {
			err = -ENOMEM;
			break;
		}
		/*
		 * A grant kept for later reuse may serve reads and writes, so it
		 * is mapped writable; a one-shot mapping for a write only needs
		 * to be read by the device.
		 */
		flags = GNTMAP_host_map;
		if (!persistent && to_dev)
			flags |= GNTMAP_readonly;
		gnttab_set_map_op(&ring->map_ops[nmap],
				  (unsigned long)pfn_to_kaddr(page_to_pfn(ring->map_pages[nmap])),
				  flags, req->seg[i].gref, be->domid);
		ring->map_seg[nmap] = i;
		nmap++;
		ring->stats.pgnt_miss++;
	}
	p->nr_pages = i;
	if (nmap)
		ring_map_batch(ring, nmap);
	if (persistent)
		gcache_make_room(ring, nmap);
	/* Check every operation: a failure anywhere fails the request. */
	for (i = 0; i < nmap; i++) {
		unsigned int s = ring->map_seg[i];
		struct blkmq_gcache_entry *e = NULL;

		if (ring->map_ops[i].status != GNTST_okay) {
			blkmq_be_err_rl(be, "ring %u: map of grant %u failed: %d\n",
					ring->id, ring->map_ops[i].ref,
					ring->map_ops[i].status);
			if (ring->map_pages[i])
				gnttab_page_cache_put(&ring->page_pool, &ring->map_pages[i], 1);
			p->pages[s] = NULL;
			err = err ?: -EFAULT;
			continue;
		}
		ring_grants_add(ring, 1);
		p->pages[s] = ring->map_pages[i];
		/*
		 * Keep it mapped if there is room (made above); a full cache, or
		 * the same grant twice in one request, makes this a one-shot
		 * mapping instead.
		 */
		if (persistent && blkmq_gcache_insert(&ring->gcache, req->seg[s].gref, &e))
			e = NULL;
		if (e) {
			e->page = p->pages[s];
			e->handle = ring->map_ops[i].handle;
			p->gce[s] = e;
		} else {
			p->handles[s] = ring->map_ops[i].handle;
			p->kept_map[s] = true;
		}
	}
	return err;
}

/* Undo pending_map() for a request that will not reach the device. */
static void pending_unmap_now(struct blkmq_be_ring *ring, struct blkmq_be_pending *p)
{
	unsigned int n = 0;

	pending_release(ring, p, &n);
	ring_unmap_batch(ring, n);
}

/*
 * Read an indirect request's segment descriptors: copy them once from the
 * descriptor pages into ring->segs and validate the copy.  With persistent
 * grants the descriptor pages are kept mapped like data pages (frontends
 * reuse them); otherwise they are mapped read-only just for the copy.
 */
static enum blkmq_back_err pending_read_indirect(struct blkmq_be_ring *ring,
						 struct blkmq_be_pending *p)
{
	struct blkmq_be *be = ring->be;
	struct blkmq_back_req *req = &p->req;
	struct blkmq_gcache_entry *gce[BLKMQ_MAX_INDIRECT_PAGES] = {};
	struct page *page[BLKMQ_MAX_INDIRECT_PAGES] = {};
	grant_handle_t handle[BLKMQ_MAX_INDIRECT_PAGES];
	bool persistent = be->use.persistent;
	unsigned int i, n = req->nr_indirect_pages, nmap = 0, nunmap = 0, left;
	bool bad = false;

	for (i = 0; i < n; i++) {
		handle[i] = INVALID_GRANT_HANDLE;
		if (persistent) {
			gce[i] = blkmq_gcache_lookup(&ring->gcache, req->indirect_grefs[i]);
			if (gce[i]) {
				page[i] = gce[i]->page;
				ring->stats.pgnt_hit++;
				continue;
			}
		}
		if (gnttab_page_cache_get(&ring->page_pool, &ring->map_pages[nmap])) {
			bad = true;
			break;
		}
		gnttab_set_map_op(&ring->map_ops[nmap],
				  (unsigned long)pfn_to_kaddr(page_to_pfn(ring->map_pages[nmap])),
				  GNTMAP_host_map | (persistent ? 0 : GNTMAP_readonly),
				  req->indirect_grefs[i], be->domid);
		ring->map_seg[nmap] = i;
		nmap++;
		ring->stats.pgnt_miss++;
	}
	if (nmap)
		ring_map_batch(ring, nmap);
	if (persistent)
		gcache_make_room(ring, nmap);
	for (i = 0; i < nmap; i++) {
		unsigned int k = ring->map_seg[i];

		if (ring->map_ops[i].status != GNTST_okay) {
			blkmq_be_err_rl(be, "ring %u: map of indirect grant %u failed: %d\n",
					ring->id, ring->map_ops[i].ref, ring->map_ops[i].status);
			if (ring->map_pages[i])
				gnttab_page_cache_put(&ring->page_pool, &ring->map_pages[i], 1);
			bad = true;
			continue;
		}
		ring_grants_add(ring, 1);
		page[k] = ring->map_pages[i];
		if (persistent &&
		    blkmq_gcache_insert(&ring->gcache, req->indirect_grefs[k], &gce[k]))
			gce[k] = NULL;
		if (gce[k]) {
			gce[k]->page = page[k];
			gce[k]->handle = ring->map_ops[i].handle;
		} else {
			handle[k] = ring->map_ops[i].handle;
		}
	}

	/* the single read of the descriptors (XSA-155) */
	left = req->nr_segs;
	for (i = 0; i < n && !bad; i++) {
		unsigned int cnt = min_t(unsigned int, left, BLKMQ_SEGS_PER_INDIRECT_PAGE);

		memcpy(&ring->segs[i * BLKMQ_SEGS_PER_INDIRECT_PAGE], page_address(page[i]),
		       cnt * sizeof(struct blkmq_segment));
		left -= cnt;
	}

	for (i = 0; i < n; i++) {
		if (gce[i])
			blkmq_gcache_unpin(&ring->gcache, gce[i]);
		else if (handle[i] != INVALID_GRANT_HANDLE)
			unmap_queue(ring, &nunmap, page[i], handle[i]);
	}
	ring_unmap_batch(ring, nunmap);
	if (bad)
		return BLKMQ_BACK_E_INDIRECT_PAGES;
	return blkmq_back_parse_indirect_segs(req, ring->segs, &ring->lim);
}

static blk_opf_t pending_opf(const struct blkmq_back_req *req)
{
	switch (req->op) {
	case BLKMQ_BOP_READ:
		return REQ_OP_READ;
	case BLKMQ_BOP_WRITE:
		return REQ_OP_WRITE;
	case BLKMQ_BOP_FLUSH:
		return REQ_OP_WRITE | REQ_PREFLUSH;
	case BLKMQ_BOP_BARRIER:
	default:
		/* ordering is done by draining first; this adds durability */
		return REQ_OP_WRITE | REQ_PREFLUSH | REQ_FUA;
	}
}

/* Build and submit the bios of a mapped request; always consumes @p. */
static void pending_submit(struct blkmq_be_ring *ring, struct blkmq_be_pending *p)
{
	struct blkmq_back_req *req = &p->req;
	struct block_device *bdev = ring->be->backing.bdev;
	blk_opf_t opf = pending_opf(req);
	sector_t sector = req->sector;
	struct bio *bio;
	unsigned int i;

	/* one reference for the submitter, dropped below */
	atomic_set(&p->bios, 1);
	p->error = false;
	/*
	 * A request without indirect segments (an empty flush too) goes in
	 * the bio of @p; a bigger one in allocated bios, as few as will hold
	 * it.
	 */
	if (req->nr_segs <= ARRAY_SIZE(p->bvecs)) {
		bio_init(&p->bio, bdev, p->bvecs, ARRAY_SIZE(p->bvecs), opf);
		bio = &p->bio;
	} else {
		bio = bio_alloc(bdev, min_t(unsigned int, req->nr_segs, BIO_MAX_VECS),
				opf, GFP_KERNEL);
	}
	/* an empty flush keeps sector 0: nothing checked the guest's value */
	if (req->nr_segs)
		bio->bi_iter.bi_sector = sector;
	bio->bi_private = p;
	bio->bi_end_io = pending_bio_end;
	for (i = 0; i < req->nr_segs; i++) {
		unsigned int off = blkmq_back_seg_offset(&req->seg[i]);
		unsigned int len = blkmq_back_seg_bytes(&req->seg[i]);

		while (bio_add_page(bio, p->pages[i], len, off) != len) {
			atomic_inc(&p->bios);
			submit_bio(bio);
			bio = bio_alloc(bdev, min_t(unsigned int, req->nr_segs - i, BIO_MAX_VECS),
					opf, GFP_KERNEL);
			bio->bi_iter.bi_sector = sector;
			bio->bi_private = p;
			bio->bi_end_io = pending_bio_end;
		}
		sector += len >> BLKMQ_SECTOR_SHIFT;
	}
	atomic_inc(&p->bios);
	submit_bio(bio);
	/*
	 * Drop the submitter's reference; the last one queues the response.
	 * This runs in the kthread itself: @work makes its loop go round
	 * again without a wake-up.
	 */
	if (atomic_dec_and_test(&p->bios)) {
		llist_add(&p->done, &ring->done_list);
		atomic_set(&ring->work, 1);
	}
}

/*
 * Wait (kthread) until nothing of this ring is in flight.  @inflight is
 * only changed by this kthread (ring_handle() and the answers it writes in
 * ring_reap()), so the loop needs no ordering beyond the done list's.
 * Bios still held in the consume pass's plug go to the disk when the wait
 * first sleeps (the scheduler flushes a sleeping task's plug).
 */
static void ring_drain(struct blkmq_be_ring *ring)
{
	while (atomic_read(&ring->inflight)) {
		wait_event_timeout(ring->wq, !llist_empty(&ring->done_list), HZ / 10);
		ring_reap(ring);
	}
}

static void pending_discard(struct blkmq_be_ring *ring, struct blkmq_be_pending *p)
{
	struct block_device *bdev = ring->be->backing.bdev;
	int err;

	/* Synchronous, as discards are rare and may take long. */
	if (p->req.op == BLKMQ_BOP_SECURE_DISCARD)
		err = blkdev_issue_secure_erase(bdev, p->req.sector, p->req.nr_sects,
						GFP_KERNEL);
	else
		err = blkdev_issue_discard(bdev, p->req.sector, p->req.nr_sects,
					   GFP_KERNEL);
	ring_respond(ring, p->req.id, p->req.wire_op,
		     err == -EOPNOTSUPP ? BLKMQ_RSP_EOPNOTSUPP :
		     err ? BLKMQ_RSP_ERROR : BLKMQ_RSP_OKAY);
	atomic_dec(&ring->inflight);
	pending_put(ring, p);
}

static void stats_account(struct blkmq_be_ring *ring, const struct blkmq_back_req *req)
{
	ring->stats.segs += req->nr_segs;
	switch (req->op) {
	case BLKMQ_BOP_READ:
		ring->stats.rd_req++;
		ring->stats.rd_sect += req->nr_sects;
		break;
	case BLKMQ_BOP_WRITE:
		ring->stats.wr_req++;
		ring->stats.wr_sect += req->nr_sects;
		break;
	case BLKMQ_BOP_FLUSH:
	case BLKMQ_BOP_BARRIER:
		ring->stats.f_req++;
		ring->stats.wr_sect += req->nr_sects;
		break;
	default:
		ring->stats.ds_req++;
		break;
	}
}

/*
 * Handle one request already copied to @p->req's source; consumes @p.
 * Returns false when it waited (a barrier's drain or a synchronous discard):
 * the consume pass then ends, so a stop request is seen after at most one
 * such wait.
 */
static bool ring_handle(struct blkmq_be_ring *ring, struct blkmq_be_pending *p,
			const union blkmq_request_any *copy)
{
	struct blkmq_be *be = ring->be;
	enum blkmq_back_err bad;
	bool waits;
	int err;

	bad = blkmq_back_parse(copy, &ring->lim, &p->req);
	if (bad == BLKMQ_BACK_OK && p->req.indirect)
		bad = pending_read_indirect(ring, p);
	if (bad != BLKMQ_BACK_OK) {
		blkmq_be_err_rl(be, "ring %u: bad request (op %u): %s\n", ring->id,
				copy->other.operation, blkmq_back_err_str(bad));
		/* parse filled in id and the operation to echo even on refusal */
		ring_respond(ring, p->req.id, p->req.wire_op, blkmq_back_err_status(bad));
		ring->refused++;
		pending_put(ring, p);
		return true;
	}
	stats_account(ring, &p->req);
	/*
	 * A barrier is ordered after everything before it, and a discard runs
	 * synchronously here: both first wait for what is in flight (not
	 * counting themselves, or the wait would never end).
	 */
	waits = p->req.op == BLKMQ_BOP_DISCARD || p->req.op == BLKMQ_BOP_SECURE_DISCARD ||
		p->req.op == BLKMQ_BOP_BARRIER;
	if (waits) {
		ring_drain(ring);
		/*
		 * Told to retire meanwhile: do not start a slow one now, and
		 * do not answer it either (an error on an empty barrier reads
		 * as "done, not supported" to Linux blkfront).  Unanswered, it
		 * is what every request not yet taken is: the frontend sends
		 * it again if it ever reconnects.
		 */
		if (READ_ONCE(ring->stopping)) {
			pending_put(ring, p);
			return false;
		}
	}
	atomic_inc(&ring->inflight);

	if (p->req.op == BLKMQ_BOP_DISCARD || p->req.op == BLKMQ_BOP_SECURE_DISCARD) {
		pending_discard(ring, p);
		return false;
	}

	err = pending_map(ring, p);
	if (err) {
		pending_unmap_now(ring, p);
		ring_respond(ring, p->req.id, p->req.wire_op, BLKMQ_RSP_ERROR);
		atomic_dec(&ring->inflight);
		pending_put(ring, p);
		return !waits;
	}
	pending_submit(ring, p);
	return !waits;
}

/*
 * The limits a request is checked against stay fixed during a parse: each
 * ring works on its own copy.  Only the size changes while connected (the
 * control plane's resize_work): the ring takes the copy again when
 * be->lim_gen says so.
 */
static void ring_refresh_limits(struct blkmq_be_ring *ring)
{
	/* pairs with the release in be_resize_work(): the size behind @gen */
	u32 gen = smp_load_acquire(&ring->be->lim_gen);

	/* nr_sectors may move meanwhile: it is read again just below */
	ring->lim = data_race(ring->be->lim);
	ring->lim.nr_sectors = READ_ONCE(ring->be->lim.nr_sectors);
	ring->lim_gen = gen;
}

/*
 * Copy out and start the requests the frontend published, at most one
 * ring's worth per pass: a frontend that re-publishes as fast as we answer
 * (refusals cost us nearly nothing) must not keep the kthread here, away
 * from a stop request and the late EOI.  Returns the number taken;
 * *@again says that requests are left for the next pass.  A producer index
 * that runs past what the ring can hold halts the ring for good: the
 * frontend broke the protocol.
 */
static unsigned int ring_consume(struct blkmq_be_ring *ring, bool *again)
{
	struct blkmq_sring *s = ring->sring;
	unsigned int taken = 0;
	u32 rp;
	bool more;

	*again = false;
	ring->refused = 0;
	if (ring->halted)
		return 0;
	do {
		rp = READ_ONCE(s->req_prod);
		/*
		 * Read the index before the requests it covers: pairs with
		 * the frontend's write barrier between the requests and
		 * req_prod.
		 */
		virt_rmb();
		/*
		 * The size too, after the index: a new size reaches the
		 * frontend only after lim_gen moved, so a request past the
		 * old end, covered by @rp, finds the move here.
		 */
		if (READ_ONCE(ring->be->lim_gen) != ring->lim_gen)
			ring_refresh_limits(ring);
		if (rp - ring->req_cons > ring->nr_ents) {
			pr_err_ratelimited("vbd %u/%s: ring %u: req_prod %u is %u past req_cons %u (ring of %u): halting ring\n",
					   ring->be->domid, ring->be->dev->nodename,
					   ring->id, rp, rp - ring->req_cons,
					   ring->req_cons, ring->nr_ents);
			ring->halted = true;
			return taken;
		}
		while (ring->req_cons != rp) {
			union blkmq_request_any copy;
			struct blkmq_be_pending *p;

			if (taken >= ring->nr_ents || READ_ONCE(ring->stopping)) {
				*again = true;
				return taken;
			}
			/*
			 * Every slot holds a request we have not answered yet:
			 * come back once completions freed some.
			 */
			if (ring->req_cons - ring->rsp_prod_pvt >= ring->nr_ents)
				return taken;
			p = pending_get(ring);
			if (!p) {
				ring->stats.oo_req++;
				return taken;
			}
			/* the single read of this slot (XSA-155) */
			memcpy(&copy, &s->ring[ring->req_cons & (ring->nr_ents - 1)].req,
			       sizeof(copy));
			ring->req_cons++;
			/* the compiler must not read the slot again below */
			barrier();
			taken++;
			if (!ring_handle(ring, p, &copy)) {
				*again = true;
				return taken;
			}
			cond_resched();
		}
		/* ask for an event on the next request, then look once more */
		WRITE_ONCE(s->req_event, ring->req_cons + 1);
		/* req_event visible before req_prod is read again (pairs with
		 * the frontend's barrier between req_prod and req_event)
		 */
		virt_mb();
		more = READ_ONCE(s->req_prod) != ring->req_cons;
	} while (more && !ring->halted);
	return taken;
}

/**
 * blkmq_be_interrupt() - event-channel handler of one ring
 * @irq: the interrupt
 * @dev_id: the ring
 *
 * Only wakes the ring's kthread; the kthread owes the late EOI.
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t blkmq_be_interrupt(int irq, void *dev_id)
{
	struct blkmq_be_ring *ring = dev_id;

	/*
	 * @eoi_pending before @work (release): a kthread that sees @work,
	 * with or without sleeping, sees @eoi_pending at its atomic_xchg(),
	 * which is ordered after that read.  wake_up()'s waitqueue lock
	 * orders both before a sleeping kthread's next look.
	 */
	atomic_set(&ring->eoi_pending, 1);
	atomic_set_release(&ring->work, 1);
	wake_up(&ring->wq);
	return IRQ_HANDLED;
}

/* Once a second at most: a busy ring wakes far more often than that. */
static void ring_housekeeping(struct blkmq_be_ring *ring)
{
	if (time_before(jiffies, ring->last_housekeeping + HZ))
		return;
	ring->last_housekeeping = jiffies;
	/* an idle ring keeps at most max_buffer_pages free pages */
	if (time_after(jiffies, ring->last_busy + BLKMQ_BE_IDLE_JIFFIES))
		gnttab_page_cache_shrink(&ring->page_pool, READ_ONCE(blkmq_be_max_pool_pages));
	ring->evict_budget = ring_evict_budget(ring);
	/* the cap may have been lowered at run time */
	if (ring->gcache.used > READ_ONCE(blkmq_be_max_pgrants))
		gcache_evict(ring, ring->gcache.used - READ_ONCE(blkmq_be_max_pgrants));
}

/*
 * Bring the ring's event channel to the CPU the kthread runs on, so that
 * the next event wakes the kthread where it slept.  An event taken on
 * another CPU costs an IPI for the wake-up, which at queue depth 1 is one
 * per request, and whether it happens is otherwise left to where the
 * scheduler and the event's first binding happened to put the two.  A task
 * woken on the CPU it slept on tends to stay there, so this settles after
 * one move; a kthread the scheduler keeps moving is followed at most ten
 * times a second (each move is a hypercall).  The event's binding is read
 * where the kernel keeps it, so one moved by irqbalance or /proc/irq is
 * brought back too: with irq_follow set, the driver places its interrupts.
 */
static void ring_follow_cpu(struct blkmq_be_ring *ring)
{
	/* only a hint: a stale CPU is moved from at the next pass */
	int cpu = raw_smp_processor_id();

	if (!READ_ONCE(blkmq_be_irq_follow) ||
	    cpumask_test_cpu(cpu, irq_data_get_effective_affinity_mask(ring->irqd)) ||
	    time_before(jiffies, ring->irq_moved + BLKMQ_FOLLOW_JIFFIES))
		return;
	ring->irq_moved = jiffies;
	if (irq_set_affinity(ring->irq, cpumask_of(cpu)))
		return;
	ring->stats.irq_moves++;
}

/*
 * The ring's kthread.  It serves the ring until blkmq_be_ring_retire(), then
 * retires it: waits for every request in flight (as long as the disk takes,
 * and outside xenwatch), unbinds, unmaps and frees what the ring holds,
 * tells the control plane, and drops the references blkmq_be_ring_start()
 * took for it, the module's last.  A bio completion may still be finishing
 * its wake-up then; it holds the ring, and module exit waits for every
 * ring's release (blkmq_be_rings_wait_gone()).
 */
static int ring_thread(void *arg)
{
	struct blkmq_be_ring *ring = arg;
	struct blkmq_be *be = ring->be;

	while (!READ_ONCE(ring->stopping)) {
		struct blk_plug plug;
		unsigned int got;
		bool again;

		wait_event_interruptible_timeout(ring->wq,
						 atomic_read(&ring->work) ||
						 READ_ONCE(ring->stopping),
						 BLKMQ_BE_IDLE_JIFFIES);
		/*
		 * Cleared before this pass looks, by an exchange: fully
		 * ordered, so a set from an event or a completion either
		 * comes after it (and stays for the next turn) or is the
		 * value it takes, with the handler's @eoi_pending before it
		 * (release).  Either way the atomic_xchg() of @eoi_pending
		 * below, or the next turn, sees the event.
		 */
		atomic_xchg(&ring->work, 0);
		ring_reap(ring);
		/*
		 * One plug for the pass: the bios of every request taken
		 * reach the disk's queue as a batch when it ends (or when it
		 * holds the block layer's batch limit, or we sleep).
		 */
		blk_start_plug(&plug);
		got = ring_consume(ring, &again);
		blk_finish_plug(&plug);
		/* a pass cut short comes back without sleeping */
		if (again)
			atomic_set(&ring->work, 1);
		ring_reap(ring);
		/* answers written without a bio (refusals, discards) go out too */
		ring_push_responses(ring);
		if (got)
			ring->last_busy = jiffies;
		/*
		 * A pass that only refused cost the frontend as little as it
		 * cost us: back off before the next, so a frontend that keeps
		 * publishing bad requests cannot keep a dom0 CPU busy (the
		 * late-EOI throttle never sees such events as spurious).
		 */
		if (got && ring->refused == got)
			usleep_range(1000, 2000);
		/*
		 * An event is spurious only if it brought nothing.  The requests
		 * it announces may have been taken by an earlier pass: the
		 * frontend notifies once req_prod passes our req_event, and the
		 * look we take after moving req_event often finds those requests
		 * before their event arrives.  So requests taken since (and in the
		 * pass of) the last EOI count for the next event too.
		 */
		if (atomic_xchg(&ring->eoi_pending, 0)) {
			bool spurious = !got && !ring->eoi_credit;

			ring->eoi_credit = got;
			ring->stats.irq++;
			if (spurious)
				ring->stats.spurious++;
			xen_irq_lateeoi(ring->irq, spurious ? XEN_EOI_FLAG_SPURIOUS : 0);
		} else if (got) {
			ring->eoi_credit = true;
		}
		ring_housekeeping(ring);
		ring_follow_cpu(ring);
		cond_resched();
	}
	/* stop: every bio must come back before the ring can go */
	ring_drain(ring);
	blkmq_be_ring_disconnect(ring);
	atomic_dec(&be->retiring);
	complete(&ring->retired);
	blkmq_be_ring_put(ring);
	blkmq_be_put(be);
	module_put_and_kthread_exit(0);
}

/**
 * blkmq_be_ring_disconnect() - unbind, unmap and free what a ring holds
 * @ring: a ring with no kthread serving it and nothing in flight (its own
 *	kthread retiring it, or the control plane for a ring never started)
 */
void blkmq_be_ring_disconnect(struct blkmq_be_ring *ring)
{
	if (ring->irq >= 0) {
		unbind_from_irqhandler(ring->irq, ring);
		ring->irq = -1;
	}
	if (ring->sring) {
		xenbus_unmap_ring_vfree(ring->be->dev, ring->sring);
		ring->sring = NULL;
		blkmq_be_ring_free(ring);
	}
}

static void be_release(struct kref *ref)
{
	struct blkmq_be *be = container_of(ref, struct blkmq_be, ref);

	blkmq_compat_bdev_close(&be->backing);
	put_device(&be->dev->dev);
	kfree(be);
}

/**
 * blkmq_be_put() - drop a reference to a device's state
 * @be: freed, its disk closed, with the last reference: the control
 *	plane's (dropped at remove) or a retiring ring's kthread
 */
void blkmq_be_put(struct blkmq_be *be)
{
	kref_put(&be->ref, be_release);
}

/*
 * Rings allocated and not yet released, over all devices (module exit).
 * The decrement to zero is fully ordered after the ring's release and its
 * wake_up_var() pairs with the wait_var_event() in
 * blkmq_be_rings_wait_gone().
 */
static atomic_t blkmq_be_rings_alive = ATOMIC_INIT(0);

/**
 * blkmq_be_ring_alloc() - allocate one unconnected ring
 * @be: the device
 * @id: queue number
 *
 * The ring starts unbound (irq -1) with one reference, the caller's.
 *
 * Return: the ring, or NULL.
 */
struct blkmq_be_ring *blkmq_be_ring_alloc(struct blkmq_be *be, unsigned int id)
{
	struct blkmq_be_ring *ring = kvzalloc(sizeof(*ring), GFP_KERNEL);

	if (!ring)
		return NULL;
	ring->be = be;
	ring->id = id;
	snprintf(ring->name, sizeof(ring->name), "blkmq.%u.%u-%u", be->domid,
		 be->devid, id);
	ring->irq = -1;
	blkmq_be_sysfs_ring_init(ring);
	atomic_inc(&blkmq_be_rings_alive);
	return ring;
}

/**
 * blkmq_be_ring_put() - drop a reference to a ring
 * @ring: the ring; freed with its last reference (any context)
 */
void blkmq_be_ring_put(struct blkmq_be_ring *ring)
{
	kobject_put(&ring->kobj);
}

/**
 * blkmq_be_ring_release() - free a ring whose last reference is gone
 * @ring: torn down (no kthread, irq, mapping or pool left)
 *
 * Called by the kobject's release, in any context (kvfree() defers).
 */
void blkmq_be_ring_release(struct blkmq_be_ring *ring)
{
	blkmq_be_fault_poison(ring, sizeof(*ring));
	kvfree(ring);
	if (atomic_dec_and_test(&blkmq_be_rings_alive))
		wake_up_var(&blkmq_be_rings_alive);
}

/**
 * blkmq_be_rings_wait_gone() - wait until every ring was released
 *
 * For module exit: a release may run seconds after the last put
 * (CONFIG_DEBUG_KOBJECT_RELEASE), and it runs our code.
 */
void blkmq_be_rings_wait_gone(void)
{
	wait_var_event(&blkmq_be_rings_alive, !atomic_read(&blkmq_be_rings_alive));
}

/**
 * blkmq_be_ring_init() - allocate a ring's pools before it is connected
 * @ring: the ring, with @be and @id set
 *
 * Return: 0 or -ENOMEM.
 */
int blkmq_be_ring_init(struct blkmq_be_ring *ring)
{
	unsigned int i, cap = clamp_t(unsigned int, READ_ONCE(blkmq_be_max_pgrants), 1,
				      BLKMQ_GCACHE_MAX_CAP);

	init_waitqueue_head(&ring->wq);
	init_llist_head(&ring->done_list);
	INIT_LIST_HEAD(&ring->free_list);
	atomic_set(&ring->inflight, 0);
	atomic_set(&ring->work, 0);
	atomic_set(&ring->eoi_pending, 0);
	gnttab_page_cache_init(&ring->page_pool);
	ring->irq = -1;

	ring->nr_pool = BLKMQ_RING_ENTRIES(ring->be->ring_order);
	ring->pool = kvcalloc(ring->nr_pool, sizeof(*ring->pool), GFP_KERNEL);
	if (!ring->pool)
		return -ENOMEM;
	for (i = 0; i < ring->nr_pool; i++) {
		ring->pool[i].ring = ring;
		list_add_tail(&ring->pool[i].free, &ring->free_list);
	}
	ring->gcache_mem = kvzalloc(blkmq_gcache_mem_size(cap), GFP_KERNEL);
	if (!ring->gcache_mem)
		goto out_free_pool;
	if (blkmq_gcache_init(&ring->gcache, ring->gcache_mem, cap, get_random_u32()))
		goto out_free_cache;
	ring->grants_mapped = 0;
	ring->evict_budget = ring_evict_budget(ring);
	mutex_lock(&blkmq_be_ring_list_lock);
	list_add(&ring->node, &blkmq_be_ring_list);
	mutex_unlock(&blkmq_be_ring_list_lock);
	return 0;

out_free_cache:
	kvfree(ring->gcache_mem);
	ring->gcache_mem = NULL;

out_free_pool:
	kvfree(ring->pool);
	ring->pool = NULL;
	return -ENOMEM;
}

/**
 * blkmq_be_ring_free() - unmap every persistent grant and free the pools
 * @ring: a ring whose kthread is gone and which has nothing in flight
 */
void blkmq_be_ring_free(struct blkmq_be_ring *ring)
{
	if (ring->gcache_mem) {
		gcache_evict(ring, UINT_MAX);
		/* only a bug of ours can leave one pinned: keep its page mapped */
		if (ring->gcache.used)
			pr_err("vbd %u: ring %u: %u persistent grants still pinned at teardown\n",
			       ring->be->domid, ring->id, ring->gcache.used);
		kvfree(ring->gcache_mem);
		ring->gcache_mem = NULL;
	}
	gnttab_page_cache_shrink(&ring->page_pool, 0);
	if (ring->pool) {
		mutex_lock(&blkmq_be_ring_list_lock);
		list_del(&ring->node);
		atomic_long_add(ring->grants_mapped, &blkmq_be_grants_leaked);
		mutex_unlock(&blkmq_be_ring_list_lock);
	}
	kvfree(ring->pool);
	ring->pool = NULL;
}

/**
 * blkmq_be_ring_start() - start the kthread of a mapped, bound ring
 * @ring: the ring
 *
 * The kthread holds its own references to the ring, the device and the
 * module until it has retired the ring (blkmq_be_ring_retire()).
 *
 * Return: 0 or the kthread_run() error.
 */
int blkmq_be_ring_start(struct blkmq_be_ring *ring)
{
	struct task_struct *t;

	ring->last_busy = jiffies;
	ring->last_housekeeping = jiffies;
	ring_refresh_limits(ring);
	init_completion(&ring->retired);
	/* the caller's device holds the module, so this cannot fail */
	__module_get(THIS_MODULE);
	kobject_get(&ring->kobj);
	blkmq_be_get(ring->be);
	atomic_inc(&ring->be->retiring);
	/* the first pass may move the event at once */
	ring->irq_moved = jiffies - BLKMQ_FOLLOW_JIFFIES;
	t = kthread_run(ring_thread, ring, "%s", ring->name);
	if (IS_ERR(t)) {
		atomic_dec(&ring->be->retiring);
		blkmq_be_put(ring->be);
		kobject_put(&ring->kobj);
		module_put(THIS_MODULE);
		return PTR_ERR(t);
	}
	ring->started = true;
	return 0;
}

/**
 * blkmq_be_ring_retire() - ask a started ring's kthread to retire the ring
 * @ring: a ring whose kthread runs
 *
 * Returns at once: the kthread finishes what is in flight, then unbinds,
 * unmaps and frees the ring and completes @ring->retired.  A disk that
 * takes minutes to answer (or a frontend's huge synchronous discard) keeps
 * only this ring waiting, never xenwatch.
 */
void blkmq_be_ring_retire(struct blkmq_be_ring *ring)
{
	/* read by the kthread's wait condition; wake_up() orders the two */
	WRITE_ONCE(ring->stopping, true);
	wake_up(&ring->wq);
}
