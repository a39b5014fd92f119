// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-back.c - a misbehaving Xen PV block backend, for rig tests only
 *
 * Serves a guest's "vbd" frontend from a RAM disk (one ring page, direct
 * segments only, no persistent grants, no indirect descriptors), then
 * misbehaves as the module parameters say: "hcases" lists one case per
 * disk number (xvda = 0, xvdb = 1, ...), and "hcase" is the case of any
 * disk the list does not name.  Both are read when a device is probed, so
 * a dom0 script can change them between "xl block-attach"es.
 * Misbehaviour is aimed at requests that touch the trigger window
 * [trig_sector, trig_sector + HB_TRIG_LEN): a guest does good I/O
 * elsewhere first, then provokes the case with one request there.
 *
 * Cases:
 *   none           serve correctly
 *   rsp-id-range   answer with id 0xdeadbeef
 *   rsp-id-dup     hold the first trigger request; at the second, answer
 *                  the first twice and the second never (so that rsp_prod
 *                  stays within the requests published)
 *   rsp-id-never   answer with an in-range id of an idle slot
 *   rsp-op         answer with the wrong operation
 *   rsp-status     answer with status 7, then -77, ...
 *   rsp-prod-past  publish rsp_prod 1000 past what was produced
 *   evt-storm      notify storm_count times with no response, then answer
 *   never-answer   take the request, never answer
 *   close-mid-io   keep the request (and its grants mapped), go Closing,
 *                  then Closed, without answering
 *   sectors-0, sectors-huge, sector-size-3, sector-size-256,
 *   sector-size-huge
 *                  describe a disk of that shape at connect
 *   features-flap  at each trigger rewrite the disk keys (features on/off,
 *                  sector-size, a smaller or the full size) and announce
 *                  Connected again, then answer correctly
 *   features-reconnect
 *                  at each trigger answer, then go Closing; once the
 *                  frontend has closed, offer the disk again (Closed,
 *                  InitWait) with the other shape of features-flap, so
 *                  features come and go across connections
 *   snoop          serve correctly, and scan every mapped data page outside
 *                  the segment's sectors for the marker and for non-zero
 *                  bytes (what a backend could read that it was not given)
 *   notsupp        offer cache flush and discard, then answer every flush
 *                  and discard with EOPNOTSUPP (as the protocol allows)
 *   hold-kill      map the trigger read's pages and keep them mapped,
 *                  answer with id 0xdeadbeef (the frontend kills the ring),
 *                  and hold_ms later write the marker into the pages and
 *                  only then unmap them: a frontend that hands the pages
 *                  back at the kill lets that write land in reused memory
 *   stall-restart  take the trigger request and never answer it; restart_ms
 *                  later go Closed (a driver domain that hung and was
 *                  restarted, its mappings gone) and, once the frontend
 *                  starts over, offer the disk again and serve it correctly
 *   hold-close     map the trigger read's pages and keep them mapped, go
 *                  Closing, then Closed, without answering (the frontend
 *                  tears the connection down, or the disk); hold_ms later
 *                  write the marker into the pages and only then unmap
 *                  them, whatever the frontend did meanwhile
 *
 * Counters are read-only module parameters; "grants_mapped" must be 0
 * once a guest's devices are gone.  Nothing here trusts the frontend:
 * requests are copied out of the ring once and the copy is checked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkmq-if.h>

/* Sectors in the trigger window. */
#define HB_TRIG_LEN		2048ULL
/* Slots in a one-page ring. */
#define HB_RING_SLOTS		BLKMQ_RING_ENTRIES(0)
#define HB_MARKER		"HOSTILEMARKER"
#define HB_CASE_LEN		32

enum hb_case {
	HB_NONE,
	HB_RSP_ID_RANGE,
	HB_RSP_ID_DUP,
	HB_RSP_ID_NEVER,
	HB_RSP_OP,
	HB_RSP_STATUS,
	HB_RSP_PROD_PAST,
	HB_EVT_STORM,
	HB_NEVER_ANSWER,
	HB_CLOSE_MID_IO,
	HB_SECTORS_0,
	HB_SECTORS_HUGE,
	HB_SECTOR_SIZE_3,
	HB_SECTOR_SIZE_256,
	HB_SECTOR_SIZE_HUGE,
	HB_FEATURES_FLAP,
	HB_FEATURES_RECONNECT,
	HB_SNOOP,
	HB_NOTSUPP,
	HB_HOLD_KILL,
	HB_HOLD_CLOSE,
	HB_STALL_RESTART,
	HB_NR_CASES
};

