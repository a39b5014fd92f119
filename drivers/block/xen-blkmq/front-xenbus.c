// SPDX-License-Identifier: GPL-2.0-only
/*
 * front-xenbus.c - xen-blkmq-front control plane: XenBus, the disk, resume
 *
 * The frontend waits for its backend's InitWait, reads the ring limits the
 * backend offers (multi-queue-max-queues, max-ring-page-order), builds its
 * rings and writes their keys, then waits for Connected to read the disk's
 * size and features.  What it advertises (feature-persistent) depends only
 * on its module parameters and the toolstack's "trusted" key.  Every value
 * read from the backend goes through the strict parsers of negotiate.c and
 * front-peer.c, and what the connection uses is decided in negotiate.c
 * (blkmq_neg_front_rings() at InitWait, blkmq_neg_front_features() at
 * Connected).
 *
 * After a restore the XenBus core calls fe_resume(): the requests in flight
 * are taken off the dead rings (their bios kept for resubmission, bio-less
 * flushes kept for requeueing), new rings are negotiated with the new
 * backend, and on Connected everything is sent again.  A changed ring count
 * is applied to blk-mq afterwards, from a work item, so that the queue
 * freeze it needs does not wait on requests this driver holds.
 */
#include <linux/blkdev.h>
#include <linux/hdreg.h>
#include <linux/irq.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <xen/events.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "abi.h"
#include "compat.h"
#include "front.h"
#include "negotiate.h"
#include "xs.h"

static unsigned int max_queues;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Rings per device at most (default: online CPUs)");

static unsigned int max_ring_page_order = BLKMQ_RING_ORDER_MAX;
module_param(max_ring_page_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "log2 of the pages per ring at most (0-4)");

