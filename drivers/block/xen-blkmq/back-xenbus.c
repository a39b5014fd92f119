// SPDX-License-Identifier: GPL-2.0-only
/*
 * back-xenbus.c - xen-blkmq-back control plane
 *
 * States we walk through (backend side):
 *
 *   probe: advertise our limits ------------------------------> InitWait
 *   physical-device appears (watch): open the disk
 *   frontend Initialised/Connected and the disk is open:
 *     negotiate, map rings, bind event channels, start kthreads,
 *     publish size and features -------------------------------> Connected
 *   frontend Closing: rings retire (each kthread drains, unmaps
 *     and frees its ring; we wait 2 s at most, never for the disk) -> Closing
 *   frontend Closed: ------------------------------------------> Closed
 *     and if the toolstack set online=0, the device goes away
 *   frontend Initialising after Closed (reconnect): -------------> InitWait
 *
 * All callbacks here run in xenwatch, one at a time.  The only other writer
 * of XenStore is be_resize_work(), a work item that publishes a new size
 * while connected; xenwatch cancels it before it tears the rings down.
 */
#define pr_fmt(fmt) "xen-blkmq-back: " fmt

#include <linux/module.h>
#include <linux/irq.h>
#include <linux/kdev_t.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/xen.h>
#include <xen/events.h>
#include <xen/xenbus.h>

#include "abi.h"
#include "back.h"
#include "compat.h"
#include "negotiate.h"
#include "xs.h"

static void be_disconnect(struct blkmq_be *be);

static int be_advertise_keys(void *arg, struct xenbus_transaction xbt)
{
	struct blkmq_be *be = arg;
	const char *node = be->dev->nodename;

	return xenbus_printf(xbt, node, BLKMQ_XS_FEATURE_MAX_INDIRECT, "%u",
			     be->adv.max_indirect_segs) ?:
	       xenbus_printf(xbt, node, BLKMQ_XS_MQ_MAX_QUEUES, "%u", be->adv.max_queues) ?:
	       xenbus_printf(xbt, node, BLKMQ_XS_MAX_RING_PAGE_ORDER, "%u",
			     be->adv.ring_order) ?:
	       xenbus_printf(xbt, node, BLKMQ_XS_FEATURE_PERSISTENT, "%u",
			     be->adv.persistent);
}

/* Write our own, configuration-only offer.  Used once, at probe. */
static int be_advertise(struct blkmq_be *be)
{
	unsigned int queues = blkmq_be_max_queues ?: num_online_cpus();

	be->adv.max_queues = max(queues, 1U);
	be->adv.ring_order = min_t(unsigned int, blkmq_be_max_ring_order,
				   BLKMQ_RING_ORDER_MAX);
	be->adv.persistent = READ_ONCE(blkmq_be_persistent);
	be->adv.max_indirect_segs = min_t(unsigned int, READ_ONCE(blkmq_be_max_indirect),
					  BLKMQ_BACK_MAX_SEGS);
	/* an indirect request carries more than an inline one, or none is taken */
	if (be->adv.max_indirect_segs <= BLKMQ_MAX_SEGMENTS_PER_REQUEST)
		be->adv.max_indirect_segs = 0;
	return blkmq_xs_transact(be_advertise_keys, be);
}

/*
 * Read a ring key of the frontend as a strict decimal u32 (the same parser
 * as every negotiated key); a missing or malformed value is fatal.
 */
static int be_read_ring_key(struct blkmq_be *be, const char *dir, const char *key, u32 *out)
{
	char *s = blkmq_xs_read_opt(dir, key);
	int err = blkmq_xs_parse_u32(s, out);

	kfree(s);
	if (err)
		xenbus_dev_fatal(be->dev, -EINVAL, "reading %s/%s", dir, key);
	return err ? -EINVAL : 0;
}