static const char *const hb_case_names[HB_NR_CASES] = {
	[HB_NONE] = "none",
	[HB_RSP_ID_RANGE] = "rsp-id-range",
	[HB_RSP_ID_DUP] = "rsp-id-dup",
	[HB_RSP_ID_NEVER] = "rsp-id-never",
	[HB_RSP_OP] = "rsp-op",
	[HB_RSP_STATUS] = "rsp-status",
	[HB_RSP_PROD_PAST] = "rsp-prod-past",
	[HB_EVT_STORM] = "evt-storm",
	[HB_NEVER_ANSWER] = "never-answer",
	[HB_CLOSE_MID_IO] = "close-mid-io",
	[HB_SECTORS_0] = "sectors-0",
	[HB_SECTORS_HUGE] = "sectors-huge",
	[HB_SECTOR_SIZE_3] = "sector-size-3",
	[HB_SECTOR_SIZE_256] = "sector-size-256",
	[HB_SECTOR_SIZE_HUGE] = "sector-size-huge",
	[HB_FEATURES_FLAP] = "features-flap",
	[HB_FEATURES_RECONNECT] = "features-reconnect",
	[HB_SNOOP] = "snoop",
	[HB_NOTSUPP] = "notsupp",
	[HB_HOLD_KILL] = "hold-kill",
	[HB_HOLD_CLOSE] = "hold-close",
	[HB_STALL_RESTART] = "stall-restart",
};

static char hcase[HB_CASE_LEN] = "none";
module_param_string(hcase, hcase, sizeof(hcase), 0644);
MODULE_PARM_DESC(hcase, "How the next device probed misbehaves (see the file's header; default: none)");

static char hcases[512];
module_param_string(hcases, hcases, sizeof(hcases), 0644);
MODULE_PARM_DESC(hcases, "Comma-separated cases by disk number: xvda first (default: empty)");

static unsigned long disk_sectors = 65536;
module_param(disk_sectors, ulong, 0444);
MODULE_PARM_DESC(disk_sectors, "RAM disk size in 512-byte sectors (default: 65536)");

static unsigned long trig_sector = 32768;
module_param(trig_sector, ulong, 0644);
MODULE_PARM_DESC(trig_sector, "First sector of the 2048-sector trigger window (default: 32768)");

static unsigned int restart_ms = 12000;
module_param(restart_ms, uint, 0644);
MODULE_PARM_DESC(restart_ms, "How long stall-restart leaves the trigger request unanswered before it restarts (default: 12000)");

static unsigned int hold_ms = 5000;
module_param(hold_ms, uint, 0644);
MODULE_PARM_DESC(hold_ms, "How long hold-kill and hold-close keep the pages mapped after the bad answer or the close (default: 5000)");

static unsigned int storm_count = 100000;
module_param(storm_count, uint, 0644);
MODULE_PARM_DESC(storm_count, "Notifications sent by evt-storm (default: 100000)");

/* Counters for the rig, read through read-only module parameters. */
static atomic_long_t hb_grants_mapped = ATOMIC_LONG_INIT(0);
static atomic_long_t hb_snoop_pages = ATOMIC_LONG_INIT(0);
static atomic_long_t hb_snoop_hits = ATOMIC_LONG_INIT(0);
static atomic_long_t hb_snoop_nonzero = ATOMIC_LONG_INIT(0);
static atomic_long_t hb_requests = ATOMIC_LONG_INIT(0);

static int hb_counter_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops hb_counter_ops = {
	.get = hb_counter_get,
};

module_param_cb(grants_mapped, &hb_counter_ops, &hb_grants_mapped, 0444);
MODULE_PARM_DESC(grants_mapped, "Grants mapped now, ring pages excluded (read-only)");
module_param_cb(snoop_pages, &hb_counter_ops, &hb_snoop_pages, 0444);
MODULE_PARM_DESC(snoop_pages, "snoop: data pages scanned since the last snoop device was probed (read-only)");
module_param_cb(snoop_hits, &hb_counter_ops, &hb_snoop_hits, 0444);
MODULE_PARM_DESC(snoop_hits, "snoop: pages with the marker outside the segment (read-only)");
module_param_cb(snoop_nonzero, &hb_counter_ops, &hb_snoop_nonzero, 0444);
MODULE_PARM_DESC(snoop_nonzero, "snoop: non-zero bytes seen outside segments (read-only)");
module_param_cb(requests, &hb_counter_ops, &hb_requests, 0444);
MODULE_PARM_DESC(requests, "Requests taken off rings since load (read-only)");

/*
 * The RAM disk all devices share.  The rig serves one device at a time;
 * two guests writing it at once would only see each other's data.
 */
static u8 *hb_disk;
static struct workqueue_struct *hb_wq;

/**
 * struct hb_dev - one vbd served by this module
 * @xbdev: the XenBus device
 * @mutex: serialises connect, disconnect and remove (XenBus watch vs. remove)
 * @hcase: the case chosen at probe
 * @work: drains the ring; the only user of the fields below @irq
 * @sring: the shared ring, mapped
 * @irq: the event channel's irq, 0 when unbound
 * @stop: set to stop the work taking requests (case done or disconnecting)
 * @req_cons: requests taken off the ring
 * @rsp_prod_pvt: responses written, not necessarily published
 * @triggers: trigger-window requests seen
 * @dup_held: rsp-id-dup holds a request (@dup_id, @dup_op) unanswered
 * @dup_id: its id
 * @dup_op: its operation
 * @replug: features-reconnect: offer the disk again once the frontend closed
 * @flapped: features-reconnect: the next connection shows the second shape
 * @restarted: stall-restart: restarted once; serves correctly from then on
 * @pages: one page per segment, for mapping grants
 * @held_pages: the held request's pages (close-mid-io), still mapped
 * @held_unmap: unmap operations for @held_pages
 * @nr_held: entries used in @held_pages
 * @release_work: hold-kill, hold-close: writes the marker into @held_pages and unmaps
 * @restart_work: stall-restart: goes Closed restart_ms after the trigger
 */
