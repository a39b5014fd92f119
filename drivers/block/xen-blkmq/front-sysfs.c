// SPDX-License-Identifier: GPL-2.0-only
/*
 * front-sysfs.c - xen-blkmq-front statistics in sysfs
 *
 * On the XenBus device (/sys/bus/xen/devices/vbd-N/):
 *   nr_queues, ring_order, persistent, max_segments, trusted, flush
 *	what the current connection uses
 *   queue-K/<counter>
 *	struct blkmq_fe_stats of ring K, since the last connect
 * The queue directories exist while connected; their readers take only
 * the ring's lock, and the control plane removes the directories (which
 * waits for readers) before it frees the rings.
 */
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "front.h"

static struct blkmq_fe_dev *fe_of(struct device *dev)
{
	return dev_get_drvdata(dev);
}

#define FE_DEV_ATTR(name, expr)						\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct blkmq_fe_dev *fe = fe_of(dev);				\
									\
	if (!fe)							\
		return -ENODEV;						\
	return sysfs_emit(buf, "%u\n", (unsigned int)(expr));		\
}									\
static DEVICE_ATTR_RO(name)

FE_DEV_ATTR(nr_queues, READ_ONCE(fe->nr_rings));
FE_DEV_ATTR(ring_order, READ_ONCE(fe->ring_order));
FE_DEV_ATTR(persistent, READ_ONCE(fe->persistent));
FE_DEV_ATTR(max_segments, READ_ONCE(fe->max_segs));
FE_DEV_ATTR(trusted, READ_ONCE(fe->trusted));
FE_DEV_ATTR(flush_op, READ_ONCE(fe->flush_op));
FE_DEV_ATTR(pool_cap, READ_ONCE(fe->pool_cap));

/* bios taken to be sent again (unfit for the connection, or held across it) */
static ssize_t resplit_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct blkmq_fe_dev *fe = fe_of(dev);
	u64 taken, sent;

	if (!fe)
		return -ENODEV;
	spin_lock_irq(&fe->resplit_lock);
	taken = fe->resplit_taken;
	sent = fe->resplit_sent;
	spin_unlock_irq(&fe->resplit_lock);
	return sysfs_emit(buf, "taken %llu sent %llu\n", taken, sent);
}
static DEVICE_ATTR_RO(resplit);

static struct attribute *fe_dev_attrs[] = {
	&dev_attr_nr_queues.attr,
	&dev_attr_ring_order.attr,
	&dev_attr_persistent.attr,
	&dev_attr_max_segments.attr,
	&dev_attr_trusted.attr,
	&dev_attr_flush_op.attr,
	&dev_attr_pool_cap.attr,
	&dev_attr_resplit.attr,
	NULL,
};

static const struct attribute_group fe_dev_group = {
	.attrs = fe_dev_attrs,
};

const struct attribute_group *blkmq_fe_dev_groups[] = {
	&fe_dev_group,
	NULL,
};

/* The ring behind a queue-K directory. */
static struct blkmq_fe_ring *fe_kobj_ring(struct kobject *kobj)
{
	struct blkmq_fe_dev *fe = fe_of(kobj_to_dev(kobj->parent));
	unsigned int i;

	if (!fe || sscanf(kobject_name(kobj), "queue-%u", &i) != 1 ||
	    i >= fe->nr_kobj)
		return NULL;
	return &fe->rings[i];
}

/* The counters of struct blkmq_fe_stats, as sysfs shows them. */
struct fe_stat {
	const char *name;
	size_t off;
};

#define FE_STAT(f) { __stringify(f), offsetof(struct blkmq_fe_stats, f) }

static const struct fe_stat fe_stats[] = {
	FE_STAT(requests), FE_STAT(responses), FE_STAT(notify_sent),
	FE_STAT(notify_suppressed), FE_STAT(pool_hits), FE_STAT(pool_fresh),
	FE_STAT(bounces), FE_STAT(direct), FE_STAT(ring_full), FE_STAT(errors),
	FE_STAT(stalls), FE_STAT(parked), FE_STAT(pool_capped),
	FE_STAT(pool_trimmed), FE_STAT(grants_short), FE_STAT(resplit),
	FE_STAT(copy_deferred), FE_STAT(irq_max_ns),
};

static ssize_t fe_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct blkmq_fe_ring *ring = fe_kobj_ring(kobj);
	const struct fe_stat *st = NULL;
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(fe_stats); i++)
		if (!strcmp(attr->attr.name, fe_stats[i].name))
			st = &fe_stats[i];
	if (!ring || !st)
		return -ENODEV;
	spin_lock_irq(&ring->lock);
	v = *(const u64 *)((const char *)&ring->stats + st->off);
	spin_unlock_irq(&ring->lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t pool_size_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct blkmq_fe_ring *ring = fe_kobj_ring(kobj);
	unsigned int v;

	if (!ring)
		return -ENODEV;
	spin_lock_irq(&ring->lock);
	v = ring->pool_size;
	spin_unlock_irq(&ring->lock);
	return sysfs_emit(buf, "%u\n", v);
}

