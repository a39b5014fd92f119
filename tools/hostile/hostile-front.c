// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-front.c - a misbehaving Xen PV block frontend, for testing backends
 *
 * A test tool, never shipped.  Loaded in a guest whose vbd devices have no
 * frontend driver, it plays the frontend itself over XenStore, the grant
 * table and an event channel, and runs a list of cases against the backend
 * serving those devices (xen-blkmq-back or xen-blkback).  Every case makes
 * one fresh connection, breaks one rule of the protocol, looks at what came
 * back, then checks that the backend still serves a well-formed request
 * ("alive") or stopped serving the ring ("dead"), disconnects, and counts the
 * grants the backend still had mapped once it said Closed (must be 0).
 *
 * Each case prints one line on the kernel log:
 *
 *   HOSTILE|case|expected|observed|verdict|detail
 *
 * "expected" lists the acceptable outcomes, separated by '/'-free '|'
 * alternatives written with ' or '.  With judge=1 (our backend) the verdict
 * is pass or FAIL; with judge=0 (a backend we only compare against) it is
 * same or differs.  A HOSTILE-SUMMARY line ends the run.  All work happens
 * in module init; the module can then be removed.
 */

#define pr_fmt(fmt) "hostile-front: " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include <xen/interface/event_channel.h>
#include <asm/xen/hypercall.h>

#include <xen/interface/io/blkmq-if.h>

static unsigned int vdev_rw = 51712;
module_param(vdev_rw, uint, 0444);
MODULE_PARM_DESC(vdev_rw, "vdevice of a writable 512-byte-sector disk with discard (default xvda)");
static unsigned int vdev_ro;
module_param(vdev_ro, uint, 0444);
MODULE_PARM_DESC(vdev_ro, "vdevice of a read-only disk (0: skip its cases)");
static unsigned int vdev_4k;
module_param(vdev_4k, uint, 0444);
MODULE_PARM_DESC(vdev_4k, "vdevice of a 4096-byte-sector disk (0: skip its cases)");
static char *cases = "all";
module_param(cases, charp, 0444);
MODULE_PARM_DESC(cases, "case names separated by ',' or '/', or all (default)");
static char *skip = "";
module_param(skip, charp, 0444);
MODULE_PARM_DESC(skip, "case names not to run, separated by ',' or '/'");
static bool judge = true;
module_param(judge, bool, 0444);
MODULE_PARM_DESC(judge, "1: verdict pass/FAIL against the expected outcome; 0: same/differs");
static unsigned int grant_cap = 1056;
module_param(grant_cap, uint, 0444);
MODULE_PARM_DESC(grant_cap, "most grants the backend may keep mapped after the flood case (default 1056)");

/* XenStore states (enum xenbus_state) as numbers, for the state keys */
#define HF_INITIALISING	1
#define HF_INITWAIT	2
#define HF_INITIALISED	3
#define HF_CONNECTED	4
#define HF_CLOSING	5
#define HF_CLOSED	6

#define HF_MAX_GRANTS	4096
#define HF_WAIT_MS	20000	/* a response or state change that must come */
#define HF_QUIET_MS	3000	/* how long silence must last to count */
#define HF_NOT_GRANTED	0xfffffff0U

/* HF_G_FREED: access ended and the reference freed; only the page is ours */
enum hf_gstate { HF_G_GRANTED, HF_G_FREED };

struct hf_grant {
	grant_ref_t ref;
	struct page *page;
	enum hf_gstate state;
};

/**
 * struct hf_dev - one backend device this tool connects to
 * @fe: the frontend directory (relative to the guest's home)
 * @be: the backend directory
 * @be_id: the backend's domain
 * @sring: the shared ring page (order 0)
 * @ring_ref: grant of @sring
 * @port: our end of the event channel
 * @irq: its interrupt
 * @req_prod: requests written
 * @rsp_cons: responses read
 * @nr_ents: ring slots
 * @events: notifications received
 * @wq: woken on each notification
 * @g: every grant of the current connection
 * @nr_g: entries used in @g
 * @sectors: disk size, from the backend
 * @sector_size: logical block size, from the backend
 * @max_indirect: feature-max-indirect-segments, 0 if absent
 * @max_queues: multi-queue-max-queues, 1 if absent
 * @max_order: max-ring-page-order, 0 if absent
 * @persistent: the backend offers persistent grants
 * @next_id: request id source
 * @leaky: responses with non-zero padding (dom0 memory shown to the guest)
 */
struct hf_dev {
	char fe[32];
	char *be;
	domid_t be_id;
	struct blkmq_sring *sring;
	grant_ref_t ring_ref;
	evtchn_port_t port;
	int irq;
	u32 req_prod;
	u32 rsp_cons;
	u32 nr_ents;
	atomic_t events;
	wait_queue_head_t wq;
	struct hf_grant *g;
	unsigned int nr_g;
	u64 sectors;
	u32 sector_size;
	u32 max_indirect;
	u32 max_queues;
	u32 max_order;
	bool persistent;
	u64 next_id;
	unsigned int leaky;
};

/**
 * struct hf_keys - what a case writes at connection time
 * @nq: multi-queue-num-queues to write (0: do not write the key)
 * @nq_zero: write multi-queue-num-queues = 0
 * @order: ring-page-order to write (-1: none, plain ring-ref instead)
 * @ring_ref: override of the ring reference written (0: the real one)
 * @evtchn: override of the event channel written (0: the real one)
 * @protocol: protocol written (NULL: none)
 * @no_ring_ref: leave the ring reference out
 * @no_evtchn: leave the event channel out
 * @junk_ref: text written right after the ring reference's digits
 * @junk_evtchn: text written right after the event channel's digits
 * @mq: with @nq of 2 or more, the keys go to queue-N/ and this names
 *	which one queue is broken (every other queue gets the real ring and
 *	event channel: a backend may map one page or bind one port for
 *	several rings only until one of them fails, which is the point)
 */
struct hf_keys {
	unsigned int nq;
	bool nq_zero;
	int order;
	u32 ring_ref;
	u32 evtchn;
	const char *protocol;
	bool no_ring_ref;
	bool no_evtchn;
	const char *junk_ref;
	const char *junk_evtchn;
	enum { HF_MQ_NONE, HF_MQ_Q1_MISSING, HF_MQ_Q0_BAD_REF, HF_MQ_Q1_BAD_EVTCHN } mq;
};

