/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - the one place where xen-blkmq depends on the kernel version
 *
 * xen-blkmq builds against Linux 6.1 (Debian 12) and newer.  Every kernel
 * interface that changed in that range is wrapped here, and each wrapper
 * names the release that changed it, so that it can be deleted once the
 * oldest supported kernel is past that release.  Code outside this file
 * does not test LINUX_VERSION_CODE.
 */
#ifndef XEN_BLKMQ_COMPAT_H
#define XEN_BLKMQ_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/version.h>

/**
 * blkmq_compat_alloc_disk() - allocate a gendisk with its blk-mq queue
 * @set: an initialised tag set
 * @queuedata: stored in the new queue's ->queuedata
 *
 * Linux 6.9 added a struct queue_limits argument to blk_mq_alloc_disk().
 * Passing NULL there gives the default limits, which is what 6.1 always
 * gives, so both branches return the same thing.  Setting limits afterwards
 * also differs (6.1 uses the blk_queue_*() setters, 6.9 added
 * queue_limits_start_update() and 6.11 removed most setters); that wrapper
 * will join this one when the frontend sets limits.
 *
 * Return: the disk, or an ERR_PTR() on failure.
 */
static inline struct gendisk *
blkmq_compat_alloc_disk(struct blk_mq_tag_set *set, void *queuedata)
{
#if KERNEL_VERSION(6, 9, 0) <= LINUX_VERSION_CODE
	return blk_mq_alloc_disk(set, NULL, queuedata);
#else
	return blk_mq_alloc_disk(set, queuedata);
#endif
}

#endif /* XEN_BLKMQ_COMPAT_H */
