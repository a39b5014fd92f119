// SPDX-License-Identifier: GPL-2.0-only
/*
 * front-sysfs.c - xen-blkmq-front in sysfs
 *
 * On the XenBus device (/sys/bus/xen/devices/vbd-N/):
 *   nr_queues, ring_order, persistent, max_segments, trusted, flush_op,
 *   pool_cap, pgrants
 *	what the current connection uses and holds
 *   statistics/<counter>
 *	the sum over the rings of struct blkmq_fe_stats (stats.h)
 *   queue-K/<counter>, queue-K/pool_size, queue-K/ring_state
 *	ring K, since the last connect
 * The device's files are the driver's dev_groups; their readers find the
 * rings under fe->rings_lock.  The queue directories exist while
 * connected; their readers take only the ring's lock, and the control
 * plane removes the directories (which waits for readers) before it frees
 * the rings.
 */
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/wait_bit.h>

#include "front.h"
#include "stats.h"

/**
 * struct blkmq_fe_queue - the sysfs directory queue-K of one ring
 * @kobj: the directory; its release frees this structure
 * @ring: the ring, valid while the directory is in sysfs
 */
struct blkmq_fe_queue {
	struct kobject kobj;
	struct blkmq_fe_ring *ring;
};

static struct blkmq_fe_ring *fe_kobj_ring(struct kobject *kobj)
{
	return container_of(kobj, struct blkmq_fe_queue, kobj)->ring;
}

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

/* persistent grants the rings hold now, free or in use */
static ssize_t pgrants_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct blkmq_fe_dev *fe = fe_of(dev);
	unsigned int i, n = 0;

	if (!fe)
		return -ENODEV;
	mutex_lock(&fe->rings_lock);
	for (i = 0; fe->rings && i < fe->nr_rings; i++) {
		spin_lock_irq(&fe->rings[i].lock);
		n += fe->rings[i].pool_size;
		spin_unlock_irq(&fe->rings[i].lock);
	}
	mutex_unlock(&fe->rings_lock);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(pgrants);

static struct attribute *fe_dev_attrs[] = {
	&dev_attr_nr_queues.attr,
	&dev_attr_ring_order.attr,
	&dev_attr_persistent.attr,
	&dev_attr_max_segments.attr,
	&dev_attr_trusted.attr,
	&dev_attr_flush_op.attr,
	&dev_attr_pool_cap.attr,
	&dev_attr_resplit.attr,
	&dev_attr_pgrants.attr,
	NULL,
};

static const struct attribute_group fe_dev_group = {
	.attrs = fe_dev_attrs,
};

/* ---- the counters: statistics/NAME and queue-K/NAME */

static u64 fe_ring_stat(struct blkmq_fe_ring *ring,
			const struct blkmq_stat_attr *sa)
{
	u64 v;

	spin_lock_irq(&ring->lock);
	v = blkmq_stat_get(&ring->stats, sa);
	spin_unlock_irq(&ring->lock);
	return v;
}

static ssize_t fe_stat_dev_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	const struct blkmq_stat_attr *sa = blkmq_stat_of_dev(attr);
	struct blkmq_fe_dev *fe = fe_of(dev);
	unsigned int i;
	u64 v = 0;

	if (!fe)
		return -ENODEV;
	mutex_lock(&fe->rings_lock);
	for (i = 0; fe->rings && i < fe->nr_rings; i++)
		v = blkmq_stat_fold(sa, v, fe_ring_stat(&fe->rings[i], sa));
	mutex_unlock(&fe->rings_lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t fe_stat_ring_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", fe_ring_stat(fe_kobj_ring(kobj),
						      blkmq_stat_of_ring(attr)));
}

#define FE_STAT(field) BLKMQ_STAT_ATTR(fe, blkmq_fe_stats, field, false)
FE_STAT(rd_req);
FE_STAT(wr_req);
FE_STAT(f_req);
FE_STAT(ds_req);
FE_STAT(rd_sect);
FE_STAT(wr_sect);
FE_STAT(segs);
FE_STAT(errors);
FE_STAT(responses);
FE_STAT(ring_full);
FE_STAT(notify_sent);
FE_STAT(notify_suppressed);
FE_STAT(pool_hits);
FE_STAT(pool_fresh);
FE_STAT(bounces);
FE_STAT(direct);
FE_STAT(stalls);
FE_STAT(parked);
FE_STAT(pool_capped);
FE_STAT(pool_trimmed);
FE_STAT(grants_short);
FE_STAT(resplit);
FE_STAT(copy_deferred);
BLKMQ_STAT_ATTR(fe, blkmq_fe_stats, irq_max_ns, true);
FE_STAT(irq_moves);

