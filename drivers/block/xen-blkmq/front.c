// SPDX-License-Identifier: GPL-2.0-only
/*
 * front.c - xen-blkmq-front data path: blk-mq requests onto the shared rings
 *
 * queue_rq() turns a request into one ring request, built in a private copy
 * and then copied into the ring slot; nothing is ever read back from the
 * ring's request side.  Data pages reach the backend in one of three ways:
 * through the ring's pool of persistent grants (the data is copied, the
 * grants stay), through bounce pages allocated for this request alone
 * (trusted=0; copied, and the page is freed once the grant has ended), or
 * by granting the request's own pages for the length of the request.
 *
 * The event-channel handler copies each response out once, checks it
 * against the request table (front-peer.c) and completes the request.  A
 * response that names no request in flight or the wrong operation, or a
 * producer index that runs past the requests issued, kills the ring: every
 * request on it fails and so does any later one, with a log line, never a
 * BUG.  A request whose grants the backend still maps when it finishes
 * fails (the XSA-396 class).  Pages of the driver's own (bounce and
 * indirect pages) go to the grant table's deferred-free list, freed once
 * the backend lets go; a page of the request's own (granted in place) is
 * never handed back while mapped: the request is parked, its id kept, and
 * a work item completes it once the backend has unmapped the page.  When
 * the ring goes (teardown, a reconnect), such a request ends but its bios
 * are held, neither completed nor sent again, until the backend lets go
 * (struct blkmq_fe_orphan).
 *
 * A request that waits for the backend longer than the queue's io_timeout
 * (the block layer's request timer, 30 s unless set) is reported and
 * counted; with the io_timeout module parameter set, a ring whose oldest
 * request has waited that many seconds is declared dead as above.
 */
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>

#include "front.h"

/*
 * A response status of our own: the request is sent again (requeued from
 * the completion), never ended with it.  No backend answer maps to it.
 */
#define FE_STS_RETRY	BLK_STS_RESOURCE

/*
 * Resubmission of unfit bios and the orphan scan: they may wait for tags
 * or a queue freeze, so not on kblockd, whose items free tags.  Limits
 * updates have their own, ordered: they wait for a freeze themselves, and
 * send the bios held across a reconnect.  Both can run under memory
 * pressure (WQ_MEM_RECLAIM): writeback may depend on them.
 */
struct workqueue_struct *blkmq_fe_wq;
struct workqueue_struct *blkmq_fe_lim_wq;

unsigned int blkmq_fe_io_timeout;
module_param_named(io_timeout, blkmq_fe_io_timeout, uint, 0644);
MODULE_PARM_DESC(io_timeout,
		 "Seconds a request may wait for the backend before its ring is declared dead and its requests fail; 0 waits for ever, reporting stalls (default 0)");

static unsigned int irq_copy_kb = 256;
module_param(irq_copy_kb, uint, 0644);
MODULE_PARM_DESC(irq_copy_kb,
		 "KiB of read data the event handler copies back per run, interrupts off; the rest is copied by a work item (0: no limit, all in the handler; default 256)");
static bool irq_follow = true;
module_param(irq_follow, bool, 0644);
MODULE_PARM_DESC(irq_follow,
		 "Move each ring's event channel to the CPU that queues on it, overriding irqbalance and /proc/irq, so a completion wakes its waiter without an IPI (default Y; N leaves the interrupts where they are)");

/* No id: the end of a chain of ids (defer_head) */
#define FE_NO_ID		U32_MAX

/* The request's data pages are Xen pages: one grant per guest page. */
static_assert(PAGE_SIZE == BLKMQ_PAGE_SIZE);

static struct blkmq_fe_ring *fe_hctx_ring(struct blk_mq_hw_ctx *hctx)
{
	struct blkmq_fe_dev *fe = hctx->queue->queuedata;

	return &fe->rings[hctx->queue_num % fe->nr_rings];
}

static domid_t fe_backend_id(struct blkmq_fe_ring *ring)
{
	return ring->fe->xbdev->otherend_id;
}

/*
 * Grant references are back (called by the grant table, with its lock
 * held and interrupts off): run the queue that ran out of them.
 */
static void fe_grants_back(void *arg)
{
	struct blkmq_fe_ring *ring = arg;
	struct gendisk *gd = READ_ONCE(ring->fe->gd);

	if (gd)
		blk_mq_run_hw_queues(gd->queue, true);
}

/*
 * The guest's grant table is full: ask the grant table to run the queue
 * once a request's worth of references is free again (until then the
 * block layer retries on its own every few milliseconds).  Cancelled
 * before the ring goes.
 */
static void fe_want_grants(struct blkmq_fe_ring *ring)
	__must_hold(&ring->lock)
{
	lockdep_assert_held(&ring->lock);
	ring->stats.grants_short++;
	gnttab_request_free_callback(&ring->gnt_cb, fe_grants_back, ring,
				     min_t(u32, ring->max_segs + 1, U16_MAX));
}

/*
 * A free pool grant, or a new one while the ring is under its share of
 * the device's bound; NULL when memory or grants run out or the pool is
 * at its bound (queue_rq then tries again once a request completes).
 */
static struct blkmq_fe_pgrant *fe_pool_get(struct blkmq_fe_ring *ring)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_pgrant *pg;
	int ref;

	lockdep_assert_held(&ring->lock);
	pg = list_first_entry_or_null(&ring->pool, struct blkmq_fe_pgrant,
				      node);
	if (pg) {
		list_del(&pg->node);
		ring->stats.pool_hits++;
		return pg;
	}
	if (ring->pool_size >= ring->pool_cap) {
		ring->stats.pool_capped++;
		return NULL;
	}
	pg = kmalloc(sizeof(*pg), GFP_NOWAIT | __GFP_NOWARN);
	if (!pg)
		return NULL;
	pg->page = alloc_page(GFP_NOWAIT | __GFP_NOWARN | __GFP_ZERO);
	if (!pg->page)
		goto err_free;
	ref = gnttab_grant_foreign_access(fe_backend_id(ring),
					  xen_page_to_gfn(pg->page), 0);
	if (ref < 0) {
		fe_want_grants(ring);
		goto err_page;
	}
	pg->gref = ref;
	INIT_LIST_HEAD(&pg->node);
	ring->pool_size++;
	ring->stats.pool_fresh++;
	/* an idle pool is given back (blkmq_fe_trim_work()) */
	if (ring->pool_size == 1)
		schedule_delayed_work(&ring->fe->trim_work, BLKMQ_FE_TRIM_S * HZ);
	return pg;

err_page:
	__free_page(pg->page);
err_free:
	kfree(pg);
	return NULL;
}

/*
 * End a pool grant for good (teardown); the page goes once it is unmapped.
 * Returns 1 if the backend still mapped it, else 0.
 */
static unsigned int fe_pgrant_destroy(struct blkmq_fe_pgrant *pg)
{
	unsigned int mapped = 0;

	if (gnttab_try_end_foreign_access(pg->gref)) {
		__free_page(pg->page);
	} else {
		gnttab_end_foreign_access(pg->gref, pg->page);
		mapped = 1;
	}
	kfree(pg);
	return mapped;
}

/* Grant a page allocated for this request only; -errno on failure. */
static int fe_grant_own_page(struct blkmq_fe_ring *ring, struct blkmq_fe_gnt *g,
			     u8 kind, bool readonly)
	__must_hold(&ring->lock)
{
	int ref;

	lockdep_assert_held(&ring->lock);
	g->page = alloc_page(GFP_NOWAIT | __GFP_NOWARN | __GFP_ZERO);
	if (!g->page)
		return -ENOMEM;
	ref = gnttab_grant_foreign_access(fe_backend_id(ring),
					  xen_page_to_gfn(g->page), readonly);
	if (ref < 0) {
		__free_page(g->page);
		fe_want_grants(ring);
		return -ENOSPC;
	}
	g->gref = ref;
	g->kind = kind;
	g->pg = NULL;
	return 0;
}

/* What became of a grant that fe_gnt_end() tried to end */
enum fe_gnt_ended {
	FE_GNT_ENDED,		/* ended, or back in the pool */
	FE_GNT_DEFERRED,	/* our page, still mapped: freed once unmapped */
	FE_GNT_MAPPED,		/* the request's own page, still mapped: kept */
};

/*
 * Give back one grant of a finished (or abandoned) request.  A page of
 * our own that the backend still maps is left to the grant table's
 * deferred list, which frees it once the backend unmaps.  The request's
 * own page is not ours to leave behind: its grant stays, and the request
 * with it (FE_GNT_MAPPED), until fe_gnt_retry() ends it.
 */