static const struct hf_keys hf_good_keys = { .order = -1, .protocol = BLKMQ_PROTO_X86_64 };

/* ------------------------------------------------------------ XenStore */

static int hf_be_state(struct hf_dev *d)
{
	unsigned int s = xenbus_read_unsigned(d->be, "state", 0);

	return s <= HF_CLOSED ? s : 0;
}

static int hf_set_state(struct hf_dev *d, int state)
{
	return xenbus_printf(XBT_NIL, d->fe, "state", "%d", state);
}

/* Wait until the backend's state is one in @mask (bit per state). */
static int hf_wait_be(struct hf_dev *d, unsigned int mask, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	int s;

	for (;;) {
		s = hf_be_state(d);
		if (mask & BIT(s))
			return s;
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		msleep(20);
	}
}

static void hf_rm_keys(struct hf_dev *d)
{
	static const char * const keys[] = {
		"ring-ref", "ring-ref0", "ring-page-order", "event-channel",
		"protocol", "multi-queue-num-queues", "queue-0", "queue-1",
		"feature-persistent",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		xenbus_rm(XBT_NIL, d->fe, keys[i]);
}

/* Bring the backend back to InitWait, from wherever the last case left it. */
static int hf_reset(struct hf_dev *d)
{
	int s = hf_be_state(d);

	if (s == HF_INITWAIT)
		return 0;
	if (s != HF_CLOSED) {
		hf_set_state(d, HF_CLOSING);
		hf_wait_be(d, BIT(HF_CLOSING) | BIT(HF_CLOSED), HF_WAIT_MS);
		hf_set_state(d, HF_CLOSED);
		if (hf_wait_be(d, BIT(HF_CLOSED), HF_WAIT_MS) < 0)
			return -ETIMEDOUT;
	}
	hf_rm_keys(d);
	hf_set_state(d, HF_INITIALISING);
	return hf_wait_be(d, BIT(HF_INITWAIT), HF_WAIT_MS) < 0 ? -ETIMEDOUT : 0;
}

/* ------------------------------------------------------------ grants */

static int hf_grant(struct hf_dev *d, bool readonly)
{
	struct hf_grant *g;
	struct page *page;
	int ref;

	if (d->nr_g >= HF_MAX_GRANTS)
		return -ENOSPC;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	ref = gnttab_grant_foreign_access(d->be_id, xen_page_to_gfn(page), readonly);
	if (ref < 0) {
		__free_page(page);
		return ref;
	}
	g = &d->g[d->nr_g];
	g->ref = ref;
	g->page = page;
	g->state = HF_G_GRANTED;
	return d->nr_g++;
}

/*
 * End every grant of the connection.  Returns how many the backend still
 * had mapped; those pages go to the grant table's deferred list.
 */
static unsigned int hf_release_grants(struct hf_dev *d)
{
	unsigned int i, left = 0;

	for (i = 0; i < d->nr_g; i++) {
		struct hf_grant *g = &d->g[i];

		if (g->state == HF_G_FREED || gnttab_try_end_foreign_access(g->ref)) {
			__free_page(g->page);
		} else {
			left++;
			gnttab_end_foreign_access(g->ref, g->page);
		}
	}
	d->nr_g = 0;
	return left;
}

/* ------------------------------------------------------------ ring */

static irqreturn_t hf_interrupt(int irq, void *arg)
{
	struct hf_dev *d = arg;

	atomic_inc(&d->events);
	wake_up(&d->wq);
	return IRQ_HANDLED;
}

static void hf_put(struct hf_dev *d, const union blkmq_request_any *r)
{
	memcpy(&d->sring->ring[d->req_prod & (d->nr_ents - 1)].req, r, sizeof(*r));
	d->req_prod++;
}

static void hf_publish(struct hf_dev *d, bool notify)
{
	virt_wmb();	/* the slots before the index that publishes them */
	WRITE_ONCE(d->sring->req_prod, d->req_prod);
	if (notify)
		notify_remote_via_evtchn(d->port);
}

/* Collect up to @want responses, waiting at most @ms (0: only look). */
static unsigned int hf_collect(struct hf_dev *d, struct blkmq_response *out,
			       unsigned int want, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	unsigned int got = 0;
	u32 rp;

	for (;;) {
		rp = READ_ONCE(d->sring->rsp_prod);
		virt_rmb();	/* the index before the slots it covers */
		while (d->rsp_cons != rp && got < want) {
			memcpy(&out[got], &d->sring->ring[d->rsp_cons & (d->nr_ents - 1)].rsp,
			       sizeof(*out));
			/* a backend must not hand the guest its stack (XSA-216) */
			if (out[got]._pad0 || out[got]._pad1)
				d->leaky++;
			got++;
			d->rsp_cons++;
		}
		if (got >= want || !ms || time_after(jiffies, end))
			return got;
		WRITE_ONCE(d->sring->rsp_event, d->rsp_cons + 1);
		virt_mb();	/* rsp_event out before rsp_prod is read again */
		wait_event_timeout(d->wq, READ_ONCE(d->sring->rsp_prod) != d->rsp_cons,
				   msecs_to_jiffies(100));
	}
}

static const char *hf_status(const struct blkmq_response *r, unsigned int got)
{
	if (!got)
		return "none";
	switch (r->status) {
	case BLKMQ_RSP_OKAY:
		return "okay";
	case BLKMQ_RSP_ERROR:
		return "error";
	case BLKMQ_RSP_EOPNOTSUPP:
		return "eopnotsupp";
	default:
		return "garbage";
	}
}

/* A one-segment read or write of 8 sectors at @sector from grant @gi. */
static void hf_rw(struct hf_dev *d, union blkmq_request_any *r, u8 op, u64 sector, int gi)
{
	memset(r, 0, sizeof(*r));
	r->rw.operation = op;
	r->rw.nr_segments = 1;
	r->rw.id = d->next_id++;
	r->rw.sector_number = sector;
	r->rw.seg[0].gref = d->g[gi].ref;
	r->rw.seg[0].first_sect = 0;
	r->rw.seg[0].last_sect = 7;
}

/* Send one request and wait for its response; returns its status name. */
static const char *hf_one(struct hf_dev *d, const union blkmq_request_any *r, unsigned int ms)
{
	struct blkmq_response rsp;

	hf_put(d, r);
	hf_publish(d, true);
	return hf_status(&rsp, hf_collect(d, &rsp, 1, ms));
}

/* Is the ring still served?  One well-formed 4 KiB read. */
static const char *hf_alive(struct hf_dev *d, unsigned int ms)
{
	union blkmq_request_any r;
	int gi = hf_grant(d, false);

	if (gi < 0)
		return "nogrant";
	hf_rw(d, &r, BLKMQ_OP_READ, 0, gi);
	return strcmp(hf_one(d, &r, ms), "okay") ? "dead" : "alive";
}

static void hf_ring_free(struct hf_dev *d)
{
	if (d->irq > 0)
		unbind_from_irqhandler(d->irq, d);	/* closes the port too */
	d->irq = 0;
	d->port = 0;
}

/* ------------------------------------------------------------ connection */

/* queue-N/{ring-ref,event-channel} for a multi-queue case, one queue broken */
static int hf_write_queues(struct hf_dev *d, struct xenbus_transaction xbt,
			   const struct hf_keys *k, const char *rr)
{
	unsigned int q;
	int err = 0;

	for (q = 0; q < k->nq && !err; q++) {
		char dir[sizeof(d->fe) + sizeof("/queue-") + 10];
		u32 ref = d->ring_ref, port = d->port;

		if (k->mq == HF_MQ_Q1_MISSING && q == 1)
			continue;
		if (k->mq == HF_MQ_Q0_BAD_REF && q == 0)
			ref = HF_NOT_GRANTED;
		if (k->mq == HF_MQ_Q1_BAD_EVTCHN && q == 1)
			port = 4000;
		snprintf(dir, sizeof(dir), "%s/queue-%u", d->fe, q);
		err = xenbus_printf(xbt, dir, rr, "%u", ref) ?:
		      xenbus_printf(xbt, dir, "event-channel", "%u", port);
	}
	return err;
}

/*
 * Set up a ring, write the keys @k asks for and go Initialised.  Returns
 * HF_CONNECTED (and we are Connected too), HF_CLOSING when the backend
 * refused, or a negative error (e.g. -ETIMEDOUT: it did neither).
 */
static int hf_connect(struct hf_dev *d, const struct hf_keys *k)
{
	struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF, .remote_dom = d->be_id };
	struct xenbus_transaction xbt;
	const char *rr;
	int gi, err, s;

	err = hf_reset(d);
	if (err)
		return err;
	d->max_indirect = xenbus_read_unsigned(d->be, "feature-max-indirect-segments", 0);
	d->max_queues = xenbus_read_unsigned(d->be, "multi-queue-max-queues", 1);
	d->max_order = xenbus_read_unsigned(d->be, "max-ring-page-order", 0);
	d->persistent = xenbus_read_unsigned(d->be, "feature-persistent", 0);

	gi = hf_grant(d, false);
	if (gi < 0)
		return gi;
	d->sring = page_address(d->g[gi].page);
	d->ring_ref = d->g[gi].ref;
	d->sring->req_event = 1;
	d->sring->rsp_event = 1;
	d->req_prod = 0;
	d->rsp_cons = 0;
	d->nr_ents = BLKMQ_RING_ENTRIES(0);

	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (err)
		return err;
	d->port = alloc.port;
	d->irq = bind_evtchn_to_irqhandler(d->port, hf_interrupt, 0, "hostile-front", d);
	if (d->irq < 0) {
		struct evtchn_close close = { .port = d->port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
		err = d->irq;
		d->irq = 0;
		return err;
	}

	rr = k->order >= 0 ? "ring-ref0" : "ring-ref";
again:
	err = xenbus_transaction_start(&xbt);
	if (err)
		return err;
	if (k->nq || k->nq_zero)
		err = xenbus_printf(xbt, d->fe, "multi-queue-num-queues", "%u", k->nq);
	if (!err && k->order >= 0)
		err = xenbus_printf(xbt, d->fe, "ring-page-order", "%d", k->order);
	if (!err && k->mq != HF_MQ_NONE)
		err = hf_write_queues(d, xbt, k, rr);
	if (!err && k->mq == HF_MQ_NONE && !k->no_ring_ref)
		err = xenbus_printf(xbt, d->fe, rr, "%u%s", k->ring_ref ?: d->ring_ref,
				    k->junk_ref ?: "");
	if (!err && k->mq == HF_MQ_NONE && !k->no_evtchn)
		err = xenbus_printf(xbt, d->fe, "event-channel", "%u%s", k->evtchn ?: d->port,
				    k->junk_evtchn ?: "");
	if (!err && k->protocol)
		err = xenbus_printf(xbt, d->fe, "protocol", "%s", k->protocol);
	if (!err)
		err = xenbus_printf(xbt, d->fe, "feature-persistent", "%u", 1);
	if (!err)
		err = xenbus_printf(xbt, d->fe, "state", "%d", HF_INITIALISED);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		return err;

	s = hf_wait_be(d, BIT(HF_CONNECTED) | BIT(HF_CLOSING) | BIT(HF_CLOSED), HF_WAIT_MS);
	if (s != HF_CONNECTED)
		return s < 0 ? s : HF_CLOSING;
	d->sectors = 0;
	xenbus_scanf(XBT_NIL, d->be, "sectors", "%llu", &d->sectors);
	d->sector_size = xenbus_read_unsigned(d->be, "sector-size", 512);
	hf_set_state(d, HF_CONNECTED);
	return HF_CONNECTED;
}

/* Close, wait for the backend to say Closed, and count grants left mapped. */
static int hf_disconnect(struct hf_dev *d, unsigned int *left)
{
	int s;

	hf_set_state(d, HF_CLOSING);
	hf_wait_be(d, BIT(HF_CLOSING) | BIT(HF_CLOSED), HF_WAIT_MS);
	hf_set_state(d, HF_CLOSED);
	s = hf_wait_be(d, BIT(HF_CLOSED), HF_WAIT_MS);
	hf_ring_free(d);
	*left = hf_release_grants(d);
	d->sring = NULL;
	return s < 0 ? s : 0;
}

/* ------------------------------------------------------------ cases */

enum hf_disk { HF_RW, HF_RO, HF_4K };

/**
 * struct hf_case - one misbehaviour
 * @name: its name on the result line
 * @disk: which disk it needs
 * @expect: acceptable outcomes, " or "-separated
 * @run: does it on a connected device, writes the outcome to @obs and a
 *	detail to @det; NULL for cases that misbehave while connecting
 * @keys: the keys written while connecting (control cases)
 * @flap: flap the state before connecting properly
 */
struct hf_case {
	const char *name;
	enum hf_disk disk;
	const char *expect;
	void (*run)(struct hf_dev *d, char *obs, char *det);
	struct hf_keys keys;
	bool flap;
};

#define HF_OBS 64

/* status of one request, then whether the ring still serves */
static void hf_obs(struct hf_dev *d, char *obs, const char *status)
{
	snprintf(obs, HF_OBS, "%s/%s", status, hf_alive(d, HF_WAIT_MS));
}

static void hf_bad_rw(struct hf_dev *d, char *obs, u8 op, u8 nseg, u64 sector,
		      u8 first, u8 last, u32 gref)
{
	union blkmq_request_any r;
	int gi = hf_grant(d, false);
	unsigned int i;

	if (gi < 0) {
		snprintf(obs, HF_OBS, "nogrant");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.rw.operation = op;
	r.rw.nr_segments = nseg;
	r.rw.id = d->next_id++;
	r.rw.sector_number = sector;
	for (i = 0; i < min_t(unsigned int, nseg, BLKMQ_MAX_SEGMENTS_PER_REQUEST); i++) {
		r.rw.seg[i].gref = gref ?: d->g[gi].ref;
		r.rw.seg[i].first_sect = first;
		r.rw.seg[i].last_sect = last;
	}
	hf_obs(d, obs, hf_one(d, &r, HF_WAIT_MS));
}

static void hf_case_good(struct hf_dev *d, char *obs, char *det)
{
	union blkmq_request_any r;
	int w = hf_grant(d, false), rd = hf_grant(d, false);
	const char *s1, *s2;
	u8 *a, *b;

	if (w < 0 || rd < 0) {
		snprintf(obs, HF_OBS, "nogrant");
		return;
	}
	a = page_address(d->g[w].page);
	b = page_address(d->g[rd].page);
	get_random_bytes(a, PAGE_SIZE);
	hf_rw(d, &r, BLKMQ_OP_WRITE, 64, w);
	s1 = hf_one(d, &r, HF_WAIT_MS);
	hf_rw(d, &r, BLKMQ_OP_READ, 64, rd);
	s2 = hf_one(d, &r, HF_WAIT_MS);
	snprintf(det, HF_OBS, "write %s read %s data %s", s1, s2,
		 memcmp(a, b, PAGE_SIZE) ? "differs" : "matches");
	hf_obs(d, obs, strcmp(s1, "okay") || strcmp(s2, "okay") || memcmp(a, b, PAGE_SIZE) ?
		   "bad" : "okay");
}

static void hf_case_op(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, 0x77, 1, 0, 0, 7, 0);
}

static void hf_case_seg0(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 0, 0, 0, 7, 0);
}