static struct attribute *fe_stat_dev_attrs[] = {
	&fe_stat_rd_req.dev.attr,
	&fe_stat_wr_req.dev.attr,
	&fe_stat_f_req.dev.attr,
	&fe_stat_ds_req.dev.attr,
	&fe_stat_rd_sect.dev.attr,
	&fe_stat_wr_sect.dev.attr,
	&fe_stat_segs.dev.attr,
	&fe_stat_errors.dev.attr,
	&fe_stat_responses.dev.attr,
	&fe_stat_ring_full.dev.attr,
	&fe_stat_notify_sent.dev.attr,
	&fe_stat_notify_suppressed.dev.attr,
	&fe_stat_pool_hits.dev.attr,
	&fe_stat_pool_fresh.dev.attr,
	&fe_stat_bounces.dev.attr,
	&fe_stat_direct.dev.attr,
	&fe_stat_stalls.dev.attr,
	&fe_stat_parked.dev.attr,
	&fe_stat_pool_capped.dev.attr,
	&fe_stat_pool_trimmed.dev.attr,
	&fe_stat_grants_short.dev.attr,
	&fe_stat_resplit.dev.attr,
	&fe_stat_copy_deferred.dev.attr,
	&fe_stat_irq_max_ns.dev.attr,
	&fe_stat_irq_moves.dev.attr,
	NULL
};

static const struct attribute_group fe_stat_group = {
	.name = "statistics",
	.attrs = fe_stat_dev_attrs,
};

const struct attribute_group *blkmq_fe_dev_groups[] = {
	&fe_dev_group,
	&fe_stat_group,
	NULL,
};

/* ---- per ring: queue-K */

static ssize_t pool_size_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct blkmq_fe_ring *ring = fe_kobj_ring(kobj);
	unsigned int v;

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

static struct attribute *fe_queue_attrs[] = {
	&fe_stat_rd_req.ring.attr,
	&fe_stat_wr_req.ring.attr,
	&fe_stat_f_req.ring.attr,
	&fe_stat_ds_req.ring.attr,
	&fe_stat_rd_sect.ring.attr,
	&fe_stat_wr_sect.ring.attr,
	&fe_stat_segs.ring.attr,
	&fe_stat_errors.ring.attr,
	&fe_stat_responses.ring.attr,
	&fe_stat_ring_full.ring.attr,
	&fe_stat_notify_sent.ring.attr,
	&fe_stat_notify_suppressed.ring.attr,
	&fe_stat_pool_hits.ring.attr,
	&fe_stat_pool_fresh.ring.attr,
	&fe_stat_bounces.ring.attr,
	&fe_stat_direct.ring.attr,
	&fe_stat_stalls.ring.attr,
	&fe_stat_parked.ring.attr,
	&fe_stat_pool_capped.ring.attr,
	&fe_stat_pool_trimmed.ring.attr,
	&fe_stat_grants_short.ring.attr,
	&fe_stat_resplit.ring.attr,
	&fe_stat_copy_deferred.ring.attr,
	&fe_stat_irq_max_ns.ring.attr,
	&fe_stat_irq_moves.ring.attr,
	&fe_attr_pool_size.attr,
	&fe_attr_ring_state.attr,
	NULL
};
ATTRIBUTE_GROUPS(fe_queue);

/*
 * Queue directories not yet released.  A release may run well after
 * kobject_put() (CONFIG_DEBUG_KOBJECT_RELEASE delays it by seconds), and
 * its code is this module's: module exit waits for the count to reach 0
 * (wake_up_var() after the fully ordered decrement pairs with its
 * wait_var_event()).
 */
static atomic_t fe_queues_alive = ATOMIC_INIT(0);

static void fe_queue_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct blkmq_fe_queue, kobj));
	if (atomic_dec_and_test(&fe_queues_alive))
		wake_up_var(&fe_queues_alive);
}

/**
 * blkmq_fe_sysfs_wait_gone() - wait until every queue directory is released
 *
 * For module exit, after the driver is unregistered.
 */
void blkmq_fe_sysfs_wait_gone(void)
{
	wait_var_event(&fe_queues_alive, !atomic_read(&fe_queues_alive));
}

static const struct kobj_type fe_queue_ktype = {
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = fe_queue_groups,
	.release = fe_queue_release,
};

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
	fe->qdirs = kcalloc(fe->nr_rings, sizeof(*fe->qdirs), GFP_KERNEL);
	if (!fe->qdirs)
		return -ENOMEM;
	for (i = 0; i < fe->nr_rings; i++) {
		struct blkmq_fe_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);

		if (!q) {
			err = -ENOMEM;
			goto err;
		}
		q->ring = &fe->rings[i];
		atomic_inc(&fe_queues_alive);
		kobject_init(&q->kobj, &fe_queue_ktype);
		fe->qdirs[i] = q;
		fe->nr_qdirs = i + 1;
		err = kobject_add(&q->kobj, parent, "queue-%u", i);
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
	unsigned int i;

	lockdep_assert_held(&fe->mutex);
	/*
	 * kobject_del() returns once no reader is left in the directory's
	 * files (the only users of @ring); the memory goes with the last
	 * reference, which may come later.  A reconnect adds the same names
	 * at once.
	 */
	for (i = 0; i < fe->nr_qdirs; i++) {
		if (fe->qdirs[i]->kobj.state_in_sysfs)
			kobject_del(&fe->qdirs[i]->kobj);
		kobject_put(&fe->qdirs[i]->kobj);
	}
	kfree(fe->qdirs);
	fe->qdirs = NULL;
	fe->nr_qdirs = 0;
}
