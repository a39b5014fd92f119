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

#define BE_STATS(X)							\
	X(rd_req) X(wr_req) X(f_req) X(ds_req) X(rd_sect) X(wr_sect)	\
	X(errors) X(oo_req) X(pgnt_hit) X(pgnt_miss) X(pgnt_evict)	\
	X(map_ops) X(map_calls) X(unmap_ops) X(unmap_calls) X(notify)	\
	X(irq) X(spurious)

/* ---- per device: sums over rings */

static u64 be_sum(struct blkmq_be *be, size_t off)
{
	u64 sum = 0;
	unsigned int i;

	mutex_lock(&be->lock);
	for (i = 0; be->rings && i < be->nr_rings; i++)
		sum += READ_ONCE(*(u64 *)((char *)&be->rings[i].stats + off));
	mutex_unlock(&be->lock);
	return sum;
}

#define BE_DEV_ATTR(name)						\
static ssize_t name##_show(struct device *d, struct device_attribute *a, \
			   char *buf)					\
{									\
	struct blkmq_be *be = dev_get_drvdata(d);			\
									\
	return sysfs_emit(buf, "%llu\n", be ? be_sum(be,		\
			  offsetof(struct blkmq_be_stats, name)) : 0ULL); \
}									\
static DEVICE_ATTR_RO(name);
BE_STATS(BE_DEV_ATTR)

#define BE_DEV_ATTR_REF(name) &dev_attr_##name.attr,
static struct attribute *be_dev_attrs[] = {
	BE_STATS(BE_DEV_ATTR_REF)
	NULL
};

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

	return sysfs_emit(buf, "%u\n", be ? be->nr_rings : 0);
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
		if (be->rings[i].gcache_mem)
			n += READ_ONCE(be->rings[i].gcache.used);
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

	return sysfs_emit(buf, "%llu\n",
			  READ_ONCE(*(u64 *)((char *)&ring->stats + ra->off)));
}

static const struct sysfs_ops be_ring_sysfs_ops = {
	.show = be_ring_show,
};

#define BE_RING_ATTR(ctr)						\
static struct be_ring_attr be_ring_attr_##ctr = {			\
	.attr = { .name = __stringify(ctr), .mode = 0444 },		\
	.off = offsetof(struct blkmq_be_stats, ctr),			\
};
BE_STATS(BE_RING_ATTR)

#define BE_RING_ATTR_REF(name) &be_ring_attr_##name.attr,
static struct attribute *be_ring_attrs[] = {
	BE_STATS(BE_RING_ATTR_REF)
	NULL
};
ATTRIBUTE_GROUPS(be_ring);

/* The ring's memory belongs to the device; the kobject only borrows it. */
static void be_ring_release(struct kobject *kobj)
{
}

static struct kobj_type be_ring_ktype = {
	.sysfs_ops = &be_ring_sysfs_ops,
	.default_groups = be_ring_groups,
	.release = be_ring_release,
};

/**
 * blkmq_be_sysfs_ring_add() - create queue-K for one ring
 * @ring: the ring
 *
 * Return: 0 or a kobject error.
 */
int blkmq_be_sysfs_ring_add(struct blkmq_be_ring *ring)
{
	int err;

	memset(&ring->kobj, 0, sizeof(ring->kobj));
	err = kobject_init_and_add(&ring->kobj, &be_ring_ktype,
				   &ring->be->dev->dev.kobj, "queue-%u", ring->id);
	if (err)
		kobject_put(&ring->kobj);
	return err;
}

/**
 * blkmq_be_sysfs_ring_del() - remove queue-K of one ring
 * @ring: the ring
 */
void blkmq_be_sysfs_ring_del(struct blkmq_be_ring *ring)
{
	kobject_del(&ring->kobj);
	kobject_put(&ring->kobj);
}