static int be_ring_connect(struct blkmq_be *be, struct blkmq_be_ring *ring,
			   const char *dir, bool multi_ref)
{
	struct xenbus_device *dev = be->dev;
	unsigned int i, nr_pages = 1U << be->ring_order;
	grant_ref_t refs[1U << BLKMQ_RING_ORDER_MAX];
	u32 evtchn;
	void *addr;
	u32 prod, cons;
	int err;

	for (i = 0; i < nr_pages; i++) {
		char key[sizeof(BLKMQ_XS_RING_REF_FMT) + 10];	/* 10: any u32 */

		if (multi_ref)
			snprintf(key, sizeof(key), BLKMQ_XS_RING_REF_FMT, i);
		else
			strscpy(key, BLKMQ_XS_RING_REF, sizeof(key));
		err = be_read_ring_key(be, dir, key, &refs[i]);
		if (err)
			return err;
	}
	err = be_read_ring_key(be, dir, BLKMQ_XS_EVENT_CHANNEL, &evtchn);
	if (err)
		return err;

	err = blkmq_be_ring_init(ring);
	if (err)
		return err;
	err = xenbus_map_ring_valloc(dev, refs, nr_pages, &addr);
	if (err) {
		xenbus_dev_fatal(dev, err, "mapping ring %u", ring->id);
		goto out_free;
	}
	ring->sring = addr;
	ring->nr_ents = BLKMQ_RING_ENTRIES(be->ring_order);
	/*
	 * Attach where the ring stands (a reconnect may find old indices).
	 * Requests already past the responses by more than a ring is garbage.
	 */
	prod = READ_ONCE(ring->sring->req_prod);
	cons = READ_ONCE(ring->sring->rsp_prod);
	if (prod - cons > ring->nr_ents) {
		xenbus_dev_fatal(dev, -EINVAL, "ring %u: req_prod %u rsp_prod %u",
				 ring->id, prod, cons);
		err = -EINVAL;
		goto out_unmap;
	}
	ring->req_cons = cons;
	ring->rsp_prod_pvt = cons;

	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev, evtchn, blkmq_be_interrupt,
							    0, ring->name, ring);
	if (err < 0) {
		xenbus_dev_fatal(dev, err, "binding event channel %u", evtchn);
		goto out_unmap;
	}
	ring->irq = err;
	ring->irqd = irq_get_irq_data(err);
	err = blkmq_be_sysfs_ring_add(ring);
	if (err)
		goto out_unbind;
	return 0;

out_unbind:
	unbind_from_irqhandler(ring->irq, ring);
	ring->irq = -1;
out_unmap:
	xenbus_unmap_ring_vfree(dev, ring->sring);
	ring->sring = NULL;
out_free:
	blkmq_be_ring_free(ring);
	return err;
}

static int be_publish_keys(void *arg, struct xenbus_transaction xbt)
{
	struct blkmq_be *be = arg;
	struct block_device *bdev = be->backing.bdev;
	const char *node = be->dev->nodename;
	unsigned int info;
	int err;

	info = (be->readonly ? BLKMQ_VDISK_READONLY : 0) |
	       (be->cdrom ? BLKMQ_VDISK_CDROM : 0) |
	       (bdev->bd_disk->flags & GENHD_FL_REMOVABLE ? BLKMQ_VDISK_REMOVABLE : 0);
	err = xenbus_printf(xbt, node, BLKMQ_XS_SECTORS, "%llu",
			    (unsigned long long)be->sectors) ?:
	      xenbus_printf(xbt, node, BLKMQ_XS_INFO, "%u", info) ?:
	      xenbus_printf(xbt, node, BLKMQ_XS_SECTOR_SIZE, "%u",
			    bdev_logical_block_size(bdev)) ?:
	      xenbus_printf(xbt, node, BLKMQ_XS_PHYSICAL_SECTOR_SIZE, "%u",
			    bdev_physical_block_size(bdev)) ?:
	      xenbus_printf(xbt, node, BLKMQ_XS_FEATURE_FLUSH_CACHE, "%d", be->lim.flush) ?:
	      xenbus_printf(xbt, node, BLKMQ_XS_FEATURE_BARRIER, "%d", be->lim.barrier) ?:
	      xenbus_printf(xbt, node, BLKMQ_XS_FEATURE_DISCARD, "%d", be->lim.discard);
	if (err || !be->lim.discard)
		return err;
	return xenbus_printf(xbt, node, BLKMQ_XS_DISCARD_GRANULARITY, "%u",
			     bdev_discard_granularity(bdev)) ?:
	       xenbus_printf(xbt, node, BLKMQ_XS_DISCARD_ALIGNMENT, "%u",
			     bdev_discard_alignment(bdev)) ?:
	       xenbus_printf(xbt, node, BLKMQ_XS_DISCARD_SECURE, "%d", be->lim.discard_secure);
}

/*
 * Read the frontend's keys and decide the connection on our private copies
 * of them; what is decided goes to be->ring_order and be->use.  A refusal
 * is fatal.
 */