static void hf_case_seg12(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 12, 0, 0, 7, 0);
}

static void hf_case_seg255(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_WRITE, 255, 0, 0, 7, 0);
}

static void hf_case_first_gt_last(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 1, 0, 5, 2, 0);
}

static void hf_case_last8(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 1, 0, 0, 8, 0);
}

static void hf_case_past_end(struct hf_dev *d, char *obs, char *det)
{
	snprintf(det, HF_OBS, "sector %llu of %llu", d->sectors, d->sectors);
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 1, d->sectors, 0, 7, 0);
}

static void hf_case_overflow(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_WRITE, 1, U64_MAX - 3, 0, 7, 0);
}

static void hf_case_write_ro(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_WRITE, 1, 0, 0, 7, 0);
}

static void hf_case_misaligned(struct hf_dev *d, char *obs, char *det)
{
	snprintf(det, HF_OBS, "sector-size %u, 512 bytes at sector 1", d->sector_size);
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 1, 1, 1, 1, 0);
}

static void hf_case_gref_never(struct hf_dev *d, char *obs, char *det)
{
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 1, 0, 0, 7, HF_NOT_GRANTED);
}

static void hf_case_gref_ro(struct hf_dev *d, char *obs, char *det)
{
	int gi = hf_grant(d, true);

	/* a read makes the backend write into the page: needs a writable grant */
	if (gi < 0) {
		snprintf(obs, HF_OBS, "nogrant");
		return;
	}
	hf_bad_rw(d, obs, BLKMQ_OP_READ, 1, 0, 0, 7, d->g[gi].ref);
}