static enum fe_gnt_ended fe_gnt_end(struct blkmq_fe_ring *ring,
				    struct blkmq_fe_gnt *g)
	__must_hold(&ring->lock)
{
	lockdep_assert_held(&ring->lock);
	switch (g->kind) {
	case BLKMQ_FE_G_POOL:
		list_add(&g->pg->node, &ring->pool);
		return FE_GNT_ENDED;
	case BLKMQ_FE_G_BOUNCE:
	case BLKMQ_FE_G_INDIRECT:
		if (gnttab_try_end_foreign_access(g->gref)) {
			__free_page(g->page);
			return FE_GNT_ENDED;
		}
		gnttab_end_foreign_access(g->gref, g->page);
		return FE_GNT_DEFERRED;
	default:
		if (gnttab_try_end_foreign_access(g->gref))
			return FE_GNT_ENDED;
		return FE_GNT_MAPPED;
	}
}

/*
 * End the grants fe_gnt_end() kept, @sh->gnts[0 .. @sh->nr_data - 1]; those
 * still mapped stay, packed at the front.  Returns the grants left.
 */
static unsigned int fe_gnt_retry(struct blkmq_fe_shadow *sh)
{
	unsigned int i, kept = 0;

	for (i = 0; i < sh->nr_data; i++) {
		if (gnttab_try_end_foreign_access(sh->gnts[i].gref))
			continue;
		sh->gnts[kept++] = sh->gnts[i];
	}
	sh->nr_data = kept;
	return kept;
}

/* Point grant @g at a page of the ring's persistent pool; -ENOMEM if none. */
static int fe_gnt_from_pool(struct blkmq_fe_ring *ring, struct blkmq_fe_gnt *g)
	__must_hold(&ring->lock)
{
	lockdep_assert_held(&ring->lock);
	g->pg = fe_pool_get(ring);
	if (!g->pg)
		return -ENOMEM;
	g->kind = BLKMQ_FE_G_POOL;
	g->page = g->pg->page;
	g->gref = g->pg->gref;
	return 0;
}

/* Grant one data segment of a request; -errno on failure. */
static int fe_grant_data(struct blkmq_fe_ring *ring, struct blkmq_fe_gnt *g,
			 struct scatterlist *sg, bool write)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_dev *fe = ring->fe;
	int ref, err;

	lockdep_assert_held(&ring->lock);
	if (fe->persistent) {
		err = fe_gnt_from_pool(ring, g);
		if (err)
			return err;
	} else if (!fe->trusted) {
		err = fe_grant_own_page(ring, g, BLKMQ_FE_G_BOUNCE, write);
		if (err)
			return err;
		ring->stats.bounces++;
	} else {
		ref = gnttab_grant_foreign_access(fe_backend_id(ring),
						  xen_page_to_gfn(sg_page(sg)),
						  write);
		if (ref < 0) {
			fe_want_grants(ring);
			return -ENOSPC;
		}
		g->gref = ref;
		g->kind = BLKMQ_FE_G_DIRECT;
		g->page = sg_page(sg);
		g->pg = NULL;
		ring->stats.direct++;
		return 0;
	}
	if (write)
		memcpy_page(g->page, sg->offset, sg_page(sg), sg->offset,
			    sg->length);
	return 0;
}

/*
 * The page that holds the next indirect segment array of request @sh: a
 * pool page (back to the pool with the data pages), or one of its own.
 */
static int fe_indirect_page(struct blkmq_fe_ring *ring,
			    struct blkmq_fe_shadow *sh,
			    grant_ref_t *gref, struct page **page)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_gnt *g = &sh->gnts[ring->max_segs + sh->nr_ind];
	int err;

	lockdep_assert_held(&ring->lock);
	if (ring->fe->persistent) {
		err = fe_gnt_from_pool(ring, g);
		if (err)
			return err;
	} else {
		err = fe_grant_own_page(ring, g, BLKMQ_FE_G_INDIRECT, true);
		if (err)
			return err;
	}
	sh->nr_ind++;
	*gref = g->gref;
	*page = g->page;
	return 0;
}

/*
 * Give back every grant of request @sh: data grants first (copying read
 * data out first when @copy_back), then its own indirect pages.  Grants of
 * the request's own pages that the backend still maps are kept in
 * @sh->gnts[0 .. @sh->nr_data - 1] (see fe_gnt_end()).  Returns the number
 * of grants the backend still mapped, kept or not.
 */
/* Copy a read's data out of the pages the backend wrote (not in place). */
static void fe_copy_back(struct blkmq_fe_shadow *sh)
{
	unsigned int i;

	for (i = 0; i < sh->nr_data; i++) {
		struct blkmq_fe_gnt *g = &sh->gnts[i];
		struct scatterlist *sg = &sh->sg[i];

		if (g->kind != BLKMQ_FE_G_DIRECT)
			memcpy_page(sg_page(sg), sg->offset, g->page,
				    sg->offset, sg->length);
	}
}

static unsigned int fe_release(struct blkmq_fe_ring *ring,
			       struct blkmq_fe_shadow *sh, bool copy_back)
	__must_hold(&ring->lock)
{
	unsigned int i, busy = 0, kept = 0;
	enum fe_gnt_ended e;

	lockdep_assert_held(&ring->lock);
	if (copy_back)
		fe_copy_back(sh);
	for (i = 0; i < sh->nr_data; i++) {
		struct blkmq_fe_gnt *g = &sh->gnts[i];

		e = fe_gnt_end(ring, g);
		if (e != FE_GNT_ENDED)
			busy++;
		if (e == FE_GNT_MAPPED)
			sh->gnts[kept++] = *g;
	}
	for (i = 0; i < sh->nr_ind; i++)
		if (fe_gnt_end(ring, &sh->gnts[ring->max_segs + i]) !=
		    FE_GNT_ENDED)
			busy++;
	sh->nr_data = kept;
	sh->nr_ind = 0;
	return busy;
}

/*
 * Keep id @id, whose request finished while the backend still maps one of
 * its own pages: the request is completed by blkmq_fe_park_work() once the
 * backend lets go, never before (the page would go back to its owner
 * while the backend can still write into it or read from it).
 */
static void fe_park(struct blkmq_fe_ring *ring, u32 id)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_shadow *sh = &ring->shadow[id];

	lockdep_assert_held(&ring->lock);
	dev_warn_ratelimited(&ring->fe->xbdev->dev,
			     "queue %u: backend still maps %u page(s) of request %u; holding the request until it lets go\n",
			     ring->index, sh->nr_data, id);
	sh->parked = true;
	ring->slots[id].busy = 0;
	ring->nr_parked++;
	ring->stats.parked++;
	kblockd_mod_delayed_work_on(WORK_CPU_UNBOUND, &ring->fe->park_work,
				    HZ / 10);
}

/*
 * The operation for read or write @rq in @op: a FUA write is a barrier, or
 * a plain write once the backend refused flushes; -EIO when neither.
 */
static int fe_rw_op(struct blkmq_fe_dev *fe, struct request *rq, bool write,
		    u8 *op)
{
	*op = write ? BLKMQ_OP_WRITE : BLKMQ_OP_READ;
	if (write && (rq->cmd_flags & REQ_FUA)) {
		/*
		 * FUA is only offered with barriers.  A FUA write queued
		 * before a restore to a backend without them cannot be made
		 * durable by itself: fail it rather than pretend.  Once the
		 * backend refused flushes, though, a plain write is all it
		 * offers, as for the flushes themselves.
		 */
		if (blkmq_fe_flush_op(fe) == BLKMQ_OP_WRITE_BARRIER)
			*op = BLKMQ_OP_WRITE_BARRIER;
		else if (!test_bit(BLKMQ_FE_OFF_FLUSH, &fe->feat_off))
			return -EIO;
	}
	return 0;
}

/* Grant the @nr_ind indirect pages of request @sh, their refs into @req. */
static int fe_grant_indirect_pages(struct blkmq_fe_ring *ring,
				   struct blkmq_fe_shadow *sh,
				   union blkmq_request_any *req,
				   unsigned int nr_ind, struct page **ind_pages)
	__must_hold(&ring->lock)
{
	unsigned int i;
	int err;

	lockdep_assert_held(&ring->lock);
	for (i = 0; i < nr_ind; i++) {
		grant_ref_t gref;

		err = fe_indirect_page(ring, sh, &gref, &ind_pages[i]);
		if (err)
			return err;
		req->indirect.indirect_grefs[i] = gref;
	}
	return 0;
}

/*
 * Grant the @nseg data segments of request @sh and describe each one,
 * in @req itself or (@indirect) in the pages @ind_pages; @sh->nr_data
 * counts the grants made, also on failure.
 */
