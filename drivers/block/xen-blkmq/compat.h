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

/**
 * blkmq_compat_bdev_open() - open the backing disk of a backend device
 * @dev: device number from physical-device
 * @write: open for writing too
 *
 * Not exclusive, as xen-blkback: the toolstack's hotplug script decides
 * about sharing, a local migration has both ends open the same disk, and a
 * ring still retiring on a slow disk must not keep the next vbd out.
 *
 * Linux 6.5 replaced fmode_t with blk_mode_t here and 6.9 made callers hold
 * a struct file (bdev_file_open_by_dev()).  Until a newer kernel is built in
 * the rig only the 6.1 branch is compiled; the others are written from the
 * documented interfaces and must be build-tested when 6.12 lands.
 *
 * Return: the block device or an ERR_PTR().
 */
static inline struct block_device *
blkmq_compat_bdev_open(dev_t dev, bool write)
{
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
#error "xen-blkmq: add the 6.5+ block device open here (see comment)"
#else
	return blkdev_get_by_dev(dev, FMODE_READ | (write ? FMODE_WRITE : 0), NULL);
#endif
}

/**
 * blkmq_compat_bdev_close() - close what blkmq_compat_bdev_open() opened
 * @bdev: the block device
 * @write: as passed to blkmq_compat_bdev_open()
 */
static inline void blkmq_compat_bdev_close(struct block_device *bdev, bool write)
{
	blkdev_put(bdev, FMODE_READ | (write ? FMODE_WRITE : 0));
}

#endif /* XEN_BLKMQ_COMPAT_H */