static int be_negotiate(struct blkmq_be *be, struct blkmq_back_conn *res)
{
	struct xenbus_device *dev = be->dev;
	const char *fe = dev->otherend;
	struct blkmq_front_keys keys = {};
	enum blkmq_neg_err bad;
	char *nq, *order, *pers, *proto;

	nq = blkmq_xs_read_opt(fe, BLKMQ_XS_MQ_NUM_QUEUES);
	order = blkmq_xs_read_opt(fe, BLKMQ_XS_RING_PAGE_ORDER);
	pers = blkmq_xs_read_opt(fe, BLKMQ_XS_FEATURE_PERSISTENT);
	proto = blkmq_xs_read_opt(fe, BLKMQ_XS_PROTOCOL);
	keys.num_queues = nq;
	keys.ring_page_order = order;
	keys.persistent = pers;
	keys.protocol = proto;
	/* decided on the private copies only */
	bad = blkmq_neg_back(&be->adv, &keys, res);
	kfree(nq);
	kfree(order);
	kfree(pers);
	kfree(proto);
	if (bad != BLKMQ_NEG_OK) {
		xenbus_dev_fatal(dev, -EINVAL, "frontend keys: %s", blkmq_neg_err_str(bad));
		return -EINVAL;
	}
	if (res->layout != BLKMQ_LAYOUT_64) {
		xenbus_dev_fatal(dev, -EPROTONOSUPPORT,
				 "only the native (x86_64-abi) ring layout is served");
		return -EPROTONOSUPPORT;
	}
	be->ring_order = res->ring_order;
	be->use = be->adv;
	be->use.max_queues = res->nr_rings;
	be->use.ring_order = res->ring_order;
	be->use.persistent = res->persistent;
	return 0;
}

/*
 * Allocate the @nr rings of @rings, unbound, and publish the table under
 * be->lock, also when one is missing (be_disconnect() frees what is there).
 */
static int be_rings_alloc(struct blkmq_be *be, struct blkmq_be_ring **rings,
			  unsigned int nr)
{
	unsigned int i;

	/*
	 * Every ring exists, unbound, before any connects: a failure at ring
	 * k tears down all of them, and rings after k must not look bound.
	 */
	for (i = 0; i < nr; i++) {
		rings[i] = blkmq_be_ring_alloc(be, i);
		if (!rings[i])
			break;
	}
	mutex_lock(&be->lock);
	be->rings = rings;
	be->nr_rings = nr;
	mutex_unlock(&be->lock);
	if (i < nr) {
		xenbus_dev_fatal(be->dev, -ENOMEM, "allocating ring %u", i);
		return -ENOMEM;
	}
	return 0;
}

/* Map and bind every ring of @rings, each from its own XenStore directory. */
static int be_rings_connect(struct blkmq_be *be, struct blkmq_be_ring **rings,
			    const struct blkmq_back_conn *res)
{
	const char *fe = be->dev->otherend;
	unsigned int i;
	int err;

	for (i = 0; i < be->nr_rings; i++) {
		struct blkmq_be_ring *ring = rings[i];
		char *dir;

		if (res->nr_rings > 1)
			dir = kasprintf(GFP_KERNEL, "%s/" BLKMQ_XS_QUEUE_FMT, fe, i);
		else
			dir = kstrdup(fe, GFP_KERNEL);
		if (!dir)
			return -ENOMEM;
		err = be_ring_connect(be, ring, dir, res->ring_ref_indexed);
		kfree(dir);
		if (err)
			return err;
	}
	return 0;
}