static int fe_grant_segments(struct blkmq_fe_ring *ring,
			     struct blkmq_fe_shadow *sh,
			     union blkmq_request_any *req, int nseg, bool write,
			     bool indirect, struct page **ind_pages)
	__must_hold(&ring->lock)
{
	struct blkmq_segment *ind_segs = NULL;
	struct scatterlist *sg;
	unsigned int i;
	int err = 0;

	lockdep_assert_held(&ring->lock);
	for_each_sg(sh->sg, sg, nseg, i) {
		struct blkmq_segment seg;

		if (((sg->offset | sg->length) & (BLKMQ_SECTOR_SIZE - 1)) ||
		    !sg->length || sg->offset + sg->length > PAGE_SIZE) {
			err = -EIO;
			break;
		}
		err = fe_grant_data(ring, &sh->gnts[i], sg, write);
		if (err)
			break;
		sh->nr_data = i + 1;
		seg.gref = sh->gnts[i].gref;
		seg.first_sect = sg->offset >> BLKMQ_SECTOR_SHIFT;
		seg.last_sect = (sg->offset + sg->length - 1) >>
				BLKMQ_SECTOR_SHIFT;
		seg._pad0 = 0;
		if (!indirect) {
			req->rw.seg[i] = seg;
			continue;
		}
		if (i % BLKMQ_SEGS_PER_INDIRECT_PAGE == 0) {
			if (ind_segs)
				kunmap_local(ind_segs);
			ind_segs = kmap_local_page(ind_pages[i /
					BLKMQ_SEGS_PER_INDIRECT_PAGE]);
		}
		ind_segs[i % BLKMQ_SEGS_PER_INDIRECT_PAGE] = seg;
	}
	if (ind_segs)
		kunmap_local(ind_segs);
	return err;
}

/* Fill in the segments of a read or write; returns the response op. */
static int fe_map_rw(struct blkmq_fe_ring *ring, struct blkmq_fe_shadow *sh,
		     struct request *rq, union blkmq_request_any *req)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_dev *fe = ring->fe;
	bool write = op_is_write(req_op(rq));
	struct page *ind_pages[BLKMQ_MAX_INDIRECT_PAGES];
	unsigned int nr_ind;
	bool indirect;
	int nseg, err;
	u8 op;

	lockdep_assert_held(&ring->lock);
	err = fe_rw_op(fe, rq, write, &op);
	if (err)
		return err;

	/* fe_queue_rq() sent back requests beyond this connection's limits */
	if (blk_rq_nr_phys_segments(rq) > ring->max_segs)
		return -EIO;
	nseg = blkmq_compat_map_sg(rq, sh->sg);
	if (nseg <= 0 || nseg > ring->max_segs)
		return -EIO;
	indirect = nseg > BLKMQ_MAX_SEGMENTS_PER_REQUEST;
	/* A barrier cannot be indirect (FUA is offered only inline). */
	if (indirect && op == BLKMQ_OP_WRITE_BARRIER)
		return -EIO;

	sh->nr_data = 0;
	sh->nr_ind = 0;
	nr_ind = indirect ? DIV_ROUND_UP(nseg, BLKMQ_SEGS_PER_INDIRECT_PAGE) : 0;
	err = fe_grant_indirect_pages(ring, sh, req, nr_ind, ind_pages);
	if (err)
		goto unwind;
	err = fe_grant_segments(ring, sh, req, nseg, write, indirect, ind_pages);
	if (err)
		goto unwind;

	/* the request's own pages (granted in place) need no copy */
	sh->copy_back = !write && sh->gnts[0].kind != BLKMQ_FE_G_DIRECT;
	if (indirect) {
		req->indirect.operation = BLKMQ_OP_INDIRECT;
		req->indirect.indirect_op = op;
		req->indirect.nr_segments = nseg;
		req->indirect.sector_number = blk_rq_pos(rq);
		req->indirect.handle = fe->vdevice;
	} else {
		req->rw.operation = op;
		req->rw.nr_segments = nseg;
		req->rw.sector_number = blk_rq_pos(rq);
		req->rw.handle = fe->vdevice;
	}
	return op;

unwind:
	/*
	 * Nothing was published, yet a backend may map any grant it is
	 * given: one of the request's own pages still mapped makes
	 * fe_issue() park the request (-EBUSY) rather than hand it back.
	 */
	fe_release(ring, sh, false);
	return sh->nr_data ? -EBUSY : err;
}

/* Count request @rq, sent as wire operation @op with @nseg data segments. */
static void fe_account(struct blkmq_fe_ring *ring, struct request *rq, int op,
		       unsigned int nseg)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_stats *st = &ring->stats;

	lockdep_assert_held(&ring->lock);
	st->segs += nseg;
	switch (req_op(rq)) {
	case REQ_OP_READ:
		st->rd_req++;
		st->rd_sect += blk_rq_sectors(rq);
		break;
	case REQ_OP_WRITE:
		if (op == BLKMQ_OP_WRITE_BARRIER)
			st->f_req++;
		else
			st->wr_req++;
		st->wr_sect += blk_rq_sectors(rq);
		break;
	case REQ_OP_FLUSH:
		st->f_req++;
		break;
	default:
		st->ds_req++;
		break;
	}
}

/* Build request @rq privately, then copy it into the next ring slot. */
static int fe_issue(struct blkmq_fe_ring *ring, struct request *rq)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_dev *fe = ring->fe;
	union blkmq_request_any req;
	struct blkmq_fe_shadow *sh;
	u32 id = ring->free_head;
	int op;

	lockdep_assert_held(&ring->lock);
	memset(&req, 0, sizeof(req));
	sh = &ring->shadow[id];
	/* before anything may hold the request back under this id */
	((struct blkmq_fe_pdu *)blk_mq_rq_to_pdu(rq))->id = id;
	sh->nr_data = 0;
	sh->nr_ind = 0;
	sh->copy_back = false;
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		op = blkmq_fe_flush_op(fe);
		if (!op)
			return -EOPNOTSUPP;
		req.rw.operation = op;
		req.rw.handle = fe->vdevice;
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		if (!fe->disk.feat.discard ||
		    test_bit(BLKMQ_FE_OFF_DISCARD, &fe->feat_off) ||
		    (req_op(rq) == REQ_OP_SECURE_ERASE &&
		     !fe->disk.feat.discard_secure))
			return -EOPNOTSUPP;
		op = BLKMQ_OP_DISCARD;
		req.discard.operation = op;
		req.discard.flag = req_op(rq) == REQ_OP_SECURE_ERASE ?
				   BLKMQ_DISCARD_SECURE : 0;
		req.discard.handle = fe->vdevice;
		req.discard.sector_number = blk_rq_pos(rq);
		req.discard.nr_sectors = blk_rq_sectors(rq);
		break;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		op = fe_map_rw(ring, sh, rq, &req);
		if (op == -EBUSY) {
			ring->free_head = sh->next_free;
			sh->rq = rq;
			((struct blkmq_fe_pdu *)blk_mq_rq_to_pdu(rq))->status =
				BLK_STS_IOERR;
			ring->stats.errors++;
			fe_park(ring, id);
		}
		if (op < 0)
			return op;
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* The id field sits at the same offset in every request layout. */
	req.other.id = id;

	ring->free_head = sh->next_free;
	sh->rq = rq;
	sh->issued = jiffies;
	ring->slots[id].busy = 1;
	ring->slots[id].rsp_op = op;
	memcpy(&ring->sring->ring[ring->req_prod_pvt & (ring->nr_ents - 1)].req,
	       &req, sizeof(req));
	ring->req_prod_pvt++;
	fe_account(ring, rq, op, sh->nr_data);
	return 0;
}

/* Publish the requests produced so far; notify if the backend asked. */
static void fe_push(struct blkmq_fe_ring *ring)
	__must_hold(&ring->lock)
{
	u32 old = ring->req_pushed, new = ring->req_prod_pvt;

	lockdep_assert_held(&ring->lock);
	if (old == new)
		return;
	/*
	 * Slots are written before the index that publishes them (pairs with
	 * the backend's read barrier between req_prod and the requests).
	 */
	virt_wmb();
	WRITE_ONCE(ring->sring->req_prod, new);
	ring->req_pushed = new;
	/* req_prod is visible before req_event is read (pairs with the
	 * backend's barrier between writing req_event and reading req_prod).
	 */
	virt_mb();
	if ((u32)(new - READ_ONCE(ring->sring->req_event)) < (u32)(new - old)) {
		notify_remote_via_irq(ring->irq);
		ring->stats.notify_sent++;
	} else {
		ring->stats.notify_suppressed++;
	}
}

/*
 * Leave the copy of read @id to the ring's copy_work: the id stays taken
 * (its pages are the request's alone) but no longer in flight.
 */
static void fe_defer_copy(struct blkmq_fe_ring *ring, u32 id)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_shadow *sh = &ring->shadow[id];

	lockdep_assert_held(&ring->lock);
	sh->deferred = true;
	ring->slots[id].busy = 0;
	sh->next_free = ring->defer_head;
	ring->defer_head = id;
	ring->stats.copy_deferred++;
	kblockd_schedule_work(&ring->copy_work);
}