/*
 * One line that says where a ring stands, for a rig dump of a stuck guest:
 * requests in flight, our indices, the shared ones, and the flags.
 */
static ssize_t ring_state_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct blkmq_fe_ring *ring = fe_kobj_ring(kobj);
	u32 id, busy = 0, rsp_prod = 0, req_event = 0, rsp_event = 0;
	u32 prod_pvt, pushed, cons, parked;
	bool stopped, dead;

	if (!ring)
		return -ENODEV;
	spin_lock_irq(&ring->lock);
	for (id = 0; ring->slots && id < ring->nr_ents; id++)
		busy += ring->slots[id].busy;
	if (ring->sring) {
		rsp_prod = READ_ONCE(ring->sring->rsp_prod);
		req_event = READ_ONCE(ring->sring->req_event);
		rsp_event = READ_ONCE(ring->sring->rsp_event);
	}
	prod_pvt = ring->req_prod_pvt;
	pushed = ring->req_pushed;
	cons = ring->rsp_cons;
	stopped = ring->stopped;
	dead = ring->dead;
	parked = ring->nr_parked;
	spin_unlock_irq(&ring->lock);
	return sysfs_emit(buf,
			  "inflight %u req_prod_pvt %u req_pushed %u rsp_cons %u rsp_prod %u req_event %u rsp_event %u stopped %d dead %d parked %u\n",
			  busy, prod_pvt, pushed, cons, rsp_prod, req_event,
			  rsp_event, stopped, dead, parked);
}

static struct kobj_attribute fe_attr_pool_size = __ATTR_RO(pool_size);
static struct kobj_attribute fe_attr_ring_state = __ATTR_RO(ring_state);
static struct kobj_attribute fe_stat_attrs[ARRAY_SIZE(fe_stats)];
/* the counters, pool_size, ring_state and the terminating NULL */
static struct attribute *fe_queue_attrs[ARRAY_SIZE(fe_stats) + 3];

static const struct attribute_group fe_queue_group = {
	.attrs = fe_queue_attrs,
};

/**
 * blkmq_fe_sysfs_init() - build the attribute table of the queue directories
 */
void blkmq_fe_sysfs_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fe_stats); i++) {
		sysfs_attr_init(&fe_stat_attrs[i].attr);
		fe_stat_attrs[i].attr.name = fe_stats[i].name;
		fe_stat_attrs[i].attr.mode = 0444;
		fe_stat_attrs[i].show = fe_stat_show;
		fe_queue_attrs[i] = &fe_stat_attrs[i].attr;
	}
	fe_queue_attrs[i++] = &fe_attr_pool_size.attr;
	fe_queue_attrs[i] = &fe_attr_ring_state.attr;
}

/**
 * blkmq_fe_sysfs_add() - create the queue-K directories of a connected device
 * @fe: the device, with its rings set up; called with fe->mutex
 *
 * Return: 0 or -errno (the device works without the directories).
 */
int blkmq_fe_sysfs_add(struct blkmq_fe_dev *fe)
{
	struct kobject *parent = &fe->xbdev->dev.kobj;
	unsigned int i;
	int err;

	lockdep_assert_held(&fe->mutex);
	fe->kobj_queues = kcalloc(fe->nr_rings, sizeof(*fe->kobj_queues),
				  GFP_KERNEL);
	if (!fe->kobj_queues)
		return -ENOMEM;
	for (i = 0; i < fe->nr_rings; i++) {
		char name[sizeof("queue-") + 10];	/* 10: any u32 */
		struct kobject *k;

		snprintf(name, sizeof(name), "queue-%u", i);
		k = kobject_create_and_add(name, parent);
		if (!k) {
			err = -ENOMEM;
			goto err;
		}
		fe->kobj_queues[i] = k;
		fe->nr_kobj = i + 1;
		err = sysfs_create_group(k, &fe_queue_group);
		if (err)
			goto err;
	}
	return 0;
err:
	blkmq_fe_sysfs_del(fe);
	return err;
}

/**
 * blkmq_fe_sysfs_del() - remove the queue-K directories
 * @fe: the device; called with fe->mutex, before the rings are freed
 */
void blkmq_fe_sysfs_del(struct blkmq_fe_dev *fe)
{
	unsigned int i, n = fe->nr_kobj;

	lockdep_assert_held(&fe->mutex);
	/* New readers see no directory from here on. */
	WRITE_ONCE(fe->nr_kobj, 0);
	/*
	 * Out of sysfs now (a reconnect adds the same names at once); the
	 * memory goes with the last reference, which may come later.
	 */
	for (i = 0; i < n; i++) {
		kobject_del(fe->kobj_queues[i]);
		kobject_put(fe->kobj_queues[i]);
	}
	kfree(fe->kobj_queues);
	fe->kobj_queues = NULL;
}