static void hf_case_gref_revoked(struct hf_dev *d, char *obs, char *det)
{
	union blkmq_request_any r;
	int gi = hf_grant(d, false);
	bool ended;

	/*
	 * The reference goes back to the free list: nothing else is granted
	 * before the backend answered, so it cannot name another page yet.
	 */
	if (gi < 0) {
		snprintf(obs, HF_OBS, "nogrant");
		return;
	}
	hf_rw(d, &r, BLKMQ_OP_READ, 0, gi);
	hf_put(d, &r);
	hf_publish(d, false);
	/* the backend has not been told yet: take the grant back, then tell it */
	ended = gnttab_try_end_foreign_access(d->g[gi].ref);
	if (ended)
		d->g[gi].state = HF_G_FREED;
	snprintf(det, HF_OBS, "revoked before the kick: %s", ended ? "yes" : "no (mapped)");
	notify_remote_via_evtchn(d->port);
	{
		struct blkmq_response rsp;

		hf_obs(d, obs, hf_status(&rsp, hf_collect(d, &rsp, 1, HF_WAIT_MS)));
	}
}

/*
 * An 11-segment request on 11 freshly granted pages; segment @bad (if
 * below 11) names a reference never granted instead.  Returns 0, or
 * -ENOSPC/-ENOMEM when no grant could be made (@obs then says so).
 */
static int hf_full_rw(struct hf_dev *d, union blkmq_request_any *r, char *obs, u8 op,
		      u64 sector, unsigned int bad)
{
	unsigned int k;
	int gi;

	memset(r, 0, sizeof(*r));
	r->rw.operation = op;
	r->rw.nr_segments = BLKMQ_MAX_SEGMENTS_PER_REQUEST;
	r->rw.id = d->next_id++;
	r->rw.sector_number = sector;
	for (k = 0; k < BLKMQ_MAX_SEGMENTS_PER_REQUEST; k++) {
		gi = hf_grant(d, false);
		if (gi < 0) {
			snprintf(obs, HF_OBS, "nogrant");
			return gi;
		}
		r->rw.seg[k].gref = k == bad ? HF_NOT_GRANTED : d->g[gi].ref;
		r->rw.seg[k].last_sect = 7;
	}
	return 0;
}