/*
 * Free id @id and queue its request for completion with @status.  A read
 * whose data is to be copied back and that does not fit in what is left
 * of @budget (bytes, for the event handler's run; NULL: no limit) is
 * left to copy_work instead.
 */
static void fe_finish(struct blkmq_fe_ring *ring, u32 id, blk_status_t status,
		      struct list_head *done, u32 *budget)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_shadow *sh = &ring->shadow[id];
	struct request *rq = sh->rq;
	unsigned int busy;

	lockdep_assert_held(&ring->lock);
	if (budget && status == BLK_STS_OK && sh->copy_back) {
		if (blk_rq_bytes(rq) > *budget) {
			fe_defer_copy(ring, id);
			return;
		}
		*budget -= blk_rq_bytes(rq);
	}

	busy = fe_release(ring, sh, sh->copy_back && status == BLK_STS_OK);
	if (busy) {
		dev_err_ratelimited(&ring->fe->xbdev->dev,
				    "queue %u: backend still maps %u grant(s) of finished request %u; failing it\n",
				    ring->index, busy, id);
		status = BLK_STS_IOERR;
	}
	if (status != BLK_STS_OK && status != FE_STS_RETRY)
		ring->stats.errors++;
	((struct blkmq_fe_pdu *)blk_mq_rq_to_pdu(rq))->status = status;
	if (sh->nr_data) {
		fe_park(ring, id);
		return;
	}
	sh->rq = NULL;
	ring->slots[id].busy = 0;
	sh->next_free = ring->free_head;
	ring->free_head = id;
	list_add_tail(&rq->queuelist, done);
}

/*
 * Fail every request on a ring the backend broke (@stalled: it stopped
 * answering); the ring stays dead.  A device disabled only for stalls may
 * reconnect once its backend goes away and comes back (see
 * fe_backend_closing()); a breach of the protocol on any ring rules that
 * out.
 */
static void fe_ring_kill(struct blkmq_fe_ring *ring, struct list_head *done,
			 bool stalled)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_dev *fe = ring->fe;
	u32 id;

	lockdep_assert_held(&ring->lock);
	if (!stalled)
		set_bit(BLKMQ_FE_BREACHED, &fe->feat_off);
	else if (READ_ONCE(fe->state) == BLKMQ_FE_CONNECTED)
		WRITE_ONCE(fe->stall_dead, true);
	ring->dead = true;
	WRITE_ONCE(fe->state, BLKMQ_FE_DEAD);
	for (id = 0; id < ring->nr_ents; id++)
		if (ring->slots[id].busy)
			fe_finish(ring, id, BLK_STS_IOERR, done, NULL);
}

/* Restart queues stopped on a full ring (caller holds ring->lock). */
static void fe_restart(struct blkmq_fe_ring *ring)
	__must_hold(&ring->lock)
{
	lockdep_assert_held(&ring->lock);
	if (ring->stopped) {
		ring->stopped = false;
		blk_mq_start_stopped_hw_queues(ring->fe->gd->queue, true);
	}
}

static void fe_complete_list(struct list_head *done)
{
	struct request *rq, *n;

	list_for_each_entry_safe(rq, n, done, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_complete_request(rq);
	}
}

/*
 * Complete the parked requests of @ring whose pages the backend has let go
 * of; their ids become free.  Caller holds ring->lock.
 */
static void fe_park_scan(struct blkmq_fe_ring *ring, struct list_head *done)
	__must_hold(&ring->lock)
{
	u32 id;

	lockdep_assert_held(&ring->lock);
	for (id = 0; id < ring->nr_ents && ring->nr_parked; id++) {
		struct blkmq_fe_shadow *sh = &ring->shadow[id];

		if (!sh->parked || fe_gnt_retry(sh))
			continue;
		sh->parked = false;
		ring->nr_parked--;
		list_add_tail(&sh->rq->queuelist, done);
		sh->rq = NULL;
		sh->next_free = ring->free_head;
		ring->free_head = id;
	}
	fe_restart(ring);
}

/**
 * blkmq_fe_park_work() - complete parked requests the backend let go of
 * @work: the device's park_work
 *
 * Runs again every half second while any request stays parked.  The rings
 * it reads are freed only after fe_rings_stop() has cancelled it.
 */
void blkmq_fe_park_work(struct work_struct *work)
{
	struct blkmq_fe_dev *fe = container_of(to_delayed_work(work),
					       struct blkmq_fe_dev, park_work);
	struct blkmq_fe_ring *rings = READ_ONCE(fe->rings);
	unsigned int i, left = 0;
	LIST_HEAD(done);

	for (i = 0; rings && i < fe->nr_rings; i++) {
		struct blkmq_fe_ring *ring = &rings[i];

		spin_lock_irq(&ring->lock);
		if (ring->shadow && ring->nr_parked)
			fe_park_scan(ring, &done);
		left += ring->nr_parked;
		spin_unlock_irq(&ring->lock);
	}
	fe_complete_list(&done);
	if (left)
		kblockd_mod_delayed_work_on(WORK_CPU_UNBOUND, &fe->park_work,
					    HZ / 2);
}

/**
 * blkmq_fe_copy_work() - copy back the reads the event handler left
 * @work: a ring's copy_work
 *
 * The copies run with interrupts on and without the ring's lock: each id
 * of the chain taken off @defer_head is the request's alone until it is
 * finished here.  Cancelled before the ring's requests are collected.
 */
void blkmq_fe_copy_work(struct work_struct *work)
{
	struct blkmq_fe_ring *ring = container_of(work, struct blkmq_fe_ring,
						  copy_work);
	u32 head, id, next;
	LIST_HEAD(done);

	spin_lock_irq(&ring->lock);
	head = ring->defer_head;
	ring->defer_head = FE_NO_ID;
	spin_unlock_irq(&ring->lock);
	for (id = head; id != FE_NO_ID; id = ring->shadow[id].next_free)
		fe_copy_back(&ring->shadow[id]);
	spin_lock_irq(&ring->lock);
	for (id = head; id != FE_NO_ID; id = next) {
		struct blkmq_fe_shadow *sh = &ring->shadow[id];

		next = sh->next_free;
		sh->deferred = false;
		sh->copy_back = false;
		fe_finish(ring, id, BLK_STS_OK, &done, NULL);
	}
	fe_restart(ring);
	spin_unlock_irq(&ring->lock);
	fe_complete_list(&done);
}

/**
 * blkmq_fe_trim_work() - give back the persistent pools of idle rings
 * @work: the device's trim_work
 *
 * Every BLKMQ_FE_TRIM_S seconds while any ring has a pool: a ring that had
 * no response since the last look ends the grants of its free
 * pool pages that the backend no longer maps (a backend keeps persistent
 * grants mapped up to its own bound), so that a disk that was busy once
 * does not keep the guest's grant table and memory for good.  The rings
 * it reads are freed only after fe_rings_stop() has cancelled it.
 */
void blkmq_fe_trim_work(struct work_struct *work)
{
	struct blkmq_fe_dev *fe = container_of(to_delayed_work(work),
					       struct blkmq_fe_dev, trim_work);
	struct blkmq_fe_ring *rings = READ_ONCE(fe->rings);
	struct blkmq_fe_pgrant *pg, *n;
	unsigned int i, left = 0;
	LIST_HEAD(idle);

	for (i = 0; rings && i < fe->nr_rings; i++) {
		struct blkmq_fe_ring *ring = &rings[i];

		spin_lock_irq(&ring->lock);
		if (ring->stats.responses == ring->trim_seen) {
			/*
			 * Only pages the backend no longer maps: one it
			 * keeps would still hold its grant reference (and
			 * the page) while the pool took a new one.
			 */
			list_for_each_entry_safe(pg, n, &ring->pool, node) {
				if (!gnttab_try_end_foreign_access(pg->gref))
					continue;
				list_move(&pg->node, &idle);
				ring->pool_size--;
				ring->stats.pool_trimmed++;
			}
		}
		ring->trim_seen = ring->stats.responses;
		left += ring->pool_size;
		spin_unlock_irq(&ring->lock);
	}
	list_for_each_entry_safe(pg, n, &idle, node) {
		list_del(&pg->node);
		__free_page(pg->page);
		kfree(pg);
	}
	if (left)
		schedule_delayed_work(&fe->trim_work, BLKMQ_FE_TRIM_S * HZ);
}

/*
 * The block layer's request timer fired for @rq: a request has waited for
 * the backend longer than the queue's io_timeout.  Report the ring (its
 * oldest request's age) and count it; with the io_timeout parameter set
 * and the oldest request older than that, declare the ring dead, which
 * fails its requests (parking those whose pages the backend still maps).
 * Runs in process context, under fe->rings_lock so that the rings stay.
 * A device already declared dead still has rings that may stall.
 */