static void be_connect(struct blkmq_be *be)
{
	struct xenbus_device *dev = be->dev;
	struct blkmq_back_conn res;
	struct blkmq_be_ring **rings;
	unsigned int i;
	int err;

	if (be->connected || be->rings || !be->backing.bdev)
		return;
	/*
	 * Rings of the last connection still retire (their requests are with
	 * a slow disk): a new connection now could have an old write land
	 * after a new one, and a frontend cycling through connections would
	 * pile up rings and mappings in dom0.  Refused, as xen-blkback does,
	 * and final: the toolstack plugs the disk again.
	 */
	if (atomic_read(&be->retiring)) {
		xenbus_dev_fatal(dev, -EBUSY, "pending I/O: %d ring(s) of the last connection left",
				 atomic_read(&be->retiring));
		return;
	}

	if (be_negotiate(be, &res))
		return;
	/*
	 * The size now, not at open: the disk may have changed while no
	 * resize_work ran.  The rings take it when they start.
	 */
	be->sectors = bdev_nr_sectors(be->backing.bdev);
	WRITE_ONCE(be->lim.nr_sectors, be->sectors);
	rings = kcalloc(res.nr_rings, sizeof(*rings), GFP_KERNEL);
	if (!rings) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating %u rings", res.nr_rings);
		return;
	}
	if (be_rings_alloc(be, rings, res.nr_rings))
		goto out_disconnect;
	if (be_rings_connect(be, rings, &res))
		goto out_disconnect;
	for (i = 0; i < be->nr_rings; i++) {
		err = blkmq_be_ring_start(rings[i]);
		if (err) {
			xenbus_dev_fatal(dev, err, "starting ring %u", i);
			goto out_disconnect;
		}
	}
	be->connected = true;
	/* size and features first: the frontend reads them at Connected */
	err = blkmq_xs_transact(be_publish_keys, be);
	if (!err)
		err = xenbus_switch_state(dev, XenbusStateConnected);
	if (err) {
		xenbus_dev_fatal(dev, err, "publishing the device");
		goto out_disconnect;
	}
	dev_info(&dev->dev,
		 "connected: %u queue(s), ring order %u, persistent %s, indirect %u, flush %d, discard %d\n",
		 be->nr_rings, be->ring_order, be->use.persistent ? "on" : "off",
		 be->use.max_indirect_segs, be->lim.flush, be->lim.discard);
	queue_delayed_work(system_power_efficient_wq, &be->resize_work,
			   round_jiffies_relative(HZ));
	return;

out_disconnect:
	be_disconnect(be);
}

/*
 * How long teardown waits, for all rings of a device together, for the
 * kthreads to retire them.  A ring whose disk is slower than that retires
 * on its own later; xenwatch, which serves every domain's devices, goes on.
 */
#define BLKMQ_BE_TEARDOWN_WAIT	msecs_to_jiffies(2000)

/*
 * Idempotent: a second Closing/Closed/remove finds nothing to do.  A ring's
 * memory goes with its last reference (its kthread retiring it, a
 * completion still waking that kthread, a delayed kobject release), not
 * necessarily here.
 */
static void be_disconnect(struct blkmq_be *be)
{
	unsigned long deadline = jiffies + BLKMQ_BE_TEARDOWN_WAIT;
	struct blkmq_be_ring **rings, *ring;
	unsigned int i, n;
	long left;

	cancel_delayed_work_sync(&be->resize_work);
	mutex_lock(&be->lock);
	rings = be->rings;
	n = be->nr_rings;
	be->rings = NULL;
	be->nr_rings = 0;
	mutex_unlock(&be->lock);
	be->connected = false;
	if (!rings)
		return;
	/* every kthread told first, so that the rings drain side by side */
	for (i = 0; i < n; i++)
		if (rings[i] && rings[i]->started)
			blkmq_be_ring_retire(rings[i]);
	for (i = 0; i < n; i++) {
		ring = rings[i];
		if (!ring)
			continue;
		blkmq_be_sysfs_ring_del(ring);
		if (!ring->started) {
			blkmq_be_ring_disconnect(ring);
		} else {
			left = max_t(long, (long)(deadline - jiffies), 1);
			if (!wait_for_completion_timeout(&ring->retired, left))
				dev_warn_ratelimited(&be->dev->dev,
						     "ring %u: %d request(s) still with the disk; the ring goes once they are answered\n",
						     ring->id, atomic_read(&ring->inflight));
		}
		blkmq_be_ring_put(ring);
	}
	kfree(rings);
}