/* 11 segments, one of them never granted: the others must not stay mapped */
static void hf_case_gref_mixed(struct hf_dev *d, char *obs, char *det)
{
	union blkmq_request_any r;

	if (!hf_full_rw(d, &r, obs, BLKMQ_OP_WRITE, 0, 5))
		hf_obs(d, obs, hf_one(d, &r, HF_WAIT_MS));
}

/*
 * Rewrite the published slot while the backend works on it: a backend
 * that reads a field twice sees 11 segments once and 255 the next time, or
 * a valid last_sect and then 200 (XSA-155).  Either answer is fine; what
 * counts is that the backend stays up.  (The response lands in the same
 * slot; the rewrites touch only bytes of its id, never its status.)
 */
static void hf_case_toctou(struct hf_dev *d, char *obs, char *det)
{
	struct blkmq_response rsp;
	struct blkmq_request *slot;
	union blkmq_request_any r;
	unsigned long end;
	unsigned int flips = 0, got = 0;

	if (hf_full_rw(d, &r, obs, BLKMQ_OP_READ, 0, BLKMQ_MAX_SEGMENTS_PER_REQUEST))
		return;
	slot = &d->sring->ring[d->req_prod & (d->nr_ents - 1)].req.rw;
	hf_put(d, &r);
	hf_publish(d, true);
	end = jiffies + msecs_to_jiffies(HF_WAIT_MS);
	while (!got && time_before(jiffies, end)) {
		WRITE_ONCE(slot->nr_segments, 255);
		WRITE_ONCE(slot->seg[3].last_sect, 200);
		WRITE_ONCE(slot->operation, 0x55);
		WRITE_ONCE(slot->nr_segments, BLKMQ_MAX_SEGMENTS_PER_REQUEST);
		WRITE_ONCE(slot->seg[3].last_sect, 7);
		WRITE_ONCE(slot->operation, BLKMQ_OP_READ);
		if (!(++flips % 64)) {
			got = hf_collect(d, &rsp, 1, 0);
			cond_resched();
		}
	}
	snprintf(det, HF_OBS, "%u rewrites while in flight", flips);
	hf_obs(d, obs, hf_status(&rsp, got));
}

static void hf_indirect(struct hf_dev *d, char *obs, u16 nseg, bool bad_page)
{
	union blkmq_request_any r;
	struct blkmq_segment *seg;
	unsigned int i, p, pages;
	int data = hf_grant(d, false), gi;

	if (data < 0) {
		snprintf(obs, HF_OBS, "nogrant");
		return;
	}
	pages = min_t(unsigned int, DIV_ROUND_UP(nseg, BLKMQ_SEGS_PER_INDIRECT_PAGE),
		      BLKMQ_MAX_INDIRECT_PAGES);
	memset(&r, 0, sizeof(r));
	r.indirect.operation = BLKMQ_OP_INDIRECT;
	r.indirect.indirect_op = BLKMQ_OP_READ;
	r.indirect.nr_segments = nseg;
	r.indirect.id = d->next_id++;
	for (p = 0; p < pages; p++) {
		gi = hf_grant(d, true);
		if (gi < 0) {
			snprintf(obs, HF_OBS, "nogrant");
			return;
		}
		seg = page_address(d->g[gi].page);
		for (i = 0; i < BLKMQ_SEGS_PER_INDIRECT_PAGE; i++) {
			seg[i].gref = d->g[data].ref;
			seg[i].first_sect = 0;
			seg[i].last_sect = 0;
		}
		r.indirect.indirect_grefs[p] = d->g[gi].ref;
	}
	if (bad_page)
		r.indirect.indirect_grefs[0] = HF_NOT_GRANTED;
	hf_obs(d, obs, hf_one(d, &r, HF_WAIT_MS));
}

static void hf_case_ind_over(struct hf_dev *d, char *obs, char *det)
{
	snprintf(det, HF_OBS, "%u segments, %u offered", d->max_indirect + 1, d->max_indirect);
	hf_indirect(d, obs, d->max_indirect + 1, false);
}

static void hf_case_ind_huge(struct hf_dev *d, char *obs, char *det)
{
	hf_indirect(d, obs, 0xffff, false);
}

static void hf_case_ind_badpage(struct hf_dev *d, char *obs, char *det)
{
	hf_indirect(d, obs, 8, true);
}

static void hf_discard(struct hf_dev *d, char *obs, u8 flag, u64 sector, u64 nr)
{
	union blkmq_request_any r;

	memset(&r, 0, sizeof(r));
	r.discard.operation = BLKMQ_OP_DISCARD;
	r.discard.flag = flag;
	r.discard.id = d->next_id++;
	r.discard.sector_number = sector;
	r.discard.nr_sectors = nr;
	hf_obs(d, obs, hf_one(d, &r, HF_WAIT_MS));
}

static void hf_case_secure(struct hf_dev *d, char *obs, char *det)
{
	snprintf(det, HF_OBS, "discard-secure=%u",
		 xenbus_read_unsigned(d->be, "discard-secure", 0));
	hf_discard(d, obs, BLKMQ_DISCARD_SECURE, 0, 8);
}

static void hf_case_discard_end(struct hf_dev *d, char *obs, char *det)
{
	hf_discard(d, obs, 0, d->sectors - 8, 1ULL << 40);
}

static void hf_case_dup_id(struct hf_dev *d, char *obs, char *det)
{
	struct blkmq_response rsp[2];
	union blkmq_request_any r;
	int a = hf_grant(d, false), b = hf_grant(d, false);
	unsigned int got;

	if (a < 0 || b < 0) {
		snprintf(obs, HF_OBS, "nogrant");
		return;
	}
	hf_rw(d, &r, BLKMQ_OP_READ, 0, a);
	r.rw.id = 42;
	hf_put(d, &r);
	hf_rw(d, &r, BLKMQ_OP_READ, 8, b);
	r.rw.id = 42;
	hf_put(d, &r);
	hf_publish(d, true);
	got = hf_collect(d, rsp, 2, HF_WAIT_MS);
	snprintf(det, HF_OBS, "%u responses, ids %llu %llu", got,
		 got > 0 ? rsp[0].id : 0, got > 1 ? rsp[1].id : 0);
	hf_obs(d, obs, got == 2 && !rsp[0].status && !rsp[1].status ? "okay" :
		   hf_status(&rsp[0], got));
}