static enum blk_eh_timer_return fe_timeout(struct request *rq)
{
	struct blkmq_fe_dev *fe = rq->q->queuedata;
	u32 id = ((struct blkmq_fe_pdu *)blk_mq_rq_to_pdu(rq))->id;
	unsigned int limit = READ_ONCE(blkmq_fe_io_timeout);
	enum blk_eh_timer_return ret = BLK_EH_RESET_TIMER;
	unsigned long oldest = jiffies, age;
	struct blkmq_fe_ring *ring;
	unsigned int busy = 0;
	LIST_HEAD(done);
	int state;
	u32 i;

	mutex_lock(&fe->rings_lock);
	state = READ_ONCE(fe->state);
	if (!fe->rings || (state != BLKMQ_FE_CONNECTED &&
			   state != BLKMQ_FE_CLOSING && state != BLKMQ_FE_DEAD))
		goto out;
	ring = fe_hctx_ring(rq->mq_hctx);
	spin_lock_irq(&ring->lock);
	/* only a request this ring has in flight and unanswered */
	if (!ring->shadow || ring->dead || id >= ring->nr_ents ||
	    ring->shadow[id].rq != rq || !ring->slots[id].busy) {
		spin_unlock_irq(&ring->lock);
		goto out;
	}
	for (i = 0; i < ring->nr_ents; i++) {
		if (!ring->slots[i].busy)
			continue;
		busy++;
		if (time_before(ring->shadow[i].issued, oldest))
			oldest = ring->shadow[i].issued;
	}
	age = jiffies - oldest;
	ring->stats.stalls++;
	dev_warn_ratelimited(&fe->xbdev->dev,
			     "%s: queue %u: %u request(s) waiting for the backend, the oldest for %u s (%u parked)\n",
			     fe->gd->disk_name, ring->index, busy,
			     jiffies_to_msecs(age) / 1000, ring->nr_parked);
	/* (the timer may fire a tick before @limit seconds from @issued) */
	if (limit && age + HZ / 10 >= (unsigned long)min(limit, 86400U) * HZ) {
		dev_err(&fe->xbdev->dev,
			"%s: queue %u: no answer from the backend for %u s (io_timeout %u): disabling the device\n",
			fe->gd->disk_name, ring->index,
			jiffies_to_msecs(age) / 1000, limit);
		fe_ring_kill(ring, &done, true);
		fe_restart(ring);
		/* finished now, or parked (completed later: keep timing) */
		if (ring->shadow[id].rq != rq)
			ret = BLK_EH_DONE;
	}
	spin_unlock_irq(&ring->lock);
	fe_complete_list(&done);
out:
	mutex_unlock(&fe->rings_lock);
	return ret;
}

/*
 * The backend refused an operation with EOPNOTSUPP, which the protocol
 * allows at any time, even for a feature it offered: stop sending it.  A
 * cache flush, or a barrier without data, then counts as done, as Linux's
 * other frontends count it (a journal must not abort over a cache the
 * backend says it cannot flush).  A barrier that carried data may not have
 * been written: it is sent again, as a plain write (FE_STS_RETRY).  A
 * refused discard fails, and discard goes off.  The queue's limits change
 * from a work item, not from this interrupt.  @rsp->id was checked.
 */
static blk_status_t fe_rsp_notsupp(struct blkmq_fe_ring *ring,
				   const struct blkmq_response *rsp)
	__must_hold(&ring->lock)
{
	struct blkmq_fe_dev *fe = ring->fe;
	struct request *rq = ring->shadow[rsp->id].rq;

	lockdep_assert_held(&ring->lock);
	switch (rsp->operation) {
	case BLKMQ_OP_FLUSH_DISKCACHE:
	case BLKMQ_OP_WRITE_BARRIER:
		if (!test_and_set_bit(BLKMQ_FE_OFF_FLUSH, &fe->feat_off))
			queue_work(blkmq_fe_lim_wq, &fe->limits_work);
		return req_op(rq) == REQ_OP_WRITE ? FE_STS_RETRY : BLK_STS_OK;
	case BLKMQ_OP_DISCARD:
		if (!test_and_set_bit(BLKMQ_FE_OFF_DISCARD, &fe->feat_off))
			queue_work(blkmq_fe_lim_wq, &fe->limits_work);
		return BLK_STS_NOTSUPP;
	default:
		dev_warn_ratelimited(&fe->xbdev->dev,
				     "queue %u: backend does not support operation %u\n",
				     ring->index, rsp->operation);
		return BLK_STS_NOTSUPP;
	}
}

static blk_status_t fe_rsp_status(struct blkmq_fe_ring *ring,
				  const struct blkmq_response *rsp)
{
	switch (rsp->status) {
	case BLKMQ_RSP_OKAY:
		return BLK_STS_OK;
	case BLKMQ_RSP_EOPNOTSUPP:
		return fe_rsp_notsupp(ring, rsp);
	default:
		return BLK_STS_IOERR;
	}
}

/**
 * blkmq_fe_limits_work() - bring the queue's limits up to date
 * @work: the device's limits_work
 *
 * Applies what the connection allows (@lim_want, set at each connect)
 * less the features the backend refused since (@feat_off); each refusal
 * is logged once.  Then sends the bios held across a reconnect again.
 * Requests built under other limits meanwhile are split again when they
 * reach the ring (blkmq_fe_resplit_work()).  Cancelled before the disk
 * goes, once its requests can drain.
 */
void blkmq_fe_limits_work(struct work_struct *work)
{
	struct blkmq_fe_dev *fe = container_of(work, struct blkmq_fe_dev, limits_work);
	struct gendisk *gd = READ_ONCE(fe->gd);
	struct blkmq_compat_limits l;
	struct bio_list bios;
	int err;

	if (!gd)
		return;
	spin_lock(&fe->lim_lock);
	l = fe->lim_want;
	spin_unlock(&fe->lim_lock);
	if (test_bit(BLKMQ_FE_OFF_FLUSH, &fe->feat_off)) {
		l.write_cache = false;
		l.fua = false;
	}
	if (test_bit(BLKMQ_FE_OFF_DISCARD, &fe->feat_off)) {
		l.max_discard_sectors = 0;
		l.max_secure_erase_sectors = 0;
	}
	err = blkmq_compat_set_limits(gd, &l);
	if (!err)
		clear_bit(BLKMQ_FE_LIMITS_REFUSED, &fe->feat_off);
	else if (!test_and_set_bit(BLKMQ_FE_LIMITS_REFUSED, &fe->feat_off))
		/*
		 * The old limits stay: requests built for them that this
		 * connection cannot take now fail (fe_queue_rq()) rather
		 * than come back for ever.
		 */
		dev_err(&fe->xbdev->dev,
			"%s: the kernel refused the limits of this connection (%d): requests it cannot take fail\n",
			gd->disk_name, err);
	spin_lock(&fe->lim_lock);
	bios = fe->lim_bios;
	bio_list_init(&fe->lim_bios);
	spin_unlock(&fe->lim_lock);
	blkmq_fe_resubmit(fe, &bios);
	if (test_bit(BLKMQ_FE_OFF_FLUSH, &fe->feat_off) &&
	    !test_and_set_bit(BLKMQ_FE_OFF_FLUSH_APPLIED, &fe->feat_off))
		dev_warn(&fe->xbdev->dev,
			 "%s: the backend refused a cache flush it had offered; no more flushes are sent\n",
			 gd->disk_name);
	if (test_bit(BLKMQ_FE_OFF_DISCARD, &fe->feat_off) &&
	    !test_and_set_bit(BLKMQ_FE_OFF_DISCARD_APPLIED, &fe->feat_off))
		dev_warn(&fe->xbdev->dev,
			 "%s: the backend refused a discard it had offered; discard is off\n",
			 gd->disk_name);
}