struct hb_dev {
	struct xenbus_device *xbdev;
	struct mutex mutex;	/* connect, disconnect, remove */
	enum hb_case hcase;
	struct work_struct work;
	struct blkmq_sring *sring;
	int irq;
	bool stop;
	u32 req_cons;
	u32 rsp_prod_pvt;
	u32 triggers;
	bool dup_held;
	u64 dup_id;
	u8 dup_op;
	bool replug;
	bool flapped;
	bool restarted;
	struct page *pages[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
	struct page *held_pages[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
	struct gnttab_unmap_grant_ref held_unmap[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
	unsigned int nr_held;
	struct delayed_work release_work;
	struct delayed_work restart_work;
};

/* The disk number of a vdevice (xvda = 0): both encodings, -1 if neither. */
static long hb_disk_number(u32 vdevice)
{
	if (vdevice & (1U << 28))
		return (vdevice >> 8) & 0xfffff;
	if ((vdevice >> 8) == 202)
		return (vdevice >> 4) & 0xf;
	return -1;
}

/* The case for the device at XenBus node @nodename (".../<vdevice>"). */
static enum hb_case hb_case_of(const char *nodename)
{
	char list[sizeof(hcases)], one[HB_CASE_LEN];
	const char *slash = strrchr(nodename, '/');
	char *p = list, *item = NULL;
	long nr = -1;
	u32 vdevice;
	int i;

	if (slash && !kstrtou32(slash + 1, 10, &vdevice))
		nr = hb_disk_number(vdevice);
	kernel_param_lock(THIS_MODULE);
	strscpy(list, hcases, sizeof(list));
	strscpy(one, hcase, sizeof(one));
	kernel_param_unlock(THIS_MODULE);
	for (i = 0; p && i <= nr; i++)
		item = strsep(&p, ",");
	if (item && i == nr + 1 && *strim(item))
		strscpy(one, strim(item), sizeof(one));
	i = match_string(hb_case_names, HB_NR_CASES, strim(one));
	return i < 0 ? HB_NONE : i;
}

/* ---- Responses ---------------------------------------------------------- */

static void hb_put_rsp(struct hb_dev *hb, u64 id, u8 op, s16 status)
{
	struct blkmq_response *rsp;

	rsp = &hb->sring->ring[hb->rsp_prod_pvt & (HB_RING_SLOTS - 1)].rsp;
	rsp->id = id;
	rsp->operation = op;
	rsp->_pad0 = 0;
	rsp->status = status;
	rsp->_pad1 = 0;
	hb->rsp_prod_pvt++;
}

/* Publish the responses written, plus @past, and notify. */
static void hb_push(struct hb_dev *hb, u32 past)
{
	/* The responses are visible before the index that publishes them. */
	virt_wmb();
	WRITE_ONCE(hb->sring->rsp_prod, hb->rsp_prod_pvt + past);
	notify_remote_via_irq(hb->irq);
}

/* ---- Data --------------------------------------------------------------- */

static bool hb_find_marker(const u8 *p, size_t len)
{
	const size_t m = sizeof(HB_MARKER) - 1;
	size_t i;

	for (i = 0; i + m <= len; i++)
		if (p[i] == 'H' && !memcmp(p + i, HB_MARKER, m))
			return true;
	return false;
}

static size_t hb_count_nonzero(const u8 *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += p[i] != 0;
	return n;
}

/* snoop: look at what the page holds outside [@from, @to). */
static void hb_snoop(const u8 *page, size_t from, size_t to)
{
	bool hit;

	hit = hb_find_marker(page, from) ||
	      hb_find_marker(page + to, PAGE_SIZE - to);
	atomic_long_inc(&hb_snoop_pages);
	if (hit)
		atomic_long_inc(&hb_snoop_hits);
	atomic_long_add(hb_count_nonzero(page, from) +
			hb_count_nonzero(page + to, PAGE_SIZE - to),
			&hb_snoop_nonzero);
}

static void hb_unmap(struct gnttab_unmap_grant_ref *unmap,
		     struct page **pages, unsigned int n)
{
	if (!n)
		return;
	if (gnttab_unmap_refs(unmap, NULL, pages, n))
		pr_err("unmapping %u grants failed\n", n);
	atomic_long_sub(n, &hb_grants_mapped);
}

/*
 * Map the request's segments, copy between them and the RAM disk, and
 * unless @hold, unmap them again.  @req was checked by the caller.
 * Return: a blkif status.
 */
static s16 hb_rw(struct hb_dev *hb, const struct blkmq_request *req, bool hold)
{
	struct gnttab_map_grant_ref map[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
	struct gnttab_unmap_grant_ref unmap[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
	struct page **pages = hold ? hb->held_pages : hb->pages;
	bool write = req->operation == BLKMQ_OP_WRITE;
	u32 flags = GNTMAP_host_map | (write ? GNTMAP_readonly : 0);
	unsigned int i, n = req->nr_segments, nr_mapped = 0;
	u64 sector = req->sector_number;
	s16 status = BLKMQ_RSP_OKAY;
	int err;

	for (i = 0; i < n; i++)
		gnttab_set_map_op(&map[i],
				  (unsigned long)pfn_to_kaddr(page_to_pfn(pages[i])),
				  flags, req->seg[i].gref,
				  hb->xbdev->otherend_id);
	err = gnttab_map_refs(map, NULL, pages, n);
	for (i = 0; i < n; i++) {
		if (err || map[i].status != GNTST_okay) {
			status = BLKMQ_RSP_ERROR;
			continue;
		}
		gnttab_set_unmap_op(&unmap[nr_mapped],
				    (unsigned long)pfn_to_kaddr(page_to_pfn(pages[i])),
				    flags, map[i].handle);
		/* Keep mapped pages first, so one unmap call takes them all. */
		swap(pages[nr_mapped], pages[i]);
		map[nr_mapped] = map[i];
		nr_mapped++;
	}
	atomic_long_add(nr_mapped, &hb_grants_mapped);
	if (status != BLKMQ_RSP_OKAY) {
		pr_warn_ratelimited("%s: mapping a grant failed\n",
				    hb->xbdev->nodename);
		hold = false;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct blkmq_segment *seg = &req->seg[i];
		size_t from = seg->first_sect << BLKMQ_SECTOR_SHIFT;
		size_t to = (seg->last_sect + 1) << BLKMQ_SECTOR_SHIFT;
		u8 *page = page_address(pages[i]);
		u8 *disk = hb_disk + (sector << BLKMQ_SECTOR_SHIFT);

		if (write)
			memcpy(disk, page + from, to - from);
		else
			memcpy(page + from, disk, to - from);
		if (hb->hcase == HB_SNOOP)
			hb_snoop(page, from, to);
		sector += seg->last_sect - seg->first_sect + 1;
	}
out:
	if (hold) {
		memcpy(hb->held_unmap, unmap, nr_mapped * sizeof(unmap[0]));
		hb->nr_held = nr_mapped;
	} else {
		hb_unmap(unmap, pages, nr_mapped);
	}
	return status;
}

/* Is @req a read or write we can serve?  Sets *@nr to its sectors. */
static bool hb_rw_ok(const struct blkmq_request *req, u64 *nr)
{
	unsigned int i;

	*nr = 0;
	if (!req->nr_segments ||
	    req->nr_segments > BLKMQ_MAX_SEGMENTS_PER_REQUEST)
		return false;
	for (i = 0; i < req->nr_segments; i++) {
		const struct blkmq_segment *seg = &req->seg[i];

		if (seg->first_sect > seg->last_sect ||
		    seg->last_sect >= BLKMQ_SECTORS_PER_PAGE)
			return false;
		*nr += seg->last_sect - seg->first_sect + 1;
	}
	return req->sector_number < disk_sectors &&
	       *nr <= disk_sectors - req->sector_number;
}

/* ---- Misbehaviour ------------------------------------------------------- */

/* Write the keys that describe the disk; @flap picks the second shape. */
static int hb_write_disk_keys(struct hb_dev *hb, bool flap)
{
	const char *node = hb->xbdev->nodename;
	unsigned long long sectors = disk_sectors;
	unsigned int ssize = BLKMQ_SECTOR_SIZE;
	bool discard = flap || hb->hcase == HB_NOTSUPP;
	int err;

	switch (hb->hcase) {
	case HB_SECTORS_0:
		sectors = 0;
		break;
	case HB_SECTORS_HUGE:
		sectors = ~0ULL;
		break;
	case HB_SECTOR_SIZE_3:
		ssize = 3;
		break;
	case HB_SECTOR_SIZE_256:
		ssize = 256;
		break;
	case HB_SECTOR_SIZE_HUGE:
		ssize = 1U << 30;
		break;
	default:
		break;
	}
	if (flap) {
		sectors = disk_sectors / 4 * 3;
		ssize = 4096;
	}
	err = xenbus_printf(XBT_NIL, node, BLKMQ_XS_SECTORS, "%llu", sectors);
	if (!err)
		err = xenbus_printf(XBT_NIL, node, BLKMQ_XS_SECTOR_SIZE, "%u",
				    ssize);
	if (!err)
		err = xenbus_printf(XBT_NIL, node, BLKMQ_XS_INFO, "%u", 0);
	if (!err)
		err = xenbus_printf(XBT_NIL, node,
				    BLKMQ_XS_FEATURE_FLUSH_CACHE, "%d", !flap);
	if (!err)
		err = xenbus_printf(XBT_NIL, node, BLKMQ_XS_FEATURE_DISCARD,
				    "%d", discard);
	if (!err && discard)
		err = xenbus_printf(XBT_NIL, node,
				    BLKMQ_XS_DISCARD_GRANULARITY, "%u", 4096);
	return err;
}

/* What hb_write_disk_keys() describes for @flap. */
static const char *hb_shape(bool flap)
{
	return flap ? "no flush, discard, 4096-byte sectors, 3/4 size" :
		      "flush, no discard, 512-byte sectors, full size";
}

/*
 * features-flap: the odd triggers describe another disk, the even ones
 * the first one again, and each announces Connected once more (written
 * directly: xenbus_switch_state() does nothing for the same state).
 */
static void hb_flap(struct hb_dev *hb)
{
	bool flap = hb->triggers & 1;
	int err;

	err = hb_write_disk_keys(hb, flap);
	if (!err)
		err = xenbus_printf(XBT_NIL, hb->xbdev->nodename, "state", "%d",
				    XenbusStateConnected);
	pr_info("%s: features-flap %u: %s%s\n", hb->xbdev->nodename,
		hb->triggers, hb_shape(flap), err ? " (writing failed)" : "");
}

/*
 * hold-kill and hold-close, hold_ms after the bad answer or the close:
 * write into the pages the frontend may have handed back by now, then let
 * go of them.  Nothing else touches the held pages meanwhile (the ring is
 * stopped); a disconnect cancels this before it unmaps what is left,
 * except hold-close's, which leaves it to run (only removal cancels it).
 */
static void hb_release_held(struct work_struct *work)
{
	struct hb_dev *hb = container_of(to_delayed_work(work), struct hb_dev,
					 release_work);
	unsigned int i;

	for (i = 0; i < hb->nr_held; i++)
		memcpy(page_address(hb->held_pages[i]), HB_MARKER,
		       sizeof(HB_MARKER) - 1);
	pr_info("%s: %s: wrote the marker into %u held page(s); unmapping them\n",
		hb->xbdev->nodename, hb_case_names[hb->hcase], hb->nr_held);
	hb_unmap(hb->held_unmap, hb->held_pages, hb->nr_held);
	hb->nr_held = 0;
}

static void hb_disconnect(struct hb_dev *hb, bool removing);

/*
 * stall-restart, restart_ms after the unanswered trigger: drop the
 * connection (a restarted driver domain keeps no mapping) and go Closed;
 * the frontend starting over (Initialising) is offered the disk again.
 */
static void hb_restart(struct work_struct *work)
{
	struct hb_dev *hb = container_of(to_delayed_work(work), struct hb_dev,
					 restart_work);

	mutex_lock(&hb->mutex);
	hb->restarted = true;
	hb_disconnect(hb, false);
	pr_info("%s: stall-restart: Closed, every grant unmapped\n",
		hb->xbdev->nodename);
	xenbus_switch_state(hb->xbdev, XenbusStateClosed);
	mutex_unlock(&hb->mutex);
}

/* close-mid-io: with the request held, go away under the frontend. */
static void hb_close_under(struct hb_dev *hb)
{
	hb->stop = true;
	pr_info("%s: close-mid-io: Closing with a request in flight\n",
		hb->xbdev->nodename);
	xenbus_switch_state(hb->xbdev, XenbusStateClosing);
	msleep(1000);
	pr_info("%s: close-mid-io: Closed\n", hb->xbdev->nodename);
	xenbus_switch_state(hb->xbdev, XenbusStateClosed);
}

/* Answer a trigger-window request the hostile way. */
static void hb_misbehave(struct hb_dev *hb, const struct blkmq_request *req,
			 s16 status)
{
	const char *node = hb->xbdev->nodename;
	unsigned int i;

	switch (hb->hcase) {
	case HB_RSP_ID_RANGE:
		pr_info("%s: answering id 0xdeadbeef for %llu\n", node, req->id);
		hb_put_rsp(hb, 0xdeadbeefULL, req->operation, status);
		break;
	case HB_RSP_ID_DUP:
		if (!hb->dup_held) {
			hb->dup_held = true;
			hb->dup_id = req->id;
			hb->dup_op = req->operation;
			pr_info("%s: holding %llu\n", node, req->id);
			return;
		}
		pr_info("%s: answering %llu twice, %llu never\n", node,
			hb->dup_id, req->id);
		hb_put_rsp(hb, hb->dup_id, hb->dup_op, status);
		hb_put_rsp(hb, hb->dup_id, hb->dup_op, status);
		hb->stop = true;
		break;
	case HB_RSP_ID_NEVER:
		/* Half a ring away from the only request in flight. */
		pr_info("%s: answering id %llu for %llu\n", node,
			(req->id + HB_RING_SLOTS / 2) % HB_RING_SLOTS, req->id);
		hb_put_rsp(hb, (req->id + HB_RING_SLOTS / 2) % HB_RING_SLOTS,
			   req->operation, status);
		break;
	case HB_RSP_OP:
		pr_info("%s: answering %llu with operation %u\n", node, req->id,
			req->operation ^ 1);
		hb_put_rsp(hb, req->id, req->operation ^ 1, status);
		break;
	case HB_RSP_STATUS:
		status = hb->triggers & 1 ? 7 : -77;
		pr_info("%s: answering %llu with status %d\n", node, req->id,
			status);
		hb_put_rsp(hb, req->id, req->operation, status);
		break;
	case HB_RSP_PROD_PAST:
		pr_info("%s: publishing rsp_prod %u past the responses\n", node,
			1000);
		hb_put_rsp(hb, req->id, req->operation, status);
		hb_push(hb, 1000);
		hb->stop = true;
		return;
	case HB_EVT_STORM:
		pr_info("%s: %u notifications, no response\n", node,
			storm_count);
		for (i = 0; i < storm_count; i++) {
			notify_remote_via_irq(hb->irq);
			if (!(i % 1024))
				cond_resched();
		}
		hb_put_rsp(hb, req->id, req->operation, status);
		pr_info("%s: storm over, answered %llu\n", node, req->id);
		break;
	case HB_NEVER_ANSWER:
		pr_info("%s: never answering %llu\n", node, req->id);
		return;
	case HB_STALL_RESTART:
		pr_info("%s: stall-restart: not answering %llu; restarting in %u ms\n",
			node, req->id, restart_ms);
		schedule_delayed_work(&hb->restart_work,
				      msecs_to_jiffies(restart_ms));
		return;
	case HB_FEATURES_FLAP:
		hb_flap(hb);
		hb_put_rsp(hb, req->id, req->operation, status);
		break;
	case HB_FEATURES_RECONNECT:
		hb_put_rsp(hb, req->id, req->operation, status);
		hb_push(hb, 0);
		hb->stop = true;
		hb->replug = true;
		hb->flapped = !hb->flapped;
		pr_info("%s: features-reconnect: answered %llu, Closing; next: %s\n",
			node, req->id, hb_shape(hb->flapped));
		xenbus_switch_state(hb->xbdev, XenbusStateClosing);
		return;
	default:
		hb_put_rsp(hb, req->id, req->operation, status);
		break;
	}
	hb_push(hb, 0);
}

static bool hb_misbehaves_on_trigger(enum hb_case c)
{
	return c != HB_NONE && c != HB_SNOOP && c != HB_NOTSUPP && c != HB_SECTORS_0 &&
	       c != HB_SECTORS_HUGE && c != HB_SECTOR_SIZE_3 &&
	       c != HB_SECTOR_SIZE_256 && c != HB_SECTOR_SIZE_HUGE;
}

/* ---- The ring ----------------------------------------------------------- */

static void hb_handle(struct hb_dev *hb, const struct blkmq_request *req)
{
	bool trigger = false, hold;
	s16 status;
	u64 nr;

	atomic_long_inc(&hb_requests);
	switch (req->operation) {
	case BLKMQ_OP_READ:
	case BLKMQ_OP_WRITE:
		if (!hb_rw_ok(req, &nr)) {
			status = BLKMQ_RSP_ERROR;
			break;
		}
		trigger = hb_misbehaves_on_trigger(hb->hcase) && !hb->restarted &&
			  req->sector_number < trig_sector + HB_TRIG_LEN &&
			  req->sector_number + nr > trig_sector;
		hold = trigger && !hb->nr_held &&
		       (hb->hcase == HB_CLOSE_MID_IO || hb->hcase == HB_HOLD_KILL ||
			hb->hcase == HB_HOLD_CLOSE);
		status = hb_rw(hb, req, hold);
		if (hold && hb->nr_held && hb->hcase == HB_HOLD_KILL &&
		    req->operation == BLKMQ_OP_READ) {
			hb->triggers++;
			pr_info("%s: hold-kill: keeping %u page(s) of %llu mapped, answering id 0xdeadbeef; marker and unmap in %u ms\n",
				hb->xbdev->nodename, hb->nr_held, req->id, hold_ms);
			hb_put_rsp(hb, 0xdeadbeefULL, req->operation, status);
			hb_push(hb, 0);
			hb->stop = true;
			schedule_delayed_work(&hb->release_work,
					      msecs_to_jiffies(hold_ms));
			return;
		}
		if (hold && hb->nr_held && hb->hcase == HB_HOLD_CLOSE &&
		    req->operation == BLKMQ_OP_READ) {
			hb->triggers++;
			pr_info("%s: hold-close: keeping %u page(s) of %llu mapped, unanswered; marker and unmap in %u ms\n",
				hb->xbdev->nodename, hb->nr_held, req->id, hold_ms);
			schedule_delayed_work(&hb->release_work,
					      msecs_to_jiffies(hold_ms));
			hb_close_under(hb);
			return;
		}
		if (hold && hb->hcase == HB_CLOSE_MID_IO) {
			hb_close_under(hb);
			return;
		}
		break;
	case BLKMQ_OP_FLUSH_DISKCACHE:
		status = hb->hcase == HB_NOTSUPP ? BLKMQ_RSP_EOPNOTSUPP : BLKMQ_RSP_OKAY;
		break;
	default:
		status = BLKMQ_RSP_EOPNOTSUPP;
		break;
	}
	if (trigger) {
		hb->triggers++;
		hb_misbehave(hb, req, status);
		return;
	}
	hb_put_rsp(hb, req->id, req->operation, status);
	hb_push(hb, 0);
}

static void hb_work(struct work_struct *work)
{
	struct hb_dev *hb = container_of(work, struct hb_dev, work);
	struct blkmq_request req;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;
	u32 rp;

again:
	if (READ_ONCE(hb->stop))
		goto out;
	rp = READ_ONCE(hb->sring->req_prod);
	/* Read the requests only after the index that published them. */
	virt_rmb();
	if (rp - hb->req_cons > HB_RING_SLOTS) {
		pr_err_ratelimited("%s: req_prod %u runs %u past the ring; stopping\n",
				   hb->xbdev->nodename, rp, rp - hb->req_cons);
		hb->stop = true;
		goto out;
	}
	while (hb->req_cons != rp && !hb->stop) {
		/* Copy the whole slot once; only the copy is looked at. */
		memcpy(&req, &hb->sring->ring[hb->req_cons &
					      (HB_RING_SLOTS - 1)].req.rw,
		       sizeof(req));
		hb->req_cons++;
		eoi = 0;
		hb_handle(hb, &req);
	}
	if (hb->stop)
		goto out;
	WRITE_ONCE(hb->sring->req_event, hb->req_cons + 1);
	/* req_event is visible before req_prod is read again */
	virt_mb();
	if (READ_ONCE(hb->sring->req_prod) != hb->req_cons)
		goto again;
out:
	xen_irq_lateeoi(hb->irq, eoi);
}

static irqreturn_t hb_interrupt(int irq, void *dev_id)
{
	struct hb_dev *hb = dev_id;

	/* An event can come before the binding returned the irq number. */
	WRITE_ONCE(hb->irq, irq);
	queue_work(hb_wq, &hb->work);
	return IRQ_HANDLED;
}

/* ---- XenBus ------------------------------------------------------------- */

static int hb_read_u32(struct xenbus_device *dev, const char *key, u32 *val)
{
	return xenbus_scanf(XBT_NIL, dev->otherend, key, "%u", val) == 1 ?
	       0 : -EINVAL;
}

/* Frontend Initialised or Connected: map its ring and go Connected. */
static void hb_connect(struct hb_dev *hb)
{
	struct xenbus_device *dev = hb->xbdev;
	grant_ref_t ref;
	void *addr;
	char *proto;
	u32 evtchn;
	int err;

	if (hb->sring)
		return;
	if (hb_read_u32(dev, BLKMQ_XS_RING_REF, &ref) ||
	    hb_read_u32(dev, BLKMQ_XS_EVENT_CHANNEL, &evtchn)) {
		xenbus_dev_fatal(dev, -EINVAL, "reading ring-ref/event-channel");
		return;
	}
	proto = xenbus_read(XBT_NIL, dev->otherend, BLKMQ_XS_PROTOCOL, NULL);
	if (!IS_ERR(proto)) {
		err = strcmp(proto, BLKMQ_PROTO_X86_64) ? -EPROTO : 0;
		kfree(proto);
		if (err) {
			xenbus_dev_fatal(dev, err, "only %s is served",
					 BLKMQ_PROTO_X86_64);
			return;
		}
	}
	err = xenbus_map_ring_valloc(dev, &ref, 1, &addr);
	if (err) {
		xenbus_dev_fatal(dev, err, "mapping ring-ref %u", ref);
		return;
	}
	hb->sring = addr;
	hb->req_cons = 0;
	hb->rsp_prod_pvt = 0;
	hb->stop = false;
	hb->triggers = 0;
	hb->dup_held = false;
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev, evtchn,
							    hb_interrupt, 0,
							    "hostile-back", hb);
	if (err < 0) {
		xenbus_dev_fatal(dev, err, "binding event channel %u", evtchn);
		goto err_unmap;
	}
	hb->irq = err;
	err = hb_write_disk_keys(hb, hb->flapped);
	if (err) {
		xenbus_dev_fatal(dev, err, "writing the disk keys");
		goto err_unbind;
	}
	xenbus_switch_state(dev, XenbusStateConnected);
	pr_info("%s: connected, case %s\n", dev->nodename,
		hb_case_names[hb->hcase]);
	return;

err_unbind:
	unbind_from_irqhandler(hb->irq, hb);
	hb->irq = 0;
err_unmap:
	xenbus_unmap_ring_vfree(dev, hb->sring);
	hb->sring = NULL;
}

/* Stop serving and let go of everything the frontend gave us. */
static void hb_disconnect(struct hb_dev *hb, bool removing)
{
	if (hb->irq) {
		/* No new work is queued once the irq is gone. */
		unbind_from_irqhandler(hb->irq, hb);
		hb->irq = 0;
	}
	cancel_work_sync(&hb->work);
	if (removing || hb->hcase != HB_HOLD_CLOSE) {
		cancel_delayed_work_sync(&hb->release_work);
		hb_unmap(hb->held_unmap, hb->held_pages, hb->nr_held);
		hb->nr_held = 0;
	}
	if (hb->sring) {
		xenbus_unmap_ring_vfree(hb->xbdev, hb->sring);
		hb->sring = NULL;
		pr_info("%s: disconnected after %u trigger(s); %ld grants mapped\n",
			hb->xbdev->nodename, hb->triggers,
			atomic_long_read(&hb_grants_mapped));
		if (hb->hcase == HB_SNOOP)
			pr_info("%s: snoop: %ld pages, %ld with the marker outside the segment, %ld non-zero bytes outside\n",
				hb->xbdev->nodename,
				atomic_long_read(&hb_snoop_pages),
				atomic_long_read(&hb_snoop_hits),
				atomic_long_read(&hb_snoop_nonzero));
	}
}

static void hb_frontend_changed(struct xenbus_device *dev,
				enum xenbus_state fstate)
{
	struct hb_dev *hb = dev_get_drvdata(&dev->dev);

	mutex_lock(&hb->mutex);
	switch (fstate) {
	case XenbusStateInitialising:
		/* The frontend starts over: offer the disk again. */
		if (dev->state == XenbusStateClosed)
			xenbus_switch_state(dev, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		if (dev->state == XenbusStateInitWait)
			hb_connect(hb);
		break;
	case XenbusStateClosing:
		hb_disconnect(hb, false);
		xenbus_switch_state(dev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		hb_disconnect(hb, false);
		xenbus_switch_state(dev, XenbusStateClosed);
		if (hb->replug) {
			/* features-reconnect: a backend that came back */
			hb->replug = false;
			pr_info("%s: features-reconnect: offering the disk again\n",
				dev->nodename);
			xenbus_switch_state(dev, XenbusStateInitWait);
			break;
		}
		if (xenbus_dev_is_online(dev))
			break;
		fallthrough;
	case XenbusStateUnknown:
		mutex_unlock(&hb->mutex);
		device_unregister(&dev->dev);
		return;
	default:
		break;
	}
	mutex_unlock(&hb->mutex);
}

static int hb_probe(struct xenbus_device *dev,
		    const struct xenbus_device_id *id)
{
	struct hb_dev *hb;
	int err;

	hb = kzalloc(sizeof(*hb), GFP_KERNEL);
	if (!hb)
		return -ENOMEM;
	hb->xbdev = dev;
	mutex_init(&hb->mutex);
	INIT_WORK(&hb->work, hb_work);
	INIT_DELAYED_WORK(&hb->release_work, hb_release_held);
	INIT_DELAYED_WORK(&hb->restart_work, hb_restart);
	hb->hcase = hb_case_of(dev->nodename);
	err = gnttab_alloc_pages(BLKMQ_MAX_SEGMENTS_PER_REQUEST, hb->pages);
	if (err)
		goto err_free;
	err = gnttab_alloc_pages(BLKMQ_MAX_SEGMENTS_PER_REQUEST,
				 hb->held_pages);
	if (err)
		goto err_pages;
	if (hb->hcase == HB_SNOOP) {
		atomic_long_set(&hb_snoop_pages, 0);
		atomic_long_set(&hb_snoop_hits, 0);
		atomic_long_set(&hb_snoop_nonzero, 0);
	}
	dev_set_drvdata(&dev->dev, hb);
	err = xenbus_printf(XBT_NIL, dev->nodename,
			    BLKMQ_XS_FEATURE_FLUSH_CACHE, "%d", 1);
	if (!err)
		err = xenbus_switch_state(dev, XenbusStateInitWait);
	if (err) {
		xenbus_dev_fatal(dev, err, "offering the disk");
		goto err_held;
	}
	pr_info("%s: probed, case %s\n", dev->nodename,
		hb_case_names[hb->hcase]);
	return 0;

err_held:
	dev_set_drvdata(&dev->dev, NULL);
	gnttab_free_pages(BLKMQ_MAX_SEGMENTS_PER_REQUEST, hb->held_pages);
err_pages:
	gnttab_free_pages(BLKMQ_MAX_SEGMENTS_PER_REQUEST, hb->pages);
err_free:
	kfree(hb);
	return err;
}

static void hb_remove(struct xenbus_device *dev)
{
	struct hb_dev *hb = dev_get_drvdata(&dev->dev);

	cancel_delayed_work_sync(&hb->restart_work);
	mutex_lock(&hb->mutex);
	hb_disconnect(hb, true);
	mutex_unlock(&hb->mutex);
	dev_set_drvdata(&dev->dev, NULL);
	gnttab_free_pages(BLKMQ_MAX_SEGMENTS_PER_REQUEST, hb->held_pages);
	gnttab_free_pages(BLKMQ_MAX_SEGMENTS_PER_REQUEST, hb->pages);
	pr_info("%s: removed\n", dev->nodename);
	kfree(hb);
}

static const struct xenbus_device_id hb_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver hb_driver = {
	.name = "xen-blkmq-hostile-back",
	.ids = hb_ids,
	.probe = hb_probe,
	.remove = hb_remove,
	.otherend_changed = hb_frontend_changed,
};

static int __init hb_init(void)
{
	int err;

	if (!xen_initial_domain() && !xen_pv_domain())
		return -ENODEV;
	if (!disk_sectors || disk_sectors > (1UL << 22))
		return -EINVAL;
	hb_disk = vzalloc(disk_sectors << BLKMQ_SECTOR_SHIFT);
	if (!hb_disk)
		return -ENOMEM;
	hb_wq = alloc_workqueue("hostile-back", WQ_MEM_RECLAIM, 0);
	if (!hb_wq) {
		err = -ENOMEM;
		goto err_disk;
	}
	err = xenbus_register_backend(&hb_driver);
	if (err)
		goto err_wq;
	pr_info("serving a %lu-sector RAM disk; next case %s\n", disk_sectors,
		hcase);
	return 0;

err_wq:
	destroy_workqueue(hb_wq);
err_disk:
	vfree(hb_disk);
	return err;
}
module_init(hb_init);

static void __exit hb_exit(void)
{
	xenbus_unregister_driver(&hb_driver);
	destroy_workqueue(hb_wq);
	vfree(hb_disk);
}
module_exit(hb_exit);

MODULE_DESCRIPTION("Misbehaving Xen PV block backend for tests (never for production)");
MODULE_LICENSE("GPL");