static void hf_case_prod_far(struct hf_dev *d, char *obs, char *det)
{
	struct blkmq_response rsp;
	unsigned int got;

	d->req_prod += 100000;
	hf_publish(d, true);
	got = hf_collect(d, &rsp, 1, HF_QUIET_MS);
	d->req_prod -= 100000;
	snprintf(obs, HF_OBS, "%s/%s", hf_status(&rsp, got), hf_alive(d, HF_QUIET_MS));
}

static void hf_case_overrun(struct hf_dev *d, char *obs, char *det)
{
	struct blkmq_response rsp;
	unsigned int got;

	/* one more request than the ring holds, all published at once */
	d->req_prod += d->nr_ents + 1;
	hf_publish(d, true);
	got = hf_collect(d, &rsp, 1, HF_QUIET_MS);
	snprintf(det, HF_OBS, "req_prod %u, ring of %u", d->req_prod, d->nr_ents);
	d->req_prod -= d->nr_ents + 1;
	snprintf(obs, HF_OBS, "%s/%s", hf_status(&rsp, got), hf_alive(d, HF_QUIET_MS));
}

static void hf_case_storm(struct hf_dev *d, char *obs, char *det)
{
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		notify_remote_via_evtchn(d->port);
		if (!(i % 1000))
			cond_resched();
	}
	snprintf(det, HF_OBS, "100000 notifications, no request");
	hf_obs(d, obs, "-");
}

static void hf_case_flood(struct hf_dev *d, char *obs, char *det)
{
	struct blkmq_response rsp[16];
	union blkmq_request_any r;
	unsigned int i, j, k, got, bad = 0, sent = 0, kept = 0;
	int first = d->nr_g;

	/* 2048 fresh grants, 11 per read, 16 reads in flight at a time */
	for (i = 0; i < 2048 / (16 * 11) + 1; i++) {
		for (j = 0; j < 16; j++) {
			if (hf_full_rw(d, &r, obs, BLKMQ_OP_READ, (u64)j * 88,
				       BLKMQ_MAX_SEGMENTS_PER_REQUEST))
				return;
			hf_put(d, &r);
			sent++;
		}
		hf_publish(d, true);
		got = hf_collect(d, rsp, 16, HF_WAIT_MS);
		for (k = 0; k < got; k++)
			bad += rsp[k].status != BLKMQ_RSP_OKAY;
		bad += 16 - got;
	}
	/* how many of those the backend still keeps mapped while connected */
	for (i = first; i < d->nr_g; i++) {
		if (gnttab_try_end_foreign_access(d->g[i].ref))
			d->g[i].state = HF_G_FREED;
		else
			kept++;
	}
	snprintf(det, HF_OBS, "%u grants in %u reads, %u kept mapped, %u failed",
		 d->nr_g - first, sent, kept, bad);
	hf_obs(d, obs, bad ? "error" : kept > grant_cap ? "overcap" : "okay");
}

/*
 * Refused requests, re-published as fast as the backend answers them, then
 * Closing while they keep coming: the backend must still disconnect in
 * bounded time.  A second thread keeps the ring full of requests that fail:
 * 11-segment reads of references never granted, so each costs the backend
 * a map call and us a copy, and we stay ahead.  A slot counts as answered
 * once its first eight bytes hold the request's id (the response's id
 * field), so the thread needs no rsp_prod, which a backend busy consuming
 * may not have published yet.
 */
#define HF_FLOOD_ID(n)		(0xf100d00000000000ULL | (u32)(n))
#define HF_FLOOD_WARMUP_MS	2000
#define HF_FLOOD_HOLD_MS	40000	/* the flood gives up after this */
#define HF_FLOOD_BOUND_MS	10000	/* Closing must be answered within */

struct hf_flood {
	struct hf_dev *d;
	unsigned long sent;
	unsigned long answered;
};

static int hf_flood_fn(void *arg)
{
	struct hf_flood *f = arg;
	struct hf_dev *d = f->d;
	u32 cons = d->req_prod;

	while (!kthread_should_stop()) {
		bool progress = false;

		while (cons != d->req_prod &&
		       READ_ONCE(*(u64 *)&d->sring->ring[cons & (d->nr_ents - 1)]) ==
		       HF_FLOOD_ID(cons)) {
			cons++;
			f->answered++;
			progress = true;
		}
		while (d->req_prod - cons < d->nr_ents) {
			union blkmq_request_any r;

			unsigned int k;

			memset(&r, 0, sizeof(r));
			r.rw.operation = BLKMQ_OP_READ;
			r.rw.nr_segments = BLKMQ_MAX_SEGMENTS_PER_REQUEST;
			r.rw.id = HF_FLOOD_ID(d->req_prod);
			for (k = 0; k < BLKMQ_MAX_SEGMENTS_PER_REQUEST; k++) {
				r.rw.seg[k].gref = HF_NOT_GRANTED;
				r.rw.seg[k].last_sect = 7;
			}
			hf_put(d, &r);
			f->sent++;
			progress = true;
		}
		hf_publish(d, progress);
		if (progress)
			cond_resched();
		else
			usleep_range(50, 100);
	}
	return 0;
}

static void hf_case_flood_close(struct hf_dev *d, char *obs, char *det)
{
	struct hf_flood f = { .d = d };
	struct task_struct *t;
	unsigned long t0, end;
	unsigned int ms;
	int s;

	t = kthread_run(hf_flood_fn, &f, "hostile-flood");
	if (IS_ERR(t)) {
		snprintf(obs, HF_OBS, "nothread");
		return;
	}
	msleep(HF_FLOOD_WARMUP_MS);
	/* dom0 attaches a disk to the good guest now: xenwatch must be free */
	pr_notice("SIGNAL|flood-closing\n");
	t0 = jiffies;
	hf_set_state(d, HF_CLOSING);
	end = t0 + msecs_to_jiffies(HF_FLOOD_HOLD_MS);
	do {
		s = hf_be_state(d);
		if (s == HF_CLOSING || s == HF_CLOSED)
			break;
		msleep(20);
	} while (time_before(jiffies, end));
	ms = jiffies_to_msecs(jiffies - t0);
	kthread_stop(t);
	if (s != HF_CLOSING && s != HF_CLOSED)
		s = hf_wait_be(d, BIT(HF_CLOSING) | BIT(HF_CLOSED), HF_WAIT_MS);
	snprintf(det, HF_OBS, "%lu refusals answered, Closing after %u ms%s", f.answered, ms,
		 s < 0 ? " (never)" : "");
	pr_notice("FLOOD-CLOSE-MS|%u\n", ms);
	snprintf(obs, HF_OBS, "%s", ms <= HF_FLOOD_BOUND_MS ? "closed" :
		 s < 0 ? "stuck" : "slow");
}

