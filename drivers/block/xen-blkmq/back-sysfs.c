// SPDX-License-Identifier: GPL-2.0-only
/*
 * back-sysfs.c - xen-blkmq-back statistics
 *
 * On the xenbus device (/sys/bus/xen-backend/devices/vbd-D-N/):
 *   statistics/<counter>   the sum over the device's rings
 *   queue-K/<counter>      one ring's value
 * Counters are written only by their ring's kthread; readers here take a
 * possibly slightly stale but untorn value (READ_ONCE of a u64).
 */
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "back.h"

/* The counters of struct blkmq_be_stats, as sysfs shows them. */
struct be_stat {
	const char *name;
	size_t off;
};

#define BE_STAT(f) { __stringify(f), offsetof(struct blkmq_be_stats, f) }

static const struct be_stat be_stats[] = {
	BE_STAT(rd_req), BE_STAT(wr_req), BE_STAT(f_req), BE_STAT(ds_req),
	BE_STAT(rd_sect), BE_STAT(wr_sect), BE_STAT(errors), BE_STAT(oo_req),
	BE_STAT(pgnt_hit), BE_STAT(pgnt_miss), BE_STAT(pgnt_evict),
	BE_STAT(map_ops), BE_STAT(map_calls), BE_STAT(unmap_ops),
	BE_STAT(unmap_calls), BE_STAT(notify), BE_STAT(irq), BE_STAT(spurious),
};

#define BE_NR_STATS ARRAY_SIZE(be_stats)

static u64 stat_read(const struct blkmq_be_stats *st, size_t off)
{
	return READ_ONCE(*(const u64 *)((const char *)st + off));
}

/* ---- per device: sums over rings */

static u64 be_sum(struct blkmq_be *be, size_t off)
{
	u64 sum = 0;
	unsigned int i;

	mutex_lock(&be->lock);
	for (i = 0; be->rings && i < be->nr_rings; i++)
		if (be->rings[i])
			sum += stat_read(&be->rings[i]->stats, off);
	mutex_unlock(&be->lock);
	return sum;
}

static ssize_t be_dev_stat_show(struct device *d, struct device_attribute *attr,
				char *buf)
{
	struct dev_ext_attribute *ea = container_of(attr, struct dev_ext_attribute, attr);
	struct blkmq_be *be = dev_get_drvdata(d);

	return sysfs_emit(buf, "%llu\n", be ? be_sum(be, (size_t)ea->var) : 0ULL);
}

static struct dev_ext_attribute be_dev_stat_attrs[BE_NR_STATS];
static struct attribute *be_dev_attrs[BE_NR_STATS + 1];

static const struct attribute_group be_dev_group = {
	.name = "statistics",
	.attrs = be_dev_attrs,
};

static ssize_t persistent_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct blkmq_be *be = dev_get_drvdata(d);

	return sysfs_emit(buf, "%d\n", be && be->connected && be->use.persistent);
}
static DEVICE_ATTR_RO(persistent);

static ssize_t nr_queues_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct blkmq_be *be = dev_get_drvdata(d);
	unsigned int n = 0;

	if (be) {
		mutex_lock(&be->lock);
		n = be->nr_rings;
		mutex_unlock(&be->lock);
	}
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(nr_queues);

static ssize_t pgrants_show(struct device *d, struct device_attribute *a, char *buf)
{
	struct blkmq_be *be = dev_get_drvdata(d);
	unsigned int i, n = 0;

	if (!be)
		return sysfs_emit(buf, "0\n");
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

/**
 * blkmq_be_sysfs_add() - create the device's statistics files
 * @be: the device
 *
 * Return: 0 or a sysfs error.
 */
int blkmq_be_sysfs_add(struct blkmq_be *be)
{
	int err;

	err = sysfs_create_group(&be->dev->dev.kobj, &be_dev_group);
	if (err)
		return err;
	err = sysfs_create_group(&be->dev->dev.kobj, &be_state_group);
	if (err)
		sysfs_remove_group(&be->dev->dev.kobj, &be_dev_group);
	return err;
}

/**
 * blkmq_be_sysfs_del() - remove what blkmq_be_sysfs_add() created
 * @be: the device
 */
void blkmq_be_sysfs_del(struct blkmq_be *be)
{
	sysfs_remove_group(&be->dev->dev.kobj, &be_state_group);
	sysfs_remove_group(&be->dev->dev.kobj, &be_dev_group);
}

/* ---- per ring: a queue-K directory */

struct be_ring_attr {
	struct attribute attr;
	size_t off;
};

static ssize_t be_ring_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct blkmq_be_ring *ring = container_of(kobj, struct blkmq_be_ring, kobj);
	struct be_ring_attr *ra = container_of(attr, struct be_ring_attr, attr);

	return sysfs_emit(buf, "%llu\n", stat_read(&ring->stats, ra->off));
}

static const struct sysfs_ops be_ring_sysfs_ops = {
	.show = be_ring_show,
};

static struct be_ring_attr be_ring_stat_attrs[BE_NR_STATS];
static struct attribute *be_ring_attrs[BE_NR_STATS + 1];

static const struct attribute_group be_ring_group = {
	.attrs = be_ring_attrs,
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

static struct kobj_type be_ring_ktype = {
	.sysfs_ops = &be_ring_sysfs_ops,
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

/**
 * blkmq_be_sysfs_init() - build the statistics attribute tables
 *
 * Called once at module load, before any device can appear.
 */
void blkmq_be_sysfs_init(void)
{
	unsigned int i;

	for (i = 0; i < BE_NR_STATS; i++) {
		struct dev_ext_attribute *da = &be_dev_stat_attrs[i];
		struct be_ring_attr *ra = &be_ring_stat_attrs[i];

		sysfs_attr_init(&da->attr.attr);
		da->attr.attr.name = be_stats[i].name;
		da->attr.attr.mode = 0444;
		da->attr.show = be_dev_stat_show;
		da->var = (void *)be_stats[i].off;
		be_dev_attrs[i] = &da->attr.attr;

		sysfs_attr_init(&ra->attr);
		ra->attr.name = be_stats[i].name;
		ra->attr.mode = 0444;
		ra->off = be_stats[i].off;
		be_ring_attrs[i] = &ra->attr;
	}
}