/**
 * blkmq_fe_interrupt() - consume a ring's responses
 * @irq: the ring's irq
 * @dev_id: the ring
 *
 * Bound with late EOI: the event is acknowledged (and flagged spurious
 * when there was no work, so that Xen can throttle an event storm) only
 * after the ring has been drained.
 *
 * Read data in pool or bounce pages is copied back here, up to
 * irq_copy_kb per run, the rest by copy_work.  Moving the copy into
 * .complete would not take it out of this interrupts-off section: blk-mq
 * calls .complete inline from blk_mq_complete_request() when the hardware
 * queue serves one CPU, which is how our rings are mapped.
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t blkmq_fe_interrupt(int irq, void *dev_id)
{
	struct blkmq_fe_ring *ring = dev_id;
	struct device *dev = &ring->fe->xbdev->dev;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;
	u64 t0 = ktime_get_ns(), dt;
	u32 budget = READ_ONCE(irq_copy_kb) ?
		     min_t(u64, READ_ONCE(irq_copy_kb) * 1024ULL, U32_MAX) : U32_MAX;
	struct blkmq_response rsp;
	enum blkmq_front_rsp_err e;
	unsigned long flags;
	LIST_HEAD(done);
	u32 rp, n;

	spin_lock_irqsave(&ring->lock, flags);
	if (ring->dead || !ring->shadow)
		goto out;
again:
	rp = READ_ONCE(ring->sring->rsp_prod);
	if (blkmq_front_rsp_avail(rp, ring->rsp_cons, ring->req_pushed,
				  &n)) {
		dev_err_ratelimited(dev, "queue %u: backend's rsp_prod %u runs past the %u requests published; disabling the device\n",
				    ring->index, rp, ring->req_pushed);
		fe_ring_kill(ring, &done, false);
		goto out_restart;
	}
	if (n)
		eoi = 0;
	/*
	 * Read the responses only after the index that published them (pairs
	 * with the backend's write barrier between the responses and
	 * rsp_prod).
	 */
	virt_rmb();
	for (; n; n--) {
		memcpy(&rsp, &ring->sring->ring[ring->rsp_cons &
						 (ring->nr_ents - 1)].rsp,
		       sizeof(rsp));
		ring->rsp_cons++;
		ring->stats.responses++;
		e = blkmq_front_rsp_check(&rsp, ring->slots, ring->nr_ents);
		if (e == BLKMQ_FRSP_OK) {
			fe_finish(ring, rsp.id, fe_rsp_status(ring, &rsp),
				  &done, &budget);
			continue;
		}
		if (e == BLKMQ_FRSP_E_STATUS) {
			dev_err_ratelimited(dev, "queue %u: backend sent status %d for request %llu; failing it\n",
					    ring->index, rsp.status, rsp.id);
			fe_finish(ring, rsp.id, BLK_STS_IOERR, &done, NULL);
			continue;
		}
		dev_err_ratelimited(dev, "queue %u: bad response (%s: id %llu op %u); disabling the device\n",
				    ring->index, blkmq_front_rsp_err_str(e),
				    rsp.id, rsp.operation);
		fe_ring_kill(ring, &done, false);
		goto out_restart;
	}
	/* Ask for an event at the next response, then look once more. */
	WRITE_ONCE(ring->sring->rsp_event, ring->rsp_cons + 1);
	/*
	 * rsp_event is visible before rsp_prod is read again (pairs with the
	 * backend's barrier between writing rsp_prod and reading rsp_event).
	 */
	virt_mb();
	if (READ_ONCE(ring->sring->rsp_prod) != ring->rsp_cons)
		goto again;
out_restart:
	fe_restart(ring);
out:
	spin_unlock_irqrestore(&ring->lock, flags);
	fe_complete_list(&done);
	/* the handler runs with interrupts off: its longest run, for the rig */
	dt = ktime_get_ns() - t0;
	if (dt > READ_ONCE(ring->stats.irq_max_ns))
		WRITE_ONCE(ring->stats.irq_max_ns, dt);
	xen_irq_lateeoi(irq, eoi);
	return IRQ_HANDLED;
}

/* The last request of a batch was not queued: publish the others. */
static void fe_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct blkmq_fe_ring *ring = fe_hctx_ring(hctx);
	unsigned long flags;

	spin_lock_irqsave(&ring->lock, flags);
	fe_push(ring);
	spin_unlock_irqrestore(&ring->lock, flags);
}

/*
 * Whether @rq cannot go to the ring as it is, though it could once split
 * again or sent with the limits of now: it was built under those of an
 * earlier connection (a restore onto a backend with fewer indirect
 * segments, or without the barriers a FUA write needs).  blk-mq merged its
 * bios, or let REQ_FUA through, before the new limits were set.
 */
static bool fe_rq_unfit(struct blkmq_fe_ring *ring, struct request *rq)
{
	struct blkmq_fe_dev *fe = ring->fe;

	if (req_op(rq) != REQ_OP_READ && req_op(rq) != REQ_OP_WRITE)
		return false;
	if (blk_rq_nr_phys_segments(rq) > ring->max_segs ||
	    blk_rq_sectors(rq) > queue_max_hw_sectors(rq->q))
		return true;
	if (req_op(rq) != REQ_OP_WRITE)
		return false;
	/*
	 * A FUA write goes out as a barrier, which cannot be indirect, or,
	 * once the backend refused flushes, as a plain write (fe_map_rw()).
	 * Otherwise the limits of now have FUA off: the block layer then
	 * sends the write and a flush after it.
	 */
	if (!(rq->cmd_flags & REQ_FUA) || test_bit(BLKMQ_FE_OFF_FLUSH, &fe->feat_off))
		return false;
	return blkmq_fe_flush_op(fe) != BLKMQ_OP_WRITE_BARRIER ||
	       blk_rq_nr_phys_segments(rq) > BLKMQ_MAX_SEGMENTS_PER_REQUEST;
}

/**
 * blkmq_fe_take_bios() - take the bios of a request to send them again
 * @list: where they go
 * @rq: a request none of whose bios has completed; it is left bio-less,
 *	for the caller to end
 *
 * Whoever submitted them was told they were accepted: a REQ_NOWAIT caller
 * (io_uring's first attempt) is no longer there to retry an EAGAIN, yet a
 * bio that must be split is refused with EAGAIN when it carries REQ_NOWAIT,
 * and our resubmission may wait for tags.  So the flag goes.
 */
void blkmq_fe_take_bios(struct bio_list *list, struct request *rq)
{
	struct bio *bio;

	for (bio = rq->bio; bio; bio = bio->bi_next)
		bio->bi_opf &= ~REQ_NOWAIT;
	blk_steal_bios(list, rq);
}

/**
 * blkmq_fe_resubmit() - have the driver's workqueue submit bios again
 * @fe: the device
 * @bios: bios taken from requests that were ended; emptied
 *
 * blk-mq builds new requests from them, to the limits of the time.
 */
void blkmq_fe_resubmit(struct blkmq_fe_dev *fe, struct bio_list *bios)
{
	unsigned long flags;

	if (bio_list_empty(bios))
		return;
	spin_lock_irqsave(&fe->resplit_lock, flags);
	fe->resplit_taken += bio_list_size(bios);
	bio_list_merge(&fe->resplit, bios);
	spin_unlock_irqrestore(&fe->resplit_lock, flags);
	bio_list_init(bios);
	queue_work(blkmq_fe_wq, &fe->resplit_work);
}

/*
 * Take the bios of an unfit request and end it (nothing of it reached a
 * ring); a work item submits them again, and blk-mq splits them to the
 * limits of now.  The data they carry is untouched.
 */
static void fe_resplit(struct blkmq_fe_ring *ring, struct request *rq)
{
	struct bio_list bios;
	unsigned long flags;

	spin_lock_irqsave(&ring->lock, flags);
	ring->stats.resplit++;
	spin_unlock_irqrestore(&ring->lock, flags);
	bio_list_init(&bios);
	blkmq_fe_take_bios(&bios, rq);
	blk_mq_end_request(rq, BLK_STS_OK);
	blkmq_fe_resubmit(ring->fe, &bios);
}

/**
 * blkmq_fe_resplit_work() - submit the bios fe_resplit() took
 * @work: the device's resplit_work
 *
 * Flushed before the disk goes; a bio that arrives after del_gendisk()
 * fails there.
 */
void blkmq_fe_resplit_work(struct work_struct *work)
{
	struct blkmq_fe_dev *fe = container_of(work, struct blkmq_fe_dev,
					       resplit_work);
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&fe->resplit_lock);
	bios = fe->resplit;
	bio_list_init(&fe->resplit);
	fe->resplit_sent += bio_list_size(&bios);
	spin_unlock_irq(&fe->resplit_lock);
	while ((bio = bio_list_pop(&bios)))
		submit_bio_noacct(bio);
}

/*
 * Bring the ring's event channel to the CPU that queued this request, so
 * that its response is taken, and its waiter woken, on the CPU it was
 * issued from.  An event taken elsewhere costs an IPI to wake the waiter
 * (and blk-mq may send one more to complete there), one per request at
 * queue depth 1, and whether it happens otherwise depends on where the
 * channel was first bound.  A ring served from one CPU (a queue per CPU,
 * or one submitter) moves once; one shared by CPUs follows the last of
 * them at most ten times a second (each move is a hypercall).  The event's
 * binding is read where the kernel keeps it, so one moved by irqbalance or
 * /proc/irq is brought back too.  The queue is quiesced whenever
 * @ring->irq changes, so it is stable here.
 */
