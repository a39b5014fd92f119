// SPDX-License-Identifier: GPL-2.0-only
/*
 * back-sysfs.c - xen-blkmq-back in sysfs
 *
 * On the XenBus device (/sys/bus/xen-backend/devices/vbd-D-N/):
 *   statistics/<counter>   the sum over the device's rings (stats.h)
 *   queue-K/<counter>      ring K's value
 *   persistent, nr_queues, pgrants
 *                          what the current connection uses and holds
 * Counters are written only by their ring's kthread.  A reader takes the
 * value with READ_ONCE: on 64-bit hosts untorn, possibly a moment stale.
 * The device's files are the driver's dev_groups: the driver core adds
 * them after probe and removes them before remove, while the drvdata is
 * set.
 */
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "back.h"
#include "stats.h"

/* ---- the counters: statistics/NAME and queue-K/NAME */

static ssize_t be_stat_dev_show(struct device *d, struct device_attribute *attr,
				char *buf)
{
	const struct blkmq_stat_attr *sa = blkmq_stat_of_dev(attr);
	struct blkmq_be *be = dev_get_drvdata(d);
	unsigned int i;
	u64 v = 0;

	mutex_lock(&be->lock);
	for (i = 0; be->rings && i < be->nr_rings; i++)
		if (be->rings[i])
			v = blkmq_stat_fold(sa, v, blkmq_stat_get(&be->rings[i]->stats, sa));
	mutex_unlock(&be->lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t be_stat_ring_show(struct kobject *kobj, struct kobj_attribute *attr,
				 char *buf)
{
	struct blkmq_be_ring *ring = container_of(kobj, struct blkmq_be_ring, kobj);

	return sysfs_emit(buf, "%llu\n",
			  blkmq_stat_get(&ring->stats, blkmq_stat_of_ring(attr)));
}

#define BE_STAT(field) BLKMQ_STAT_ATTR(be, blkmq_be_stats, field, false)
BE_STAT(rd_req);
BE_STAT(wr_req);
BE_STAT(f_req);
BE_STAT(ds_req);
BE_STAT(rd_sect);
BE_STAT(wr_sect);
BE_STAT(segs);
BE_STAT(errors);
BE_STAT(oo_req);
BE_STAT(pgnt_hit);
BE_STAT(pgnt_miss);
BE_STAT(pgnt_evict);
BE_STAT(map_ops);
BE_STAT(map_calls);
BE_STAT(unmap_ops);
BE_STAT(unmap_calls);
BE_STAT(notify);
BE_STAT(irq);
BE_STAT(spurious);
BE_STAT(irq_moves);

static struct attribute *be_stat_dev_attrs[] = {
	&be_stat_rd_req.dev.attr,
	&be_stat_wr_req.dev.attr,
	&be_stat_f_req.dev.attr,
	&be_stat_ds_req.dev.attr,
	&be_stat_rd_sect.dev.attr,
	&be_stat_wr_sect.dev.attr,
	&be_stat_segs.dev.attr,
	&be_stat_errors.dev.attr,
	&be_stat_oo_req.dev.attr,
	&be_stat_pgnt_hit.dev.attr,
	&be_stat_pgnt_miss.dev.attr,
	&be_stat_pgnt_evict.dev.attr,
	&be_stat_map_ops.dev.attr,
	&be_stat_map_calls.dev.attr,
	&be_stat_unmap_ops.dev.attr,
	&be_stat_unmap_calls.dev.attr,
	&be_stat_notify.dev.attr,
	&be_stat_irq.dev.attr,
	&be_stat_spurious.dev.attr,
	&be_stat_irq_moves.dev.attr,
	NULL
};

static struct attribute *be_stat_ring_attrs[] = {
	&be_stat_rd_req.ring.attr,
	&be_stat_wr_req.ring.attr,
	&be_stat_f_req.ring.attr,
	&be_stat_ds_req.ring.attr,
	&be_stat_rd_sect.ring.attr,
	&be_stat_wr_sect.ring.attr,
	&be_stat_segs.ring.attr,
	&be_stat_errors.ring.attr,
	&be_stat_oo_req.ring.attr,
	&be_stat_pgnt_hit.ring.attr,
	&be_stat_pgnt_miss.ring.attr,
	&be_stat_pgnt_evict.ring.attr,
	&be_stat_map_ops.ring.attr,
	&be_stat_map_calls.ring.attr,
	&be_stat_unmap_ops.ring.attr,
	&be_stat_unmap_calls.ring.attr,
	&be_stat_notify.ring.attr,
	&be_stat_irq.ring.attr,
	&be_stat_spurious.ring.attr,
	&be_stat_irq_moves.ring.attr,
	NULL
};

static const struct attribute_group be_stat_group = {
	.name = "statistics",
	.attrs = be_stat_dev_attrs,
};

/* ---- what the connection uses */

static ssize_t persistent_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct blkmq_be *be = dev_get_drvdata(d);

	return sysfs_emit(buf, "%d\n", be->connected && be->use.persistent);
}
static DEVICE_ATTR_RO(persistent);

static ssize_t nr_queues_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct blkmq_be *be = dev_get_drvdata(d);
	unsigned int n;

	mutex_lock(&be->lock);
	n = be->nr_rings;
	mutex_unlock(&be->lock);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(nr_queues);

/* persistent grants mapped now, over all rings */
static ssize_t pgrants_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct blkmq_be *be = dev_get_drvdata(d);
	unsigned int i, n = 0;

	mutex_lock(&be->lock);
	for (i = 0; be->rings && i < be->nr_rings; i++)
		if (be->rings[i] && be->rings[i]->gcache_mem)
			n += READ_ONCE(be->rings[i]->gcache.used);
	mutex_unlock(&be->lock);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(pgrants);

static struct attribute *be_state_attrs[] = {
	&dev_attr_persistent.attr,
	&dev_attr_nr_queues.attr,
	&dev_attr_pgrants.attr,
	NULL
};

static const struct attribute_group be_state_group = {
	.attrs = be_state_attrs,
};

/* the driver's dev_groups (back-xenbus.c) */
const struct attribute_group *blkmq_be_dev_groups[] = {
	&be_stat_group,
	&be_state_group,
	NULL
};

/* ---- per ring: a queue-K directory, which also counts the ring's references */

static const struct attribute_group be_ring_group = {
	.attrs = be_stat_ring_attrs,
};

static const struct attribute_group *be_ring_groups[] = {
	&be_ring_group,
	NULL
};

/* The last reference to a ring is gone: free it (back.c). */
static void be_ring_release(struct kobject *kobj)
{
	blkmq_be_ring_release(container_of(kobj, struct blkmq_be_ring, kobj));
}

static const struct kobj_type be_ring_ktype = {
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = be_ring_groups,
	.release = be_ring_release,
};

/**
 * blkmq_be_sysfs_ring_init() - start a ring's reference count
 * @ring: a freshly allocated, zeroed ring
 *
 * The caller owns the first reference; blkmq_be_ring_put() drops it.
 */
void blkmq_be_sysfs_ring_init(struct blkmq_be_ring *ring)
{
	kobject_init(&ring->kobj, &be_ring_ktype);
}

/**
 * blkmq_be_sysfs_ring_add() - create queue-K for one ring
 * @ring: the ring
 *
 * Return: 0 or a kobject error.
 */
int blkmq_be_sysfs_ring_add(struct blkmq_be_ring *ring)
{
	return kobject_add(&ring->kobj, &ring->be->dev->dev.kobj, "queue-%u", ring->id);
}

/**
 * blkmq_be_sysfs_ring_del() - remove queue-K of one ring, if it was created
 * @ring: the ring; its memory stays until the last reference goes
 */
void blkmq_be_sysfs_ring_del(struct blkmq_be_ring *ring)
{
	if (ring->kobj.state_in_sysfs)
		kobject_del(&ring->kobj);
}