/* physical-device appeared (or changed): open the disk once. */
static void be_backend_changed(struct xenbus_watch *watch, const char *path,
			       const char *token)
{
	struct blkmq_be *be = container_of(watch, struct blkmq_be, watch);
	struct xenbus_device *dev = be->dev;
	unsigned int major, minor;
	struct block_device *bdev;
	char *mode, *type;
	int err;

	err = xenbus_scanf(XBT_NIL, dev->nodename, BLKMQ_XS_PHYSICAL_DEVICE, "%x:%x",
			   &major, &minor);
	if (err != 2)
		return;	/* not written yet (or junk: wait for a good value) */
	if (be->backing.bdev) {
		if (be->major != major || be->minor != minor)
			pr_warn_ratelimited("%s: changing physical-device to %x:%x is not supported\n",
					    dev->nodename, major, minor);
		return;
	}
	mode = xenbus_read(XBT_NIL, dev->nodename, BLKMQ_XS_MODE, NULL);
	if (IS_ERR(mode)) {
		xenbus_dev_fatal(dev, PTR_ERR(mode), "reading mode");
		return;
	}
	be->readonly = !strchr(mode, 'w');
	kfree(mode);
	type = blkmq_xs_read_opt(dev->otherend ?: dev->nodename,
				 BLKMQ_XS_DEVICE_TYPE);
	be->cdrom = type && !strcmp(type, BLKMQ_XS_DEVICE_TYPE_CDROM);
	kfree(type);
	be->discard_enable = xenbus_read_unsigned(dev->nodename,
						  BLKMQ_XS_DISCARD_ENABLE, 1);

	err = blkmq_compat_bdev_open(&be->backing, MKDEV(major, minor), !be->readonly);
	if (err) {
		xenbus_dev_fatal(dev, err, "opening device %x:%x", major, minor);
		return;
	}
	bdev = be->backing.bdev;
	be->major = major;
	be->minor = minor;
	if (bdev_read_only(bdev))
		be->readonly = true;
	be->sectors = bdev_nr_sectors(bdev);
	be->lim.nr_sectors = be->sectors;
	be->lim.logical_block_size = bdev_logical_block_size(bdev);
	/* what was offered is what is served */
	be->lim.max_indirect_segs = be->adv.max_indirect_segs;
	be->lim.readonly = be->readonly;
	be->lim.flush = bdev_write_cache(bdev);
	be->lim.barrier = be->lim.flush;
	be->lim.discard = be->discard_enable && bdev_max_discard_sectors(bdev);
	be->lim.discard_secure = be->lim.discard && bdev_max_secure_erase_sectors(bdev);
	dev_info(&dev->dev, "device %x:%x, %llu sectors, %u-byte blocks%s\n", major, minor,
		 (unsigned long long)be->sectors, be->lim.logical_block_size,
		 be->readonly ? ", read-only" : "");

	/* the frontend may already be waiting for us */
	switch (dev->otherend ? xenbus_read_driver_state(dev->otherend) : XenbusStateUnknown) {
	case XenbusStateInitialised:
	case XenbusStateConnected:
		be_connect(be);
		break;
	default:
		break;
	}
}

static int be_resize_keys(void *arg, struct xenbus_transaction xbt)
{
	struct blkmq_be *be = arg;
	struct xenbus_device *dev = be->dev;

	return xenbus_printf(xbt, dev->nodename, BLKMQ_XS_SECTORS, "%llu",
			     (unsigned long long)be->sectors) ?:
	       xenbus_printf(xbt, dev->nodename, "state", "%d", dev->state);
}

/*
 * Publish a new size when the disk changed; again in a second.  Scheduled
 * by be_connect() and cancelled first thing by be_disconnect(), so it runs
 * only while connected.  Rewriting "state" (still Connected) in the same
 * transaction is what makes a frontend look at "sectors" again.  The rings
 * take the new size (lim_gen) before they parse requests again, so before
 * the frontend can send any past the old end.
 */
static void be_resize_work(struct work_struct *work)
{
	struct blkmq_be *be = container_of(to_delayed_work(work), struct blkmq_be,
					   resize_work);
	u64 now = bdev_nr_sectors(be->backing.bdev);
	int err;

	if (now != be->sectors) {
		dev_info(&be->dev->dev, "size changed: %llu -> %llu sectors\n",
			 (unsigned long long)be->sectors, (unsigned long long)now);
		be->sectors = now;
		WRITE_ONCE(be->lim.nr_sectors, now);
		/* pairs with the acquire in ring_refresh_limits() */
		smp_store_release(&be->lim_gen, be->lim_gen + 1);
		err = blkmq_xs_transact(be_resize_keys, be);
		if (err)
			dev_warn(&be->dev->dev, "publishing the new size failed: %d\n", err);
	}
	queue_delayed_work(system_power_efficient_wq, &be->resize_work,
			   round_jiffies_relative(HZ));
}