/*
 * A full ring of reads, then Closing at once: the backend disconnects while
 * its bios are in flight (the rig's disk completes after 50 ms), so bio
 * completions race the ring's teardown.  On a fault-injection build dom0
 * also stalls the first such completion right after its hand-over.
 */
static void hf_case_close_in_flight(struct hf_dev *d, char *obs, char *det)
{
	union blkmq_request_any r;
	unsigned int i;
	unsigned long t0;
	int gi, s;

	for (i = 0; i < d->nr_ents; i++) {
		gi = hf_grant(d, false);
		if (gi < 0) {
			snprintf(obs, HF_OBS, "nogrant");
			return;
		}
		hf_rw(d, &r, BLKMQ_OP_READ, (u64)i * 8, gi);
		hf_put(d, &r);
	}
	hf_publish(d, true);
	t0 = jiffies;
	hf_set_state(d, HF_CLOSING);
	s = hf_wait_be(d, BIT(HF_CLOSING) | BIT(HF_CLOSED), HF_WAIT_MS);
	snprintf(det, HF_OBS, "%u reads in flight, Closing after %u ms", d->nr_ents,
		 jiffies_to_msecs(jiffies - t0));
	snprintf(obs, HF_OBS, "%s", s < 0 ? "stuck" : "closed");
}

static const struct hf_case hf_cases[] = {
	{ "good", HF_RW, "okay/alive", hf_case_good },
	{ "op-unknown", HF_RW, "eopnotsupp/alive or error/alive", hf_case_op },
	{ "segs-0", HF_RW, "error/alive", hf_case_seg0 },
	{ "segs-12", HF_RW, "error/alive", hf_case_seg12 },
	{ "segs-255", HF_RW, "error/alive", hf_case_seg255 },
	{ "ind-segs-over-max", HF_RW, "error/alive", hf_case_ind_over },
	{ "ind-segs-65535", HF_RW, "error/alive", hf_case_ind_huge },
	{ "ind-page-never-granted", HF_RW, "error/alive", hf_case_ind_badpage },
	{ "first-gt-last", HF_RW, "error/alive", hf_case_first_gt_last },
	{ "last-sect-8", HF_RW, "error/alive", hf_case_last8 },
	{ "sector-past-end", HF_RW, "error/alive", hf_case_past_end },
	{ "sector-overflow", HF_RW, "error/alive", hf_case_overflow },
	{ "write-readonly", HF_RO, "error/alive", hf_case_write_ro },
	{ "misaligned-4k", HF_4K, "error/alive", hf_case_misaligned },
	{ "discard-secure-unoffered", HF_RW, "okay/alive or eopnotsupp/alive", hf_case_secure },
	{ "discard-past-end", HF_RW, "error/alive", hf_case_discard_end },
	{ "gref-never-granted", HF_RW, "error/alive", hf_case_gref_never },
	{ "gref-readonly", HF_RW, "error/alive", hf_case_gref_ro },
	{ "gref-revoked", HF_RW, "error/alive", hf_case_gref_revoked },
	{ "gref-one-bad-of-11", HF_RW, "error/alive", hf_case_gref_mixed },
	{ "slot-rewritten-in-flight", HF_RW, "okay/alive or error/alive or eopnotsupp/alive",
	  hf_case_toctou },
	{ "grant-flood", HF_RW, "okay/alive", hf_case_flood },
	{ "id-reused", HF_RW, "okay/alive", hf_case_dup_id },
	{ "req-prod-far", HF_RW, "none/dead", hf_case_prod_far },
	{ "ring-overrun", HF_RW, "none/dead", hf_case_overrun },
	{ "event-storm", HF_RW, "-/alive", hf_case_storm },
	{ "nq-0", HF_RW, "refused", NULL, { .nq_zero = true, .order = -1,
					      .protocol = BLKMQ_PROTO_X86_64 } },
	{ "nq-huge", HF_RW, "refused", NULL, { .nq = 1000000, .order = -1,
						 .protocol = BLKMQ_PROTO_X86_64 } },
	{ "order-over-max", HF_RW, "refused", NULL, { .order = 31,
						       .protocol = BLKMQ_PROTO_X86_64 } },
	{ "ring-ref-bogus", HF_RW, "refused", NULL, { .order = -1, .ring_ref = HF_NOT_GRANTED,
						       .protocol = BLKMQ_PROTO_X86_64 } },
	{ "evtchn-bogus", HF_RW, "refused", NULL, { .order = -1, .evtchn = 4000,
						     .protocol = BLKMQ_PROTO_X86_64 } },
	{ "protocol-unknown", HF_RW, "refused", NULL, { .order = -1, .protocol = "x86_99-abi" } },
	{ "no-ring-ref", HF_RW, "refused", NULL, { .order = -1, .no_ring_ref = true,
						    .protocol = BLKMQ_PROTO_X86_64 } },
	{ "no-event-channel", HF_RW, "refused", NULL, { .order = -1, .no_evtchn = true,
							 .protocol = BLKMQ_PROTO_X86_64 } },
	{ "ring-ref-trailing-junk", HF_RW, "refused", NULL,
	  { .order = -1, .junk_ref = "junk", .protocol = BLKMQ_PROTO_X86_64 } },
	{ "evtchn-trailing-junk", HF_RW, "refused", NULL,
	  { .order = -1, .junk_evtchn = "x", .protocol = BLKMQ_PROTO_X86_64 } },
	{ "mq-queue-1-missing", HF_RW, "refused", NULL, { .nq = 2, .order = -1,
							    .mq = HF_MQ_Q1_MISSING,
							    .protocol = BLKMQ_PROTO_X86_64 } },
	{ "mq-queue-0-ring-ref-bogus", HF_RW, "refused", NULL,
	  { .nq = 2, .order = -1, .mq = HF_MQ_Q0_BAD_REF, .protocol = BLKMQ_PROTO_X86_64 } },
	{ "mq-queue-1-evtchn-bogus", HF_RW, "refused", NULL,
	  { .nq = 2, .order = -1, .mq = HF_MQ_Q1_BAD_EVTCHN, .protocol = BLKMQ_PROTO_X86_64 } },
	{ "refused-flood-then-close", HF_RW, "closed", hf_case_flood_close },
	{ "close-in-flight", HF_RW, "closed", hf_case_close_in_flight },
	{ "state-flap", HF_RW, "okay/alive", hf_case_good, { .order = -1,
							     .protocol = BLKMQ_PROTO_X86_64 },
	  true },
};