static void fe_follow_cpu(struct blkmq_fe_ring *ring)
{
	/* only a hint: a stale CPU is moved from at a later request */
	int cpu = raw_smp_processor_id();
	unsigned long moved = READ_ONCE(ring->irq_moved);

	if (!READ_ONCE(irq_follow) ||
	    cpumask_test_cpu(cpu, irq_data_get_effective_affinity_mask(ring->irqd)) ||
	    time_before(jiffies, moved + BLKMQ_FOLLOW_JIFFIES) ||
	    cmpxchg(&ring->irq_moved, moved, jiffies) != moved)
		return;
	if (irq_set_affinity(ring->irq, cpumask_of(cpu)))
		return;
	WRITE_ONCE(ring->stats.irq_moves, ring->stats.irq_moves + 1);
}

static blk_status_t fe_queue_rq(struct blk_mq_hw_ctx *hctx,
				const struct blk_mq_queue_data *bd)
{
	struct blkmq_fe_dev *fe = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct blkmq_fe_ring *ring;
	unsigned long flags;
	int state, err;

	blk_mq_start_request(rq);
	state = READ_ONCE(fe->state);
	if (state == BLKMQ_FE_DEAD)
		return BLK_STS_IOERR;
	/*
	 * A flush queued before a restore to a backend without a write
	 * cache: its writes are durable when they complete, so done.
	 */
	if (req_op(rq) == REQ_OP_FLUSH && !blkmq_fe_flush_op(fe) &&
	    state == BLKMQ_FE_CONNECTED) {
		blk_mq_end_request(rq, BLK_STS_OK);
		/* the last of a batch: publish the others */
		if (bd->last)
			fe_commit_rqs(hctx);
		return BLK_STS_OK;
	}
	/* The queue is quiesced while rings change; this is only a guard. */
	if (state != BLKMQ_FE_CONNECTED && state != BLKMQ_FE_CLOSING)
		return BLK_STS_RESOURCE;

	ring = fe_hctx_ring(hctx);
	if (fe_rq_unfit(ring, rq)) {
		if (test_bit(BLKMQ_FE_LIMITS_REFUSED, &fe->feat_off))
			return BLK_STS_IOERR;
		fe_resplit(ring, rq);
		if (bd->last)
			fe_commit_rqs(hctx);
		return BLK_STS_OK;
	}
	spin_lock_irqsave(&ring->lock, flags);
	if (ring->dead) {
		spin_unlock_irqrestore(&ring->lock, flags);
		return BLK_STS_IOERR;
	}
	if (ring->free_head >= ring->nr_ents ||
	    ring->req_prod_pvt - ring->rsp_cons >= ring->nr_ents) {
		ring->stats.ring_full++;
		ring->stopped = true;
		blk_mq_stop_hw_queue(hctx);
		fe_push(ring);
		spin_unlock_irqrestore(&ring->lock, flags);
		return BLK_STS_DEV_RESOURCE;
	}
	err = fe_issue(ring, rq);
	if (err || bd->last)
		fe_push(ring);
	spin_unlock_irqrestore(&ring->lock, flags);

	switch (err) {
	case 0:
		fe_follow_cpu(ring);
		return BLK_STS_OK;
	case -EBUSY:	/* parked: completed once the backend lets go */
		return BLK_STS_OK;
	case -ENOMEM:
	case -ENOSPC:
		return BLK_STS_RESOURCE;
	case -EOPNOTSUPP:
		/*
		 * A flush that another ring's refusal overtook since the
		 * check above: done, as that refusal says.
		 */
		if (req_op(rq) == REQ_OP_FLUSH && !blkmq_fe_flush_op(fe)) {
			blk_mq_end_request(rq, BLK_STS_OK);
			return BLK_STS_OK;
		}
		return BLK_STS_NOTSUPP;
	default:
		dev_err_ratelimited(&fe->xbdev->dev,
				    "cannot map request at sector %llu (%d)\n",
				    (unsigned long long)blk_rq_pos(rq), err);
		return BLK_STS_IOERR;
	}
}

static void fe_complete_rq(struct request *rq)
{
	struct blkmq_fe_pdu *pdu = blk_mq_rq_to_pdu(rq);

	if (pdu->status == FE_STS_RETRY) {
		/* its grants are released: queue_rq builds it afresh */
		blk_mq_requeue_request(rq, true);
		return;
	}
	blk_mq_end_request(rq, pdu->status);
}

const struct blk_mq_ops blkmq_fe_mq_ops = {
	.queue_rq = fe_queue_rq,
	.commit_rqs = fe_commit_rqs,
	.complete = fe_complete_rq,
	.timeout = fe_timeout,
};

/**
 * blkmq_fe_ring_kick() - publish and restart after a reconnect
 * @ring: a connected ring
 */
void blkmq_fe_ring_kick(struct blkmq_fe_ring *ring)
{
	unsigned long flags;

	spin_lock_irqsave(&ring->lock, flags);
	fe_push(ring);
	fe_restart(ring);
	spin_unlock_irqrestore(&ring->lock, flags);
}

/**
 * blkmq_fe_ring_alloc_shadow() - allocate the request table of a ring
 * @ring: a ring whose @nr_ents is set and whose interrupt may be bound
 * @max_segs: data segments per request at most
 *
 * Return: 0 or -ENOMEM.
 */
int blkmq_fe_ring_alloc_shadow(struct blkmq_fe_ring *ring, u32 max_segs)
{
	struct blkmq_fe_shadow *shadow;
	struct blkmq_front_slot *slots;
	u32 i;

	lockdep_assert_held(&ring->fe->mutex);
	slots = kcalloc(ring->nr_ents, sizeof(*slots), GFP_NOIO);
	shadow = kvcalloc(ring->nr_ents, sizeof(*shadow), GFP_NOIO);
	if (!slots || !shadow)
		goto err;
	for (i = 0; i < ring->nr_ents; i++) {
		shadow[i].sg = kvcalloc(max_segs, sizeof(*shadow[i].sg),
					GFP_NOIO);
		shadow[i].gnts = kvcalloc(max_segs + BLKMQ_MAX_INDIRECT_PAGES,
					  sizeof(*shadow[i].gnts), GFP_NOIO);
		if (!shadow[i].sg || !shadow[i].gnts)
			goto err_entries;
		sg_init_table(shadow[i].sg, max_segs);
		shadow[i].next_free = i + 1;
	}
	spin_lock_irq(&ring->lock);
	ring->max_segs = max_segs;
	ring->slots = slots;
	ring->shadow = shadow;
	ring->free_head = 0;
	ring->defer_head = FE_NO_ID;
	spin_unlock_irq(&ring->lock);
	return 0;

err_entries:
	for (i = 0; i < ring->nr_ents; i++) {
		kvfree(shadow[i].sg);
		kvfree(shadow[i].gnts);
	}
err:
	kvfree(shadow);
	kfree(slots);
	return -ENOMEM;
}

/*
 * Reads taken off a ring that is going away while its backend still maps
 * one of their own pages (granted in place, writable).  Those pages are not
 * ours to hand back: the backend could still write into them.  The bios
 * stay here, neither completed nor sent, until every grant has ended, and
 * are then sent again (read afresh from the disk as it is then: a deleted
 * disk fails them).  The requests themselves end at once, so that the
 * queue drains and the disk can go; a reference on the disk keeps it (and
 * its queue) for the bios.  The module stays loaded while any are held.
 *
 * Only reads: a write's page under writeback would hold up the sync that
 * removing the disk does, on the XenBus thread, for as long as the backend
 * likes; and the backend maps a write's page read-only.  Such a page goes
 * to the grant table's deferred list with a reference of ours, so it is
 * never freed for reuse while mapped (fe_collect_write()).
 */
struct blkmq_fe_orphan {
	struct list_head node;
	struct bio_list bios;
	struct gendisk *gd;
	unsigned int nr;
	grant_ref_t grefs[] __counted_by(nr);
};

static LIST_HEAD(fe_orphans);
static DEFINE_SPINLOCK(fe_orphan_lock);
static void fe_orphan_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(fe_orphan_work, fe_orphan_scan);

static unsigned int orphans_held;
module_param(orphans_held, uint, 0444);
MODULE_PARM_DESC(orphans_held,
		 "Reads of devices gone or reconnected whose own pages a backend still maps: held, not completed, until it lets go");

/*
 * Make an orphan of @rq, whose shadow @sh keeps the data grants the
 * backend still maps in @sh->gnts[0 .. @sh->nr_data - 1], and add it to
 * @list; the request is left bio-less for the caller to end.  The ring is
 * dead and its lock not held: nothing else looks at @sh any more.  The
 * allocation is small and may not fail: failing it would hand the pages
 * back.
 */