static void be_frontend_changed(struct xenbus_device *dev, enum xenbus_state fe_state)
{
	struct blkmq_be *be = dev_get_drvdata(&dev->dev);

	switch (fe_state) {
	case XenbusStateInitialising:
		/* a frontend starting over after we closed: offer again */
		if (dev->state == XenbusStateClosed)
			xenbus_switch_state(dev, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		if (dev->state == XenbusStateConnected && be->connected)
			break;
		be_connect(be);
		break;
	case XenbusStateClosing:
		be_disconnect(be);
		xenbus_switch_state(dev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		be_disconnect(be);
		xenbus_switch_state(dev, XenbusStateClosed);
		if (xenbus_dev_is_online(dev))
			break;
		fallthrough;
	case XenbusStateUnknown:
		/* the toolstack is removing the device */
		be_disconnect(be);
		device_unregister(&dev->dev);
		break;
	default:
		xenbus_dev_fatal(dev, -EINVAL, "frontend went to unexpected state %d",
				 fe_state);
		break;
	}
}

static int be_probe(struct xenbus_device *dev, const struct xenbus_device_id *id)
{
	struct blkmq_be *be;
	const char *tail;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating backend state");
		return -ENOMEM;
	}
	be->dev = dev;
	kref_init(&be->ref);
	atomic_set(&be->retiring, 0);
	get_device(&dev->dev);
	mutex_init(&be->lock);
	INIT_DELAYED_WORK(&be->resize_work, be_resize_work);
	be->domid = dev->otherend_id;
	tail = strrchr(dev->nodename, '/');
	if (!tail || kstrtouint(tail + 1, 10, &be->devid))
		be->devid = 0;
	dev_set_drvdata(&dev->dev, be);

	err = be_advertise(be);
	if (err) {
		xenbus_dev_fatal(dev, err, "writing our features");
		goto out_free;
	}
	err = xenbus_watch_pathfmt(dev, &be->watch, NULL, be_backend_changed, "%s/%s",
				   dev->nodename, BLKMQ_XS_PHYSICAL_DEVICE);
	if (err)
		goto out_free;
	be->watch_set = true;
	err = xenbus_switch_state(dev, XenbusStateInitWait);
	if (err)
		goto out_unwatch;
	return 0;

out_unwatch:
	unregister_xenbus_watch(&be->watch);
	kfree(be->watch.node);
	be->watch_set = false;
	/* the physical-device watch may have connected us meanwhile */
	be_disconnect(be);
out_free:
	dev_set_drvdata(&dev->dev, NULL);
	blkmq_be_put(be);
	return err;
}

static void be_remove(struct xenbus_device *dev)
{
	struct blkmq_be *be = dev_get_drvdata(&dev->dev);

	if (!be)
		return;
	if (be->watch_set) {
		unregister_xenbus_watch(&be->watch);
		kfree(be->watch.node);
		be->watch_set = false;
	}
	be_disconnect(be);
	dev_set_drvdata(&dev->dev, NULL);
	/* the disk closes once no retiring ring submits to it any more */
	blkmq_be_put(be);
}

/* Leak check for tests and operators: must read 0 with no device connected. */
static ssize_t grants_mapped_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%ld\n", blkmq_be_grants_mapped());
}
static DRIVER_ATTR_RO(grants_mapped);

static struct attribute *be_drv_attrs[] = {
	&driver_attr_grants_mapped.attr,
	NULL
};
ATTRIBUTE_GROUPS(be_drv);

static const struct xenbus_device_id be_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver be_driver = {
	.ids = be_ids,
	.probe = be_probe,
	.remove = be_remove,
	.otherend_changed = be_frontend_changed,
	.driver = {
		.groups = be_drv_groups,
		.dev_groups = blkmq_be_dev_groups,
	},
};

static int __init blkmq_be_init(void)
{
	blkmq_abi_pins();
	if (!xen_domain())
		return -ENODEV;
	if (blkmq_be_max_ring_order > BLKMQ_RING_ORDER_MAX) {
		pr_info("max_ring_page_order %u too large, using %u\n",
			blkmq_be_max_ring_order, BLKMQ_RING_ORDER_MAX);
		blkmq_be_max_ring_order = BLKMQ_RING_ORDER_MAX;
	}
	return xenbus_register_backend(&be_driver);
}
module_init(blkmq_be_init);

static void __exit blkmq_be_exit(void)
{
	xenbus_unregister_driver(&be_driver);
	/* ring releases may be delayed (kobject debugging): their code is ours */
	blkmq_be_rings_wait_gone();
}
module_exit(blkmq_be_exit);

MODULE_DESCRIPTION("Xen multi-queue PV block backend (xen-blkmq)");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vbd");
