/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stats.h - the one shape both modules give their counters in sysfs
 *
 * Each side keeps its counters as u64 fields of one structure per ring
 * (struct blkmq_fe_stats, struct blkmq_be_stats), reset when the ring is
 * made, that is at each connect.  Every counter shows twice under the
 * XenBus device:
 *
 *   statistics/NAME	the device's value: the sum over its rings (the
 *			largest ring's value for a maximum)
 *   queue-K/NAME	ring K's value
 *
 * Both files come from one static struct blkmq_stat_attr, declared with
 * BLKMQ_STAT_ATTR(): its device_attribute is listed in the "statistics"
 * group (the driver's dev_groups), its kobj_attribute in the ring
 * directories' default group.  A show function finds the field through
 * the offset kept beside them; nothing is looked up by name.
 *
 * Documentation/ABI/testing/sysfs-driver-xen-blkmq-{front,back} say what
 * each counter counts; tools/blkmq-stat shows them as rates.
 */
#ifndef XEN_BLKMQ_STATS_H
#define XEN_BLKMQ_STATS_H

#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

/**
 * struct blkmq_stat_attr - one counter's two sysfs files
 * @dev: statistics/NAME on the device
 * @ring: queue-K/NAME in each ring's directory
 * @off: offset of the u64 in the side's per-ring statistics structure
 * @max: the device shows the largest ring's value rather than the sum
 */
struct blkmq_stat_attr {
	struct device_attribute dev;
	struct kobj_attribute ring;
	unsigned int off;
	bool max;
};

/*
 * BLKMQ_STAT_ATTR(prefix, type, field, max) defines prefix_stat_field for
 * the u64 @field of struct @type, shown by prefix_stat_dev_show() and
 * prefix_stat_ring_show(), which the side defines before.
 */
#define BLKMQ_STAT_ATTR(_pfx, _type, _field, _max)			\
static struct blkmq_stat_attr _pfx##_stat_##_field = {			\
	.dev = {							\
		.attr = { .name = __stringify(_field), .mode = 0444 },	\
		.show = _pfx##_stat_dev_show,				\
	},								\
	.ring = {							\
		.attr = { .name = __stringify(_field), .mode = 0444 },	\
		.show = _pfx##_stat_ring_show,				\
	},								\
	.off = offsetof(struct _type, _field),				\
	.max = _max,							\
}

static inline const struct blkmq_stat_attr *
blkmq_stat_of_dev(const struct device_attribute *attr)
{
	return container_of(attr, struct blkmq_stat_attr, dev);
}

static inline const struct blkmq_stat_attr *
blkmq_stat_of_ring(const struct kobj_attribute *attr)
{
	return container_of(attr, struct blkmq_stat_attr, ring);
}

/**
 * blkmq_stat_get() - one ring's value of a counter
 * @stats: the ring's statistics structure
 * @sa: the counter
 *
 * The caller keeps the ring alive and, where its writers need it, holds
 * the lock they write under.
 *
 * Return: the value.
 */
static inline u64 blkmq_stat_get(const void *stats,
				 const struct blkmq_stat_attr *sa)
{
	return READ_ONCE(*(const u64 *)((const char *)stats + sa->off));
}

/**
 * blkmq_stat_fold() - add one ring's value to the device's
 * @sa: the counter
 * @acc: the device's value so far (0 before the first ring)
 * @v: the ring's value
 *
 * Return: the device's value with @v in it.
 */
static inline u64 blkmq_stat_fold(const struct blkmq_stat_attr *sa, u64 acc,
				  u64 v)
{
	return sa->max ? max(acc, v) : acc + v;
}

#endif /* XEN_BLKMQ_STATS_H */