static void fe_orphan_take(struct blkmq_fe_ring *ring,
			   struct blkmq_fe_shadow *sh, struct list_head *list)
{
	struct blkmq_fe_orphan *o;
	unsigned int i;

	o = kmalloc(struct_size(o, grefs, sh->nr_data), GFP_NOIO | __GFP_NOFAIL);
	o->nr = sh->nr_data;
	for (i = 0; i < sh->nr_data; i++)
		o->grefs[i] = sh->gnts[i].gref;
	sh->nr_data = 0;
	bio_list_init(&o->bios);
	blkmq_fe_take_bios(&o->bios, sh->rq);
	o->gd = ring->fe->gd;
	get_device(disk_to_dev(o->gd));
	list_add_tail(&o->node, list);
}

/* Hand the orphans on @list to the scan; the first one pins the module. */
static void fe_orphans_add(struct list_head *list, unsigned int n)
{
	spin_lock(&fe_orphan_lock);
	if (list_empty(&fe_orphans))
		__module_get(THIS_MODULE);
	list_splice_tail_init(list, &fe_orphans);
	orphans_held += n;
	spin_unlock(&fe_orphan_lock);
	mod_delayed_work(blkmq_fe_wq, &fe_orphan_work, HZ / 10);
}

/*
 * End what grants the backends have let go of; send the bios of each
 * orphan with none left again.  Runs every half second while any is held;
 * the last to go unpins the module, as the last thing done here
 * (blkmq_fe_orphans_exit() waits for this function to return).
 */
static void fe_orphan_scan(struct work_struct *work)
{
	struct blkmq_fe_orphan *o, *n;
	bool more, unpin = false;
	LIST_HEAD(done);
	struct bio *bio;

	spin_lock(&fe_orphan_lock);
	list_for_each_entry_safe(o, n, &fe_orphans, node) {
		while (o->nr && gnttab_try_end_foreign_access(o->grefs[o->nr - 1]))
			o->nr--;
		if (!o->nr) {
			list_move_tail(&o->node, &done);
			orphans_held--;
		}
	}
	more = !list_empty(&fe_orphans);
	unpin = !more && !list_empty(&done);
	spin_unlock(&fe_orphan_lock);

	list_for_each_entry_safe(o, n, &done, node) {
		pr_info(BLKMQ_FE_NAME ": %s: the backend let go of a held read's pages; sending its %u bio(s) again\n",
			o->gd->disk_name, bio_list_size(&o->bios));
		while ((bio = bio_list_pop(&o->bios)))
			submit_bio_noacct(bio);
		put_device(disk_to_dev(o->gd));
		kfree(o);
	}
	if (more)
		queue_delayed_work(blkmq_fe_wq, &fe_orphan_work, HZ / 2);
	else if (unpin)
		module_put(THIS_MODULE);
}

/**
 * blkmq_fe_orphans_exit() - at module exit, wait for the last orphan scan
 *
 * The module is pinned while any read is held, so the list is empty; only
 * the scan that emptied it may still be returning.
 */
void blkmq_fe_orphans_exit(void)
{
	cancel_delayed_work_sync(&fe_orphan_work);
	WARN_ON_ONCE(!list_empty(&fe_orphans));
}

/*
 * A write whose own pages the backend still maps (read-only) as its ring
 * goes: each such grant is ended when the backend lets go, and the page,
 * which the write's owner gets back now, keeps a reference of ours until
 * then, so the page allocator never hands it out again while mapped.  What
 * its owner puts in it meanwhile (for a kmalloc buffer, other objects of
 * that slab) the backend can still read: trusted=0 is for backends that
 * must not.
 */
static void fe_collect_write(struct blkmq_fe_shadow *sh)
{
	unsigned int i;

	for (i = 0; i < sh->nr_data; i++) {
		get_page(sh->gnts[i].page);
		gnttab_end_foreign_access(sh->gnts[i].gref, sh->gnts[i].page);
	}
	sh->nr_data = 0;
}

/**
 * blkmq_fe_ring_collect() - take every request off a ring
 * @ring: a ring whose interrupt is no longer bound
 * @rqs: the requests in flight are added here (linked by queuelist)
 *
 * Their grants are ended (the driver's own pages go to the grant table's
 * deferred list if the backend still maps them; parked requests too).  A
 * read whose own pages the backend still maps is ended here, its bios held
 * until the backend lets go (see struct blkmq_fe_orphan); the other
 * requests are left to the caller.  blkmq_fe_park_work() must not run any
 * more.  Process context: may sleep.
 *
 * Return: the grants of those requests the backend still mapped.
 */
unsigned int blkmq_fe_ring_collect(struct blkmq_fe_ring *ring,
				   struct list_head *rqs)
{
	unsigned int mapped = 0, held = 0;
	LIST_HEAD(orphans);
	LIST_HEAD(reads);
	struct request *rq, *n;
	u32 id;

	lockdep_assert_held(&ring->fe->mutex);
	if (!ring->shadow)
		return 0;
	spin_lock_irq(&ring->lock);
	for (id = 0; id < ring->nr_ents; id++) {
		struct blkmq_fe_shadow *sh = &ring->shadow[id];

		if (!ring->slots[id].busy && !sh->parked && !sh->deferred)
			continue;
		mapped += fe_release(ring, sh, false);
		rq = sh->rq;
		if (!fe_gnt_retry(sh)) {
			list_add_tail(&rq->queuelist, rqs);
			sh->rq = NULL;
		} else if (rq_data_dir(rq) == WRITE) {
			fe_collect_write(sh);
			list_add_tail(&rq->queuelist, rqs);
			sh->rq = NULL;
		} else {
			/* made an orphan below; its id is in the pdu */
			list_add_tail(&rq->queuelist, &reads);
		}
		if (sh->parked)
			ring->nr_parked--;
		sh->parked = false;
		/* a read not copied back yet is read again */
		sh->deferred = false;
		ring->slots[id].busy = 0;
	}
	ring->defer_head = FE_NO_ID;
	ring->dead = true;
	spin_unlock_irq(&ring->lock);

	list_for_each_entry_safe(rq, n, &reads, queuelist) {
		struct blkmq_fe_shadow *sh =
			&ring->shadow[((struct blkmq_fe_pdu *)blk_mq_rq_to_pdu(rq))->id];

		list_del_init(&rq->queuelist);
		fe_orphan_take(ring, sh, &orphans);
		sh->rq = NULL;
		blk_mq_end_request(rq, BLK_STS_OK);
		held++;
	}
	if (held) {
		dev_warn(&ring->fe->xbdev->dev,
			 "queue %u: the backend still maps pages of %u read(s); holding them until it lets go, then reading again\n",
			 ring->index, held);
		fe_orphans_add(&orphans, held);
	}
	return mapped;
}

/**
 * blkmq_fe_ring_free() - release everything a ring owns
 * @ring: a ring with nothing in flight (see blkmq_fe_ring_collect())
 *
 * Unbinds the interrupt (closing the event channel) and ends every grant:
 * persistent pool pages and the ring pages themselves.  Pages the backend
 * still maps are freed by the grant table once it lets go, never reused
 * before.
 *
 * Return: the grants the backend still mapped.
 */
unsigned int blkmq_fe_ring_free(struct blkmq_fe_ring *ring)
{
	struct blkmq_fe_pgrant *pg, *n;
	unsigned int i, mapped = 0;

	lockdep_assert_held(&ring->fe->mutex);
	if (ring->irq > 0)
		unbind_from_irqhandler(ring->irq, ring);
	ring->irq = 0;
	cancel_work_sync(&ring->copy_work);
	gnttab_cancel_free_callback(&ring->gnt_cb);
	list_for_each_entry_safe(pg, n, &ring->pool, node) {
		list_del(&pg->node);
		mapped += fe_pgrant_destroy(pg);
	}
	ring->pool_size = 0;
	if (ring->shadow) {
		for (i = 0; i < ring->nr_ents; i++) {
			kvfree(ring->shadow[i].sg);
			kvfree(ring->shadow[i].gnts);
		}
		kvfree(ring->shadow);
		ring->shadow = NULL;
	}
	kfree(ring->slots);
	ring->slots = NULL;
	if (ring->sring) {
		/*
		 * xenbus_setup_ring() allocates with alloc_pages_exact(), so
		 * each page is freed on its own, by the grant table once the
		 * backend has unmapped it.
		 */
		for (i = 0; i < ring->nr_pages; i++) {
			struct page *pg = virt_to_page((u8 *)ring->sring +
						       i * PAGE_SIZE);

			if (gnttab_try_end_foreign_access(ring->ring_refs[i])) {
				put_page(pg);
				continue;
			}
			gnttab_end_foreign_access(ring->ring_refs[i], pg);
			mapped++;
		}
		ring->sring = NULL;
	}
	return mapped;
}