static unsigned int max_indirect_segments = 128;
module_param(max_indirect_segments, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Segments per indirect request at most (0: no indirect requests)");

static bool feature_persistent = true;
module_param(feature_persistent, bool, 0444);
MODULE_PARM_DESC(feature_persistent, "Offer persistent grants");

static bool trusted = true;
module_param(trusted, bool, 0444);
MODULE_PARM_DESC(trusted,
		 "Trust backends; 0 bounces all data through per-request pages (as trusted=0 from the toolstack)");

static unsigned int max_persistent_grants = 4096;
module_param(max_persistent_grants, uint, 0644);
MODULE_PARM_DESC(max_persistent_grants,
		 "Persistent grants a device keeps at most, shared by its rings; never more than a quarter of the guest's grant table (default 4096)");

static unsigned int backend_wait = 10;
module_param(backend_wait, uint, 0644);
MODULE_PARM_DESC(backend_wait,
		 "Seconds an open disk whose backend went away waits, holding its I/O, for the backend to offer it again (0: fail at once)");

static bool prefer_barrier;
module_param(prefer_barrier, bool, 0444);
MODULE_PARM_DESC(prefer_barrier,
		 "Flush and FUA through feature-barrier even when feature-flush-cache is offered");

/* Devices, for minor-number reservations. */
static DEFINE_MUTEX(fe_list_lock);
static LIST_HEAD(fe_list);

static void fe_release_kref(struct kref *kref)
{
	kfree(container_of(kref, struct blkmq_fe_dev, kref));
}

static void fe_put(struct blkmq_fe_dev *fe)
{
	kref_put(&fe->kref, fe_release_kref);
}

/* ---- vdevice numbers and names ----------------------------------------- */

static int fe_parse_vdevice(struct blkmq_fe_dev *fe)
{
	struct xenbus_device *dev = fe->xbdev;
	unsigned int disk, part, parts;
	char *s;
	int err;

	s = xenbus_read(XBT_NIL, dev->nodename, BLKMQ_XS_VIRTUAL_DEVICE, NULL);
	if (IS_ERR(s))
		s = xenbus_read(XBT_NIL, dev->nodename,
				BLKMQ_XS_VIRTUAL_DEVICE_EXT, NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	err = blkmq_xs_parse_u32(s, &fe->vdevice);
	kfree(s);
	if (err)
		return err;
	if (blkmq_vdev_is_ext(fe->vdevice)) {
		if (fe->vdevice >> 29)
			return -EINVAL;
		parts = BLKMQ_VDEV_EXT_PARTS;
		part = fe->vdevice & (parts - 1);
	} else if (blkmq_vdev_is_xvd(fe->vdevice)) {
		parts = BLKMQ_VDEV_XVD_PARTS;
		part = fe->vdevice & (parts - 1);
	} else {
		/* The hd and sd emulation numbers only mean something in HVM. */
		return -ENODEV;
	}
	disk = blkmq_vdev_disk(fe->vdevice);
	if ((disk + 1) * parts > (1U << MINORBITS))
		return -ERANGE;
	fe->disk_index = disk;
	fe->first_minor = disk * parts + part;
	fe->minors = part ? 1 : parts;
	return 0;
}

/* Reserve the minors of @fe; -EBUSY if another device holds any of them. */
static int fe_reserve_minors(struct blkmq_fe_dev *fe)
{
	struct blkmq_fe_dev *o;
	int err = 0;

	mutex_lock(&fe_list_lock);
	list_for_each_entry(o, &fe_list, node)
		if (fe->first_minor < o->first_minor + o->minors &&
		    o->first_minor < fe->first_minor + fe->minors)
			err = -EBUSY;
	if (!err)
		list_add(&fe->node, &fe_list);
	mutex_unlock(&fe_list_lock);
	return err;
}

static void fe_release_minors(struct blkmq_fe_dev *fe)
{
	mutex_lock(&fe_list_lock);
	list_del_init(&fe->node);
	mutex_unlock(&fe_list_lock);
}

/* "xvd" + a, b, ... z, aa, ab, ...; then the partition for a partition. */
static void fe_disk_name(struct blkmq_fe_dev *fe, char *buf)
{
	char letters[8];
	unsigned int n = fe->disk_index + 1, i = sizeof(letters);

	letters[--i] = '\0';
	while (n && i) {
		letters[--i] = 'a' + (n - 1) % 26;
		n = (n - 1) / 26;
	}
	if (fe->minors == 1)
		snprintf(buf, DISK_NAME_LEN, "xvd%s%u", letters + i,
			 fe->first_minor % (blkmq_vdev_is_ext(fe->vdevice) ?
					    BLKMQ_VDEV_EXT_PARTS :
					    BLKMQ_VDEV_XVD_PARTS));
	else
		snprintf(buf, DISK_NAME_LEN, "xvd%s", letters + i);
}

/* ---- XenStore helpers -------------------------------------------------- */

/* An optional number of the backend: absent gives @dflt. */
static int fe_read_u32(struct xenbus_device *dev, const char *key, u32 dflt,
		       u32 *out)
{
	char *s = blkmq_xs_read_opt(dev->otherend, key);
	int err;

	if (!s) {
		*out = dflt;
		return 0;
	}
	err = blkmq_xs_parse_u32(s, out);
	kfree(s);
	return err;
}

/* Remove a key in a transaction; one that is not there is fine. */
static int fe_xs_rm(struct xenbus_transaction xbt, const char *dir,
		    const char *key)
{
	int err = xenbus_rm(xbt, dir, key);

	return err == -ENOENT ? 0 : err;
}

/* ---- Rings ------------------------------------------------------------- */

/* Free the rings; returns the grants the backend still mapped. */
static unsigned int fe_rings_free(struct blkmq_fe_dev *fe)
{
	struct blkmq_fe_ring *rings;
	unsigned int i, mapped = 0;

	lockdep_assert_held(&fe->mutex);
	if (!fe->rings)
		return 0;
	cancel_delayed_work_sync(&fe->park_work);
	cancel_delayed_work_sync(&fe->trim_work);
	/* the request timer's handler finds no rings from here on */
	mutex_lock(&fe->rings_lock);
	rings = fe->rings;
	WRITE_ONCE(fe->rings, NULL);
	mutex_unlock(&fe->rings_lock);
	for (i = 0; i < fe->nr_rings; i++)
		mapped += blkmq_fe_ring_free(&rings[i]);
	kfree(rings);
	return mapped;
}

/*
 * Unbind every ring's interrupt and take its requests (see ring_collect);
 * returns the grants of those requests the backend still mapped.
 */
static unsigned int fe_rings_stop(struct blkmq_fe_dev *fe, struct list_head *rqs)
{
	unsigned int i, mapped = 0;

	lockdep_assert_held(&fe->mutex);
	if (!fe->rings)
		return 0;
	for (i = 0; i < fe->nr_rings; i++) {
		struct blkmq_fe_ring *ring = &fe->rings[i];

		if (ring->irq > 0)
			unbind_from_irqhandler(ring->irq, ring);
		ring->irq = 0;
		/* no handler defers a copy now; what it left is read again */
		cancel_work_sync(&ring->copy_work);
	}
	for (i = 0; i < fe->nr_rings; i++)
		mapped += blkmq_fe_ring_collect(&fe->rings[i], rqs);
	/*
	 * The rings are dead: nothing parks a request, grows a pool or asks
	 * for grant references any more, and the rings are about to go.
	 */
	cancel_delayed_work_sync(&fe->park_work);
	cancel_delayed_work_sync(&fe->trim_work);
	for (i = 0; i < fe->nr_rings; i++)
		gnttab_cancel_free_callback(&fe->rings[i].gnt_cb);
	return mapped;
}

static int fe_ring_setup(struct blkmq_fe_dev *fe, struct blkmq_fe_ring *ring)
{
	struct xenbus_device *dev = fe->xbdev;
	void *sring = NULL;
	int err, irq;

	lockdep_assert_held(&fe->mutex);
	ring->nr_pages = 1U << fe->ring_order;
	ring->nr_ents = BLKMQ_RING_ENTRIES(fe->ring_order);
	err = xenbus_setup_ring(dev, GFP_NOIO, &sring, ring->nr_pages,
				ring->ring_refs);
	if (err)
		return err;
	ring->sring = sring;
	/* Both sides start by asking for an event at the first entry. */
	ring->sring->req_event = 1;
	ring->sring->rsp_event = 1;

	err = xenbus_alloc_evtchn(dev, &ring->evtchn);
	if (err)
		return err;
	snprintf(ring->irq_name, sizeof(ring->irq_name), "blkmq-%s-q%u",
		 dev->nodename + strlen("device/vbd/"), ring->index);
	irq = bind_evtchn_to_irqhandler_lateeoi(ring->evtchn,
						blkmq_fe_interrupt, 0,
						ring->irq_name, ring);
	if (irq < 0) {
		xenbus_free_evtchn(dev, ring->evtchn);
		return irq;
	}
	ring->irq = irq;
	ring->irqd = irq_get_irq_data(irq);
	/* the first request may move the event at once */
	ring->irq_moved = jiffies - BLKMQ_FOLLOW_JIFFIES;
	return 0;
}

static int fe_write_ring_keys(struct blkmq_fe_dev *fe,
			      struct xenbus_transaction xbt,
			      struct blkmq_fe_ring *ring)
{
	struct xenbus_device *dev = fe->xbdev;
	char *dir = (char *)dev->nodename;
	char key[24];
	unsigned int i;
	int err;

	if (fe->nr_rings > 1) {
		dir = kasprintf(GFP_NOIO, "%s/" BLKMQ_XS_QUEUE_FMT,
				dev->nodename, ring->index);
		if (!dir)
			return -ENOMEM;
	}
	if (fe->ring_order == 0) {
		err = xenbus_printf(xbt, dir, BLKMQ_XS_RING_REF, "%u",
				    ring->ring_refs[0]);
	} else {
		for (i = 0, err = 0; i < ring->nr_pages && !err; i++) {
			snprintf(key, sizeof(key), BLKMQ_XS_RING_REF_FMT, i);
			err = xenbus_printf(xbt, dir, key, "%u",
					    ring->ring_refs[i]);
		}
	}
	if (!err)
		err = xenbus_printf(xbt, dir, BLKMQ_XS_EVENT_CHANNEL, "%u",
				    ring->evtchn);
	if (dir != dev->nodename)
		kfree(dir);
	return err;
}

/* Our side of the negotiation: module parameters, CPUs, @fe->trusted. */
static void fe_want(const struct blkmq_fe_dev *fe, struct blkmq_front_want *w)
{
	*w = (struct blkmq_front_want){
		.max_queues = max_queues,
		.online_cpus = num_online_cpus(),
		.nr_cpu_ids = nr_cpu_ids,
		.ring_order = max_ring_page_order,
		.max_indirect_segs = max_indirect_segments,
		.persistent = feature_persistent,
		.trusted = fe->trusted,
		.prefer_barrier = prefer_barrier,
	};
}

/*
 * Read what the backend offers and choose, in blkmq_neg_front_rings(), the
 * ring size (fe->ring_order), the ring count (@nr) and what we advertise
 * (fe->offer_persistent); fatal when the offer is not a number.
 */
static int fe_choose_rings(struct blkmq_fe_dev *fe, u32 *nr)
{
	struct xenbus_device *dev = fe->xbdev;
	struct blkmq_features theirs = {};
	struct blkmq_front_want want;
	struct blkmq_front_conn conn;

	lockdep_assert_held(&fe->mutex);
	if (fe_read_u32(dev, BLKMQ_XS_MQ_MAX_QUEUES, 1, &theirs.max_queues) ||
	    fe_read_u32(dev, BLKMQ_XS_MAX_RING_PAGE_ORDER, 0,
			&theirs.ring_order)) {
		xenbus_dev_fatal(dev, -EINVAL,
				 "backend's multi-queue-max-queues or max-ring-page-order is not a number");
		return -EINVAL;
	}
	fe_want(fe, &want);
	blkmq_neg_front_rings(&want, &theirs, &conn);
	*nr = conn.nr_rings;
	fe->ring_order = conn.ring_order;
	fe->offer_persistent = conn.offer_persistent;
	return 0;
}

/*
 * Allocate @nr rings, each freeable as it is, and make them the device's
 * ring table; nothing to free when this fails.
 */
static int fe_rings_alloc(struct blkmq_fe_dev *fe, u32 nr)
{
	struct blkmq_fe_ring *rings;
	unsigned int i;

	lockdep_assert_held(&fe->mutex);
	rings = kcalloc(nr, sizeof(*rings), GFP_NOIO);
	if (!rings) {
		/* The backend waits for us: tell it (and the toolstack). */
		xenbus_dev_fatal(fe->xbdev, -ENOMEM, "allocating %u rings", nr);
		return -ENOMEM;
	}
	/* Every ring must be freeable before the first can fail to set up. */
	for (i = 0; i < nr; i++) {
		struct blkmq_fe_ring *ring = &rings[i];

		spin_lock_init(&ring->lock);
		INIT_LIST_HEAD(&ring->pool);
		INIT_WORK(&ring->copy_work, blkmq_fe_copy_work);
		ring->fe = fe;
		ring->index = i;
	}
	mutex_lock(&fe->rings_lock);
	fe->nr_rings = nr;
	WRITE_ONCE(fe->rings, rings);
	mutex_unlock(&fe->rings_lock);
	return 0;
}

/* fe_ring_keys()'s argument: the device, and the key a failed write was for */
struct fe_ring_keys_arg {
	struct blkmq_fe_dev *fe;
	const char *what;
};

/* Our ring keys and what we offer, inside transaction @xbt. */
static int fe_ring_keys(void *arg, struct xenbus_transaction xbt)
{
	struct fe_ring_keys_arg *a = arg;
	struct blkmq_fe_dev *fe = a->fe;
	const char *node = fe->xbdev->nodename;
	unsigned int i;
	int err;

	/*
	 * A key of an earlier connection (a backend that came back, or a
	 * reconnect after a failure) would describe rings that are gone:
	 * what is not written now is removed.
	 */
	a->what = BLKMQ_XS_MQ_NUM_QUEUES;
	if (fe->nr_rings > 1)
		err = xenbus_printf(xbt, node, a->what, "%u", fe->nr_rings);
	else
		err = fe_xs_rm(xbt, node, a->what);
	if (err)
		return err;
	a->what = BLKMQ_XS_RING_PAGE_ORDER;
	if (fe->ring_order)
		err = xenbus_printf(xbt, node, a->what, "%u", fe->ring_order);
	else
		err = fe_xs_rm(xbt, node, a->what);
	if (err)
		return err;
	a->what = "ring keys";
	for (i = 0; i < fe->nr_rings; i++) {
		err = fe_write_ring_keys(fe, xbt, &fe->rings[i]);
		if (err)
			return err;
	}
	a->what = BLKMQ_XS_PROTOCOL;
	err = xenbus_printf(xbt, node, a->what, "%s", BLKMQ_PROTO_NATIVE);
	if (err)
		return err;
	a->what = BLKMQ_XS_FEATURE_PERSISTENT;
	err = xenbus_printf(xbt, node, a->what, "%u", fe->offer_persistent);
	if (err)
		return err;
	a->what = NULL;
	return 0;
}

/* Publish the ring keys in one transaction; fatal on failure. */
static int fe_publish_rings(struct blkmq_fe_dev *fe)
{
	struct fe_ring_keys_arg a = { .fe = fe };
	int err;

	lockdep_assert_held(&fe->mutex);
	err = blkmq_xs_transact(fe_ring_keys, &a);
	if (err)
		xenbus_dev_fatal(fe->xbdev, err, "%s%s",
				 a.what ? "writing " : "XenStore transaction",
				 a.what ?: "");
	return err;
}

/*
 * Backend InitWait: choose the ring count and size, build the rings and
 * publish them, then go Initialised.
 */
static int fe_talk(struct blkmq_fe_dev *fe)
{
	struct xenbus_device *dev = fe->xbdev;
	unsigned int i;
	u32 nr;
	int err;

	lockdep_assert_held(&fe->mutex);
	/*
	 * A new connection (after a restore maybe a new host's backend): what
	 * the last backend refused is used again if this one offers it.
	 */
	fe->feat_off = 0;
	err = fe_choose_rings(fe, &nr);
	if (err)
		return err;

	err = fe_rings_alloc(fe, nr);
	if (err)
		return err;
	for (i = 0; i < fe->nr_rings; i++) {
		struct blkmq_fe_ring *ring = &fe->rings[i];

		err = fe_ring_setup(fe, ring);
		if (err) {
			xenbus_dev_fatal(dev, err, "setting up ring %u", i);
			goto err_rings;
		}
	}
	err = fe_publish_rings(fe);
	if (err)
		goto err_rings;
	xenbus_switch_state(dev, XenbusStateInitialised);
	return 0;

err_rings:
	fe_rings_free(fe);
	return err;
}

/* ---- The disk ---------------------------------------------------------- */

/* What the queue must look like for the connection in @fe. */
static void fe_limits(const struct blkmq_fe_dev *fe, struct blkmq_compat_limits *l)
{
	const struct blkmq_front_disk *d = &fe->disk;
	unsigned int max_discard = UINT_MAX >> SECTOR_SHIFT;

	*l = (struct blkmq_compat_limits) {
		.logical_block_size = d->sector_size,
		.physical_block_size = d->physical_sector_size,
		.max_hw_sectors = fe->max_segs * (PAGE_SIZE >> SECTOR_SHIFT),
		.max_segments = fe->max_segs,
		/* A segment is one page at most and never crosses into the next. */
		.max_segment_size = PAGE_SIZE,
		.seg_boundary_mask = PAGE_SIZE - 1,
		/*
		 * Every segment must be whole logical blocks (blkback and ours
		 * refuse anything else): on a 4096-byte-sector disk a direct
		 * I/O buffer aligned to 512 bytes only would give segments of
		 * 3584 and 512 bytes.  The block layer refuses such a buffer
		 * with EINVAL.
		 */
		.dma_alignment = d->sector_size - 1,
		.write_cache = fe->flush_op != 0,
		.fua = fe->fua,
		/* set even with discard off: a discard racing the switch needs it */
		.discard_granularity = d->discard_granularity ?:
				       d->physical_sector_size,
		.discard_alignment = d->discard_alignment,
	};
	if (d->feat.discard) {
		l->max_discard_sectors = max_discard;
		l->max_secure_erase_sectors = d->feat.discard_secure ?
					      max_discard : 0;
	}
}

static int fe_getgeo(struct block_device *bdev, struct hd_geometry *geo)
{
	sector_t cyl = get_capacity(bdev->bd_disk);

	/* The geometry of no real disk; old tools want one. */
	geo->heads = 255;
	geo->sectors = 63;
	sector_div(cyl, 255 * 63);
	geo->cylinders = cyl > 0xffff ? 0xffff : cyl;
	return 0;
}

/* The disk is opened (see blkmq_compat_open()); refused once it is dead. */
int blkmq_fe_disk_open(struct gendisk *gd)
{
	struct blkmq_fe_dev *fe = gd->private_data;
	int err = 0;

	spin_lock(&fe->open_lock);
	if (fe->state == BLKMQ_FE_DEAD) {
		err = -ENXIO;
	} else {
		fe->open_count++;
		kref_get(&fe->kref);
	}
	spin_unlock(&fe->open_lock);
	return err;
}

/* The disk is closed; the last close finishes a close the backend asked for. */
void blkmq_fe_disk_release(struct gendisk *gd)
{
	struct blkmq_fe_dev *fe = gd->private_data;
	bool close;

	spin_lock(&fe->open_lock);
	close = !--fe->open_count && fe->state == BLKMQ_FE_CLOSING;
	if (close)
		kref_get(&fe->kref);
	spin_unlock(&fe->open_lock);
	/* Finish the close the backend asked for, outside open_mutex. */
	if (close && !schedule_work(&fe->close_work))
		fe_put(fe);
	fe_put(fe);
}

/*
 * Disks added and not yet released.  The block layer reads fe_fops when it
 * releases a disk, which may be well after put_disk() (a late reference,
 * or CONFIG_DEBUG_KOBJECT_RELEASE's delay): module exit waits for that.
 * The decrement to zero and its wake_up_var() pair with the
 * wait_var_event() at module exit.
 */
static atomic_t fe_disks_alive = ATOMIC_INIT(0);

/* The disk's last reference is gone; the block layer frees it next. */
static void fe_free_disk(struct gendisk *gd)
{
	if (atomic_dec_and_test(&fe_disks_alive))
		wake_up_var(&fe_disks_alive);
}

static const struct block_device_operations fe_fops = {
	.owner = THIS_MODULE,
	.open = blkmq_compat_open,
	.release = blkmq_compat_release,
	.getgeo = fe_getgeo,
	.free_disk = fe_free_disk,
};

static int fe_create_disk(struct blkmq_fe_dev *fe)
{
	struct blk_mq_tag_set *set = &fe->tag_set;
	struct blkmq_compat_limits lim;
	struct gendisk *gd;
	int err;

	lockdep_assert_held(&fe->mutex);
	memset(set, 0, sizeof(*set));
	set->ops = &blkmq_fe_mq_ops;
	set->nr_hw_queues = fe->nr_rings;
	set->queue_depth = fe->rings[0].nr_ents;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLKMQ_COMPAT_TAG_SET_FLAGS;
	/* how often a request waiting for the backend is looked at */
	set->timeout = (blkmq_fe_io_timeout && blkmq_fe_io_timeout < 30 ?
			blkmq_fe_io_timeout : 30) * HZ;
	set->cmd_size = sizeof(struct blkmq_fe_pdu);
	set->driver_data = fe;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		return err;
	fe_limits(fe, &lim);
	spin_lock(&fe->lim_lock);
	fe->lim_want = lim;
	spin_unlock(&fe->lim_lock);
	gd = blkmq_compat_alloc_disk(set, &lim, fe);
	if (IS_ERR(gd)) {
		blk_mq_free_tag_set(set);
		return PTR_ERR(gd);
	}
	fe_disk_name(fe, gd->disk_name);
	gd->major = BLKMQ_VDEV_XVD_MAJOR;
	gd->first_minor = fe->first_minor;
	gd->minors = fe->minors;
	gd->fops = &fe_fops;
	gd->private_data = fe;
	set_capacity(gd, fe->disk.sectors);
	fe->gd = gd;
	if (fe->disk.info & BLKMQ_VDISK_READONLY)
		set_disk_ro(gd, true);
	if (fe->disk.info & (BLKMQ_VDISK_REMOVABLE | BLKMQ_VDISK_CDROM))
		gd->flags |= GENHD_FL_REMOVABLE;
	/* counted first: a failed add never calls fe_free_disk() */
	atomic_inc(&fe_disks_alive);
	err = device_add_disk(&fe->xbdev->dev, gd, NULL);
	if (err) {
		atomic_dec(&fe_disks_alive);
		cancel_work_sync(&fe->limits_work);
		put_disk(gd);
		fe->gd = NULL;
		blk_mq_free_tag_set(set);
	}
	return err;
}

/* Read the backend's description of the disk into @d; logs on failure. */
static int fe_read_disk(struct blkmq_fe_dev *fe, struct blkmq_front_disk *d)
{
	struct xenbus_device *dev = fe->xbdev;
	const char *be = dev->otherend;
	struct blkmq_back_keys k = {
		.sectors = blkmq_xs_read_opt(be, BLKMQ_XS_SECTORS),
		.info = blkmq_xs_read_opt(be, BLKMQ_XS_INFO),
		.sector_size = blkmq_xs_read_opt(be, BLKMQ_XS_SECTOR_SIZE),
		.physical_sector_size =
			blkmq_xs_read_opt(be, BLKMQ_XS_PHYSICAL_SECTOR_SIZE),
		.persistent =
			blkmq_xs_read_opt(be, BLKMQ_XS_FEATURE_PERSISTENT),
		.max_indirect =
			blkmq_xs_read_opt(be, BLKMQ_XS_FEATURE_MAX_INDIRECT),
		.flush = blkmq_xs_read_opt(be, BLKMQ_XS_FEATURE_FLUSH_CACHE),
		.barrier = blkmq_xs_read_opt(be, BLKMQ_XS_FEATURE_BARRIER),
		.discard = blkmq_xs_read_opt(be, BLKMQ_XS_FEATURE_DISCARD),
		.discard_granularity =
			blkmq_xs_read_opt(be, BLKMQ_XS_DISCARD_GRANULARITY),
		.discard_alignment =
			blkmq_xs_read_opt(be, BLKMQ_XS_DISCARD_ALIGNMENT),
		.discard_secure =
			blkmq_xs_read_opt(be, BLKMQ_XS_DISCARD_SECURE),
	};
	enum blkmq_front_disk_err e = blkmq_front_disk_parse(&k, d);

	kfree(k.sectors);
	kfree(k.info);
	kfree(k.sector_size);
	kfree(k.physical_sector_size);
	kfree(k.persistent);
	kfree(k.max_indirect);
	kfree(k.flush);
	kfree(k.barrier);
	kfree(k.discard);
	kfree(k.discard_granularity);
	kfree(k.discard_alignment);
	kfree(k.discard_secure);
	if (e != BLKMQ_FDISK_OK) {
		xenbus_dev_fatal(dev, -EINVAL, "backend's disk keys: %s",
				 blkmq_front_disk_err_str(e));
		return -EINVAL;
	}
	return 0;
}

/* Backend Connected again while connected: the disk may have grown. */
static void fe_check_resize(struct blkmq_fe_dev *fe)
{
	char *s = blkmq_xs_read_opt(fe->xbdev->otherend, BLKMQ_XS_SECTORS);
	u64 sectors;

	lockdep_assert_held(&fe->mutex);
	if (!s)
		return;
	if (!blkmq_xs_parse_u64(s, &sectors) &&
	    sectors <= (U64_MAX >> SECTOR_SHIFT) &&
	    sectors != get_capacity(fe->gd)) {
		dev_info(&fe->xbdev->dev, "%s: size %llu -> %llu sectors\n",
			 fe->gd->disk_name,
			 (unsigned long long)get_capacity(fe->gd), sectors);
		fe->disk.sectors = sectors;
		set_capacity_and_notify(fe->gd, sectors);
	}
	kfree(s);
}

static void fe_add_sysfs(struct blkmq_fe_dev *fe)
{
	if (blkmq_fe_sysfs_add(fe))
		dev_warn(&fe->xbdev->dev, "no per-queue statistics in sysfs\n");
}

/* Quiesce the disk's queue, once, for as long as the rings are away. */
static void fe_quiesce(struct blkmq_fe_dev *fe)
{
	lockdep_assert_held(&fe->mutex);
	if (fe->gd && !fe->quiesced) {
		blk_mq_quiesce_queue(fe->gd->queue);
		fe->quiesced = true;
	}
}

/* Undo fe_quiesce(), if it quiesced. */
static void fe_unquiesce(struct blkmq_fe_dev *fe)
{
	lockdep_assert_held(&fe->mutex);
	if (fe->quiesced) {
		blk_mq_unquiesce_queue(fe->gd->queue);
		fe->quiesced = false;
	}
}

/*
 * Take every request off the rings and free them, the disk staying: bios
 * of requests in flight are kept to be resubmitted (a new backend may take
 * fewer segments), bio-less flushes to be requeued.  The queue stays
 * quiesced until fe_recover().  Logs why (@why) and what it kept.
 *
 * Return: the grants of the old connection the backend still mapped (a
 * backend that went away should have let go of them all).
 */
static unsigned int fe_take_back(struct blkmq_fe_dev *fe, const char *why)
{
	struct request *rq, *n;
	unsigned int held = 0, bios = 0, mapped;
	LIST_HEAD(rqs);

	lockdep_assert_held(&fe->mutex);
	fe_quiesce(fe);
	blkmq_fe_sysfs_del(fe);
	mapped = fe_rings_stop(fe, &rqs);
	list_for_each_entry_safe(rq, n, &rqs, queuelist) {
		list_del_init(&rq->queuelist);
		if (!rq->bio) {
			/* A flush: send the same request again. */
			list_add_tail(&rq->queuelist, &fe->held);
			held++;
			continue;
		}
		if (bios < 4)
			dev_info(&fe->xbdev->dev, "%s: to resubmit: %s at sector %llu, %u bytes\n",
				 why, rq_data_dir(rq) ? "write" : "read",
				 (unsigned long long)blk_rq_pos(rq),
				 blk_rq_bytes(rq));
		blkmq_fe_take_bios(&fe->held_bios, rq);
		blk_mq_end_request(rq, BLK_STS_OK);
		bios++;
	}
	mapped += fe_rings_free(fe);
	WRITE_ONCE(fe->state, fe->gd ? BLKMQ_FE_SUSPENDED : BLKMQ_FE_INIT);
	dev_info(&fe->xbdev->dev, "%s: %u request(s) to resubmit, %u to requeue\n",
		 why, bios, held);
	return mapped;
}

/* Send again what was in flight when the guest was saved. */
static void fe_recover(struct blkmq_fe_dev *fe)
{
	struct request_queue *q = fe->gd->queue;
	struct request *rq, *n;
	unsigned int i;

	lockdep_assert_held(&fe->mutex);
	fe_unquiesce(fe);
	list_for_each_entry_safe(rq, n, &fe->held, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_requeue_request(rq, false);
	}
	for (i = 0; i < fe->nr_rings; i++)
		blkmq_fe_ring_kick(&fe->rings[i]);
	blk_mq_start_stopped_hw_queues(q, true);
	blk_mq_kick_requeue_list(q);
	/*
	 * Not submitted from here: a submission may wait for tags, and tags
	 * come back only through requests this xenwatch thread must not hold
	 * up.  limits_work sends them, once this connection's limits are in.
	 */
	spin_lock(&fe->lim_lock);
	bio_list_merge(&fe->lim_bios, &fe->held_bios);
	spin_unlock(&fe->lim_lock);
	bio_list_init(&fe->held_bios);
	if (fe->tag_set.nr_hw_queues != fe->nr_rings)
		schedule_work(&fe->nr_hw_work);
}

static void fe_shutdown(struct blkmq_fe_dev *fe);

/*
 * Each ring's share of the device's bound on persistent grants: the
 * max_persistent_grants parameter, and never more than a quarter of the
 * guest's grant table (counted in version-1 entries), so that one busy
 * disk cannot take the references every other device needs.  A ring may
 * always hold one request's worth.
 */
static u32 fe_pool_cap(struct blkmq_fe_dev *fe)
{
	u32 table = gnttab_max_grant_frames() *
		    (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1));
	u32 one = fe->max_segs + (fe->max_segs > BLKMQ_MAX_SEGMENTS_PER_REQUEST ?
				  DIV_ROUND_UP(fe->max_segs,
					       BLKMQ_SEGS_PER_INDIRECT_PAGE) : 0);
	u32 dev = min(READ_ONCE(max_persistent_grants), table / 4);

	return max(dev / fe->nr_rings, one);
}

/*
 * Choose, in blkmq_neg_front_features(), from the backend's features in @d,
 * our parameters and what we offered, what this connection uses:
 * persistent grants, segments per request, the flush.
 */
static void fe_use_features(struct blkmq_fe_dev *fe,
			    const struct blkmq_front_disk *d)
{
	struct blkmq_front_conn conn = {
		.offer_persistent = fe->offer_persistent,
	};
	struct blkmq_front_want want;

	lockdep_assert_held(&fe->mutex);
	fe_want(fe, &want);
	blkmq_neg_front_features(&want, &d->feat, &conn);
	fe->persistent = conn.persistent;
	fe->max_segs = conn.max_segs;
	fe->flush_op = conn.flush_op;
	fe->fua = conn.fua;
}

/*
 * Size each ring's request table for fe->max_segs and set its share of the
 * persistent grants; fatal when a table cannot be had.
 */
static int fe_rings_alloc_shadows(struct blkmq_fe_dev *fe)
{
	unsigned int i;
	u32 cap;
	int err;

	lockdep_assert_held(&fe->mutex);
	cap = fe_pool_cap(fe);
	WRITE_ONCE(fe->pool_cap, cap);
	for (i = 0; i < fe->nr_rings; i++) {
		err = blkmq_fe_ring_alloc_shadow(&fe->rings[i], fe->max_segs);
		if (err) {
			xenbus_dev_fatal(fe->xbdev, err, "allocating request tables");
			return err;
		}
		fe->rings[i].pool_cap = cap;
	}
	return 0;
}

/*
 * The disk we already have, for a new connection: its new limits wait in
 * fe->lim_want, its new size applies, what it held is sent again.
 */
static void fe_reconnect_disk(struct blkmq_fe_dev *fe,
			      const struct blkmq_front_disk *d)
{
	struct blkmq_compat_limits lim;

	lockdep_assert_held(&fe->mutex);
	/*
	 * The new limits apply from a work item, after the requests
	 * held across the reconnect are sent again (those too large
	 * for this connection are split again as they reach a ring):
	 * on 6.12 the update may wait for them to finish.
	 */
	fe_limits(fe, &lim);
	spin_lock(&fe->lim_lock);
	fe->lim_want = lim;
	spin_unlock(&fe->lim_lock);
	set_capacity_and_notify(fe->gd, d->sectors);
	WRITE_ONCE(fe->stall_dead, false);
	WRITE_ONCE(fe->state, BLKMQ_FE_CONNECTED);
	fe_recover(fe);
	queue_work(blkmq_fe_lim_wq, &fe->limits_work);
}

/* Backend Connected: read the disk, then create it or carry on with it. */
static void fe_connect(struct blkmq_fe_dev *fe)
{
	struct xenbus_device *dev = fe->xbdev;
	struct blkmq_front_disk d;
	int err;

	lockdep_assert_held(&fe->mutex);
	if (fe->state == BLKMQ_FE_CONNECTED) {
		fe_check_resize(fe);
		return;
	}
	if (fe->state != BLKMQ_FE_INIT && fe->state != BLKMQ_FE_SUSPENDED)
		return;
	if (!fe->rings || fe_read_disk(fe, &d))
		return;
	/*
	 * An open disk (after a restore, or a backend that came back) keeps
	 * its logical block size: a file system on it was laid out for it.
	 */
	if (fe->gd && d.sector_size != fe->disk.sector_size) {
		dev_err(&dev->dev,
			"%s: the backend now offers %u-byte sectors, the disk has %u: not reconnecting, the disk stays dead\n",
			fe->gd->disk_name, d.sector_size, fe->disk.sector_size);
		fe_shutdown(fe);
		xenbus_frontend_closed(dev);
		return;
	}
	fe->disk = d;
	fe_use_features(fe, &d);
	if (fe_rings_alloc_shadows(fe))
		return;

	if (!fe->gd) {
		/* Adding the disk reads the partition table: I/O must flow. */
		WRITE_ONCE(fe->state, BLKMQ_FE_CONNECTED);
		err = fe_create_disk(fe);
		if (err) {
			WRITE_ONCE(fe->state, BLKMQ_FE_INIT);
			xenbus_dev_fatal(dev, err, "creating the disk");
			return;
		}
	} else {
		fe_reconnect_disk(fe, &d);
	}
	xenbus_switch_state(dev, XenbusStateConnected);
	fe_add_sysfs(fe);
	dev_info(&dev->dev,
		 "%s: %llu sectors of %u bytes, %u queue(s) of %u slots, persistent grants %s, %u segments per request, %s%s%s\n",
		 fe->gd->disk_name, (unsigned long long)d.sectors,
		 d.sector_size, fe->nr_rings, fe->rings[0].nr_ents,
		 fe->persistent ? "on" : "off", fe->max_segs,
		 fe->flush_op == BLKMQ_OP_FLUSH_DISKCACHE ? "flush" :
		 fe->flush_op ? "barrier" : "no flush",
		 fe->disk.feat.discard ? ", discard" : "",
		 fe->trusted ? "" : ", untrusted backend (bounce)");
}

/*
 * Tear everything down: fail what is in flight or held, remove the disk,
 * free the rings.  The device is dead afterwards.  Called with fe->mutex.
 */
static void fe_shutdown(struct blkmq_fe_dev *fe)
{
	struct request *rq, *n;
	struct bio_list bios;
	struct bio *bio;
	LIST_HEAD(rqs);

	lockdep_assert_held(&fe->mutex);
	spin_lock(&fe->open_lock);
	WRITE_ONCE(fe->state, BLKMQ_FE_DEAD);
	spin_unlock(&fe->open_lock);
	fe->backend_gone = false;
	WRITE_ONCE(fe->stall_dead, false);
	blkmq_fe_sysfs_del(fe);
	/*
	 * No queue_rq may use a ring's interrupt while it is unbound: those
	 * running finish first, those after find the device dead.
	 */
	fe_quiesce(fe);
	fe_rings_stop(fe, &rqs);
	list_splice_tail_init(&fe->held, &rqs);
	list_for_each_entry_safe(rq, n, &rqs, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_end_request(rq, BLK_STS_IOERR);
	}
	while ((bio = bio_list_pop(&fe->held_bios)))
		bio_io_error(bio);
	if (fe->gd) {
		/* Let queued requests reach queue_rq, which fails them. */
		fe_unquiesce(fe);
		blk_mq_start_stopped_hw_queues(fe->gd->queue, true);
		cancel_work_sync(&fe->nr_hw_work);
		/*
		 * Only now, with nothing held: a limits update may wait for
		 * the queue to freeze.  The rings are stopped and we hold the
		 * mutex: nothing schedules it any more.
		 */
		cancel_work_sync(&fe->limits_work);
		spin_lock(&fe->lim_lock);
		bios = fe->lim_bios;
		bio_list_init(&fe->lim_bios);
		spin_unlock(&fe->lim_lock);
		while ((bio = bio_list_pop(&bios)))
			bio_io_error(bio);
		del_gendisk(fe->gd);
		/* bios taken for a resplit end in the deleted disk's submit */
		flush_work(&fe->resplit_work);
		put_disk(fe->gd);
		blk_mq_free_tag_set(&fe->tag_set);
		fe->gd = NULL;
	}
	fe_rings_free(fe);
}

/*
 * Take the requests of an open disk back to wait for a backend that went
 * away (@from_dead: the disk had died); returns whether to wait for it,
 * which is not so when it broke the protocol or still maps grants.
 */
static bool fe_take_back_gone(struct blkmq_fe_dev *fe, bool from_dead)
{
	struct xenbus_device *dev = fe->xbdev;
	unsigned int mapped;
	bool wait = true;

	lockdep_assert_held(&fe->mutex);
	mapped = fe_take_back(fe, "backend gone");
	/* a breach reported up to the unbinding still counts */
	if (from_dead && test_bit(BLKMQ_FE_BREACHED, &fe->feat_off)) {
		dev_err(&dev->dev,
			"%s: the backend broke the protocol: not waiting for it, the disk goes\n",
			fe->gd->disk_name);
		wait = false;
	}
	/*
	 * A backend that still maps grants of the old connection may
	 * still be reading or writing them: sending the requests
	 * again could land an old write after a newer one.  Only a
	 * backend that let go of everything is waited for.
	 */
	if (mapped) {
		dev_err(&dev->dev,
			"%s: the backend went away still mapping %u grant(s): not waiting for it, the disk goes\n",
			fe->gd->disk_name, mapped);
		wait = false;
	}
	return wait;
}

/*
 * A polite close of a disk that serves I/O and is open is put off (the
 * device goes CLOSING) until the last user releases it; returns whether
 * it was put off, now or before.
 */
static bool fe_close_later(struct blkmq_fe_dev *fe, bool polite)
{
	bool in_use;

	lockdep_assert_held(&fe->mutex);
	spin_lock(&fe->open_lock);
	in_use = polite && fe->gd && fe->open_count &&
		 (fe->state == BLKMQ_FE_CONNECTED ||
		  fe->state == BLKMQ_FE_CLOSING);
	if (in_use && fe->state == BLKMQ_FE_CLOSING) {
		spin_unlock(&fe->open_lock);
		return true;
	}
	if (in_use)
		WRITE_ONCE(fe->state, BLKMQ_FE_CLOSING);
	spin_unlock(&fe->open_lock);
	if (in_use) {
		dev_warn(&fe->xbdev->dev,
			 "%s in use: it closes when the last user releases it\n",
			 fe->gd->disk_name);
		return true;
	}
	return false;
}

/*
 * Backend Closing (@polite: the toolstack asks us to let go) or Closed or
 * gone.  A polite request for a disk in use is put off until the last user
 * releases it, and the rings keep serving I/O meanwhile (switching to
 * Closing would make the backend unmap them under the users).  A backend
 * that is gone takes the disk with it: I/O in flight and later fails.
 */
static void fe_backend_closing(struct blkmq_fe_dev *fe, bool polite)
{
	struct xenbus_device *dev = fe->xbdev;
	bool in_use, from_dead;

	lockdep_assert_held(&fe->mutex);
	if (dev->state == XenbusStateClosed)
		return;
	/*
	 * A backend that went away without being asked to (its driver or
	 * driver domain restarting) may come back: an open disk holds its
	 * I/O for backend_wait seconds and reconnects if it does.  We go
	 * back to Initialising, as a frontend that starts over: a backend
	 * that probes afresh offers the disk (InitWait), one that is Closed
	 * offers it again on seeing us.  Until gone_work gives up, a backend
	 * that goes away again (even mid-connect) is waited for the same way.
	 * So is one that stopped answering until io_timeout disabled the disk
	 * (a driver domain that hung, then restarted).
	 */
	spin_lock(&fe->open_lock);
	in_use = !polite && fe->gd && fe->open_count &&
		 (((fe->state == BLKMQ_FE_CONNECTED ||
		    (fe->state == BLKMQ_FE_DEAD && READ_ONCE(fe->stall_dead) &&
		     !test_bit(BLKMQ_FE_BREACHED, &fe->feat_off) &&
		     fe->rings)) && READ_ONCE(backend_wait)) ||
		  (fe->state == BLKMQ_FE_SUSPENDED && fe->backend_gone));
	spin_unlock(&fe->open_lock);
	from_dead = fe->state == BLKMQ_FE_DEAD;
	if (in_use && (fe->rings || fe->state != BLKMQ_FE_SUSPENDED))
		in_use = fe_take_back_gone(fe, from_dead);
	if (in_use) {
		/*
		 * Counted from the first loss, unless the disk died since
		 * (gone_work leaves a dead disk alone): then from now.
		 */
		if (!fe->backend_gone || from_dead) {
			fe->backend_gone = true;
			dev_warn(&dev->dev,
				 "%s: backend gone while the disk is open: holding its I/O for %u s for the backend to come back\n",
				 fe->gd->disk_name, backend_wait);
			mod_delayed_work(system_wq, &fe->gone_work,
					 min(backend_wait, 3600U) * HZ);
		}
		xenbus_switch_state(dev, XenbusStateInitialising);
		return;
	}
	/*
	 * Only a disk that is serving I/O can wait for its users; one that
	 * is between connections (or failed to reconnect: xenbus_dev_fatal()
	 * put us in Closing) goes now, failing what it holds.
	 */
	if (fe_close_later(fe, polite))
		return;
	fe_shutdown(fe);
	xenbus_frontend_closed(dev);
}

/* Responses consumed on the current rings (caller holds fe->mutex). */
static u64 fe_responses(struct blkmq_fe_dev *fe)
{
	unsigned int i;
	u64 n = 0;

	lockdep_assert_held(&fe->mutex);
	for (i = 0; fe->rings && i < fe->nr_rings; i++) {
		spin_lock_irq(&fe->rings[i].lock);
		n += fe->rings[i].stats.responses;
		spin_unlock_irq(&fe->rings[i].lock);
	}
	return n;
}

/* Whether any request is on the current rings (caller holds fe->mutex). */
static bool fe_in_flight(struct blkmq_fe_dev *fe)
{
	unsigned int i;
	bool busy = false;

	lockdep_assert_held(&fe->mutex);
	for (i = 0; fe->rings && i < fe->nr_rings; i++) {
		spin_lock_irq(&fe->rings[i].lock);
		busy |= fe->rings[i].req_prod_pvt != fe->rings[i].rsp_cons;
		spin_unlock_irq(&fe->rings[i].lock);
	}
	return busy;
}

/* The backend did not come back within backend_wait: give the disk up. */
static void fe_gone_work(struct work_struct *work)
{
	struct blkmq_fe_dev *fe = container_of(to_delayed_work(work),
					       struct blkmq_fe_dev, gone_work);

	mutex_lock(&fe->mutex);
	if (!fe->backend_gone)
		goto out;
	/*
	 * Back and answering (or with nothing to answer): done.  A backend
	 * that reconnects but answers nothing, or comes and goes, does not
	 * hold the I/O longer than backend_wait from the first loss.
	 */
	if (fe->state == BLKMQ_FE_CONNECTED &&
	    (fe_responses(fe) || !fe_in_flight(fe))) {
		fe->backend_gone = false;
		goto out;
	}
	if (fe->state == BLKMQ_FE_SUSPENDED || fe->state == BLKMQ_FE_CONNECTED) {
		dev_warn(&fe->xbdev->dev,
			 "%s: the backend did not come back (and answer) in %u s: failing its I/O\n",
			 fe->gd->disk_name, backend_wait);
		fe_shutdown(fe);
		xenbus_frontend_closed(fe->xbdev);
	}
out:
	mutex_unlock(&fe->mutex);
}

static void fe_close_work(struct work_struct *work)
{
	struct blkmq_fe_dev *fe = container_of(work, struct blkmq_fe_dev,
					       close_work);

	mutex_lock(&fe->mutex);
	if (fe->state == BLKMQ_FE_CLOSING) {
		fe_shutdown(fe);
		xenbus_frontend_closed(fe->xbdev);
	}
	mutex_unlock(&fe->mutex);
	fe_put(fe);
}

static void fe_nr_hw_work(struct work_struct *work)
{
	struct blkmq_fe_dev *fe = container_of(work, struct blkmq_fe_dev,
					       nr_hw_work);
	u32 nr;

	/*
	 * No fe->mutex here: fe_shutdown() cancels this work while holding
	 * it, before the disk goes.  The ring count is only a hint; blk-mq
	 * folds hardware queues onto rings whatever it is.
	 */
	nr = READ_ONCE(fe->state) == BLKMQ_FE_CONNECTED ?
	     READ_ONCE(fe->nr_rings) : 0;
	/* Freezes the queue: waits for what is in flight. */
	if (nr && fe->gd) {
		blk_mq_update_nr_hw_queues(&fe->tag_set, nr);
		dev_info(&fe->xbdev->dev, "%u hardware queue(s)\n", nr);
	}
}

/*
 * A backend that offers the disk again (InitWait) after we closed: a
 * backend or driver domain that restarted.  Start over with a new disk,
 * unless an opener still holds the old one; features and size are read
 * afresh at connect.
 */
static bool fe_reopen(struct blkmq_fe_dev *fe)
{
	struct xenbus_device *dev = fe->xbdev;
	bool busy;

	lockdep_assert_held(&fe->mutex);
	if (dev->state != XenbusStateClosed || fe->state != BLKMQ_FE_DEAD ||
	    fe->rings || fe->gd)
		return false;
	spin_lock(&fe->open_lock);
	busy = fe->open_count;
	if (!busy)
		WRITE_ONCE(fe->state, BLKMQ_FE_INIT);
	spin_unlock(&fe->open_lock);
	if (busy) {
		dev_warn_ratelimited(&dev->dev,
				     "backend offers the disk again, but the old one is still open: not reconnecting\n");
		return false;
	}
	dev_info(&dev->dev, "backend offers the disk again: reconnecting\n");
	return true;
}

static void fe_backend_changed(struct xenbus_device *dev,
			       enum xenbus_state bstate)
{
	struct blkmq_fe_dev *fe = dev_get_drvdata(&dev->dev);

	mutex_lock(&fe->mutex);
	switch (bstate) {
	case XenbusStateInitWait:
		if (fe_reopen(fe)) {
			fe_talk(fe);
			break;
		}
		if (dev->state == XenbusStateInitialising && !fe->rings &&
		    (fe->state == BLKMQ_FE_INIT ||
		     fe->state == BLKMQ_FE_SUSPENDED)) {
			if (fe->backend_gone)
				dev_info(&dev->dev,
					 "backend offers the disk again: reconnecting the open disk\n");
			fe_talk(fe);
		}
		break;
	case XenbusStateConnected:
		if (dev->state == XenbusStateInitialised ||
		    dev->state == XenbusStateConnected)
			fe_connect(fe);
		break;
	case XenbusStateClosing:
		fe_backend_closing(fe, true);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		fe_backend_closing(fe, false);
		break;
	default:
		break;
	}
	mutex_unlock(&fe->mutex);
}

static int fe_probe(struct xenbus_device *dev,
		    const struct xenbus_device_id *id)
{
	struct blkmq_fe_dev *fe;
	char *s;
	u32 t;
	int err;

	fe = kzalloc(sizeof(*fe), GFP_KERNEL);
	if (!fe)
		return -ENOMEM;
	fe->xbdev = dev;
	kref_init(&fe->kref);
	mutex_init(&fe->mutex);
	mutex_init(&fe->rings_lock);
	spin_lock_init(&fe->open_lock);
	INIT_LIST_HEAD(&fe->held);
	INIT_LIST_HEAD(&fe->node);
	bio_list_init(&fe->held_bios);
	bio_list_init(&fe->lim_bios);
	INIT_WORK(&fe->close_work, fe_close_work);
	INIT_WORK(&fe->nr_hw_work, fe_nr_hw_work);
	INIT_WORK(&fe->limits_work, blkmq_fe_limits_work);
	spin_lock_init(&fe->lim_lock);
	spin_lock_init(&fe->resplit_lock);
	bio_list_init(&fe->resplit);
	INIT_WORK(&fe->resplit_work, blkmq_fe_resplit_work);
	INIT_DELAYED_WORK(&fe->park_work, blkmq_fe_park_work);
	INIT_DELAYED_WORK(&fe->gone_work, fe_gone_work);
	INIT_DELAYED_WORK(&fe->trim_work, blkmq_fe_trim_work);
	fe->state = BLKMQ_FE_INIT;

	err = fe_parse_vdevice(fe);
	if (err) {
		xenbus_dev_fatal(dev, err, "reading virtual-device");
		goto err_free;
	}
	fe->trusted = trusted;
	s = blkmq_xs_read_opt(dev->nodename, BLKMQ_XS_TRUSTED);
	if (s) {
		if (blkmq_xs_parse_u32(s, &t) || !t)
			fe->trusted = false;
		kfree(s);
	}
	err = fe_reserve_minors(fe);
	if (err) {
		xenbus_dev_fatal(dev, err, "vdevice %#x overlaps another disk",
				 fe->vdevice);
		goto err_free;
	}
	dev_set_drvdata(&dev->dev, fe);
	return 0;

err_free:
	kfree(fe);
	return err;
}

static void fe_remove(struct xenbus_device *dev)
{
	struct blkmq_fe_dev *fe = dev_get_drvdata(&dev->dev);

	mutex_lock(&fe->mutex);
	fe_shutdown(fe);
	mutex_unlock(&fe->mutex);
	flush_work(&fe->close_work);
	cancel_delayed_work_sync(&fe->park_work);
	cancel_delayed_work_sync(&fe->gone_work);
	cancel_delayed_work_sync(&fe->trim_work);
	fe_release_minors(fe);
	dev_set_drvdata(&dev->dev, NULL);
	fe_put(fe);
}

/*
 * After a restore (or a failed or cancelled save): the old rings are
 * gone.  Keep what was in flight, then start over with the (possibly new)
 * backend.  The XenBus core has set our state to Initialising and watches
 * the backend again once this returns.
 */
static int fe_resume(struct xenbus_device *dev)
{
	struct blkmq_fe_dev *fe = dev_get_drvdata(&dev->dev);
	bool stuck;

	mutex_lock(&fe->mutex);
	/*
	 * A device that died before the save (its backend broke the
	 * protocol, or went away) gets a new backend like any other: it
	 * reconnects, unless its disk was removed while still open (see
	 * fe_reopen()).
	 */
	/* a restore starts afresh: gone_work finds nothing to give up */
	fe->backend_gone = false;
	cancel_delayed_work(&fe->gone_work);
	spin_lock(&fe->open_lock);
	stuck = fe->state == BLKMQ_FE_DEAD && !fe->gd && fe->open_count;
	spin_unlock(&fe->open_lock);
	if (stuck) {
		dev_warn(&dev->dev,
			 "resuming a device that died before the save, whose old disk is still open: not reconnecting\n");
		goto out;
	}
	if (fe->state == BLKMQ_FE_CLOSING) {
		/* It was going away; its rings died with the old domain. */
		fe_shutdown(fe);
		xenbus_frontend_closed(dev);
		goto out;
	}
	fe_take_back(fe, "resuming");
	/* A failure is reported through XenBus; returning it would stop the
	 * XenBus core from watching the backend again.
	 */
	if (xenbus_read_driver_state(dev->otherend) == XenbusStateInitWait)
		fe_talk(fe);
out:
	mutex_unlock(&fe->mutex);
	return 0;
}

static const struct xenbus_device_id fe_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver fe_driver = {
	.name = BLKMQ_FE_NAME,
	.ids = fe_ids,
	.probe = fe_probe,
	.remove = fe_remove,
	.resume = fe_resume,
	.otherend_changed = fe_backend_changed,
	.driver.dev_groups = blkmq_fe_dev_groups,
};

static int __init fe_init(void)
{
	int err;

	blkmq_abi_pins();
	if (!xen_domain())
		return -ENODEV;
	if (max_ring_page_order > BLKMQ_RING_ORDER_MAX)
		max_ring_page_order = BLKMQ_RING_ORDER_MAX;
	if (max_indirect_segments > BLKMQ_MAX_INDIRECT_SEGMENTS)
		max_indirect_segments = BLKMQ_MAX_INDIRECT_SEGMENTS;
	blkmq_fe_wq = alloc_workqueue("xen-blkmq-front", WQ_MEM_RECLAIM, 0);
	blkmq_fe_lim_wq = alloc_ordered_workqueue("xen-blkmq-front-limits",
						  WQ_MEM_RECLAIM);
	if (!blkmq_fe_wq || !blkmq_fe_lim_wq) {
		err = -ENOMEM;
		goto out_wq;
	}
	err = register_blkdev(BLKMQ_VDEV_XVD_MAJOR, "xvd");
	if (err) {
		pr_err(BLKMQ_FE_NAME ": major %d is taken (is xen-blkfront loaded?)\n",
		       BLKMQ_VDEV_XVD_MAJOR);
		goto out_wq;
	}
	err = xenbus_register_frontend(&fe_driver);
	if (!err)
		return 0;
	unregister_blkdev(BLKMQ_VDEV_XVD_MAJOR, "xvd");
out_wq:
	if (blkmq_fe_lim_wq)
		destroy_workqueue(blkmq_fe_lim_wq);
	if (blkmq_fe_wq)
		destroy_workqueue(blkmq_fe_wq);
	return err;
}
module_init(fe_init);

static void __exit fe_exit(void)
{
	xenbus_unregister_driver(&fe_driver);
	/* a disk released late still calls into fe_fops */
	wait_var_event(&fe_disks_alive, !atomic_read(&fe_disks_alive));
	/* and a queue directory released late calls fe_queue_release() */
	blkmq_fe_sysfs_wait_gone();
	blkmq_fe_orphans_exit();
	unregister_blkdev(BLKMQ_VDEV_XVD_MAJOR, "xvd");
	destroy_workqueue(blkmq_fe_lim_wq);
	destroy_workqueue(blkmq_fe_wq);
}
module_exit(fe_exit);

MODULE_DESCRIPTION("Xen PV block frontend with one blk-mq hardware queue per ring");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vbd");