/* Initialised and Closing, back and forth, without waiting for the backend */
static void hf_flap(struct hf_dev *d)
{
	unsigned int i;

	for (i = 0; i < 20; i++) {
		hf_set_state(d, HF_INITIALISED);
		hf_set_state(d, HF_CLOSING);
		hf_set_state(d, HF_CLOSED);
		hf_set_state(d, HF_INITIALISING);
	}
	/*
	 * Let the backend's watch catch up: it may end in Closing, waiting
	 * for a Closed that a well-behaved frontend then writes (hf_reset).
	 */
	msleep(HF_QUIET_MS);
}

static bool hf_expected(const char *expect, const char *obs)
{
	size_t n = strlen(obs);
	const char *p = expect;

	for (;;) {
		if (!strncmp(p, obs, n) && (p[n] == '\0' || p[n] == ' '))
			return true;
		p = strstr(p, " or ");
		if (!p)
			return false;
		p += 4;
	}
}

static bool hf_listed(const char *list, const char *name)
{
	const char *p = list;
	size_t n = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '/' || p[n] == '\0'))
			return true;
		p += strcspn(p, ",/");
		if (*p)
			p++;
	}
	return false;
}

static bool hf_wanted(const char *name)
{
	return (!strcmp(cases, "all") || hf_listed(cases, name)) && !hf_listed(skip, name);
}

static int hf_dev_init(struct hf_dev *d, unsigned int vdev)
{
	snprintf(d->fe, sizeof(d->fe), "device/vbd/%u", vdev);
	d->be = xenbus_read(XBT_NIL, d->fe, "backend", NULL);
	if (IS_ERR(d->be)) {
		int err = PTR_ERR(d->be);

		d->be = NULL;
		return err;
	}
	d->be_id = xenbus_read_unsigned(d->fe, "backend-id", 0);
	init_waitqueue_head(&d->wq);
	d->g = kvcalloc(HF_MAX_GRANTS, sizeof(*d->g), GFP_KERNEL);
	if (!d->g)
		return -ENOMEM;
	/* the toolstack's hotplug script may still be running */
	return hf_wait_be(d, BIT(HF_INITWAIT), 4 * HF_WAIT_MS) < 0 ? -ETIMEDOUT : 0;
}

static void hf_dev_exit(struct hf_dev *d)
{
	/* leave the device idle and closed for the toolstack */
	if (d->be && hf_be_state(d) != HF_CLOSED && hf_be_state(d) != HF_INITWAIT) {
		hf_set_state(d, HF_CLOSING);
		hf_wait_be(d, BIT(HF_CLOSING) | BIT(HF_CLOSED), HF_WAIT_MS);
		hf_set_state(d, HF_CLOSED);
		hf_wait_be(d, BIT(HF_CLOSED), HF_WAIT_MS);
	}
	kvfree(d->g);
	kfree(d->be);
}

static void hf_run(struct hf_dev *d, const struct hf_case *c, unsigned int *fails)
{
	char obs[HF_OBS] = "", det[HF_OBS] = "";
	unsigned int left = 0;
	bool ok;
	int s;

	d->leaky = 0;
	if (c->flap) {
		if (hf_reset(d) == 0)
			hf_flap(d);
	}
	s = hf_connect(d, c->run ? &hf_good_keys : &c->keys);
	if (c->run && s == HF_CONNECTED) {
		c->run(d, obs, det);
	} else if (s == HF_CONNECTED) {
		snprintf(obs, HF_OBS, "connected");
		snprintf(det, HF_OBS, "%s", hf_alive(d, HF_WAIT_MS));
	} else if (s == HF_CLOSING) {
		snprintf(obs, HF_OBS, c->run ? "noconnect" : "refused");
		snprintf(det, HF_OBS, "backend state %d", hf_be_state(d));
	} else {
		snprintf(obs, HF_OBS, s == -ETIMEDOUT ? "timeout" : "failed");
		snprintf(det, HF_OBS, "backend state %d, error %d", hf_be_state(d), s);
	}
	if (hf_disconnect(d, &left) < 0)
		snprintf(det, HF_OBS, "backend did not close");
	ok = hf_expected(c->expect, obs) && !left && !d->leaky;
	if (!ok)
		(*fails)++;
	pr_notice("HOSTILE|%s|%s|%s|%s|left=%u leaky=%u %s\n", c->name, c->expect, obs,
		  judge ? (ok ? "pass" : "FAIL") : (ok ? "same" : "differs"), left, d->leaky,
		  det);
}

static int __init hf_init(void)
{
	static struct hf_dev devs[3];
	unsigned int vdevs[3] = { vdev_rw, vdev_ro, vdev_4k };
	unsigned int i, n = 0, fails = 0;
	int err;

	if (!xen_domain())
		return -ENODEV;
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		if (!vdevs[i])
			continue;
		err = hf_dev_init(&devs[i], vdevs[i]);
		if (err) {
			pr_err("vdevice %u: %d\n", vdevs[i], err);
			goto out;
		}
	}
	for (i = 0; i < ARRAY_SIZE(hf_cases); i++) {
		const struct hf_case *c = &hf_cases[i];

		if (!hf_wanted(c->name) || !vdevs[c->disk])
			continue;
		hf_run(&devs[c->disk], c, &fails);
		n++;
	}
	pr_notice("HOSTILE-SUMMARY cases=%u %s=%u\n", n, judge ? "failed" : "differ", fails);
out:
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		if (vdevs[i])
			hf_dev_exit(&devs[i]);
	return 0;
}

static void __exit hf_exit(void)
{
}

module_init(hf_init);
module_exit(hf_exit);
MODULE_DESCRIPTION("xen-blkmq test tool: a misbehaving Xen block frontend");
MODULE_LICENSE("GPL");
