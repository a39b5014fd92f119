/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - the one place where xen-blkmq depends on the kernel version
 *
 * xen-blkmq builds against Linux 6.1 (Debian 12) and 6.12 (Debian 13 and
 * Debian 12's security archive), and lint compiles it against both header
 * trees.  Every kernel interface that changed between them is wrapped
 * here, one wrapper per interface, named for what it does, each saying
 * which release changed what, so that a branch can go once the oldest
 * supported kernel is past it.  Code outside this file does not test
 * LINUX_VERSION_CODE.
 *
 * Two ranges are supported: before 6.5, and 6.11 onwards.  Between them
 * the interfaces below changed several times (6.5 block device opens,
 * 6.7 bdev handles, 6.9 bdev files and atomic queue limits, 6.11 queue
 * features); no distribution we target ships those kernels and no header
 * tree of them is built here, so they stop at the #error below rather
 * than compile branches nobody tested.
 */
#ifndef XEN_BLKMQ_COMPAT_H
#define XEN_BLKMQ_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/version.h>

#define BLKMQ_COMPAT_NEW	(KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE)

/* Kernels before 6.7 (Debian's 6.1 has it backported) lack the bounds hint. */
#ifndef __counted_by
#define __counted_by(member)
#endif

#if !BLKMQ_COMPAT_NEW && KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
#error "xen-blkmq: Linux 6.5 to 6.10 is not supported (see compat.h)"
#endif

#if BLKMQ_COMPAT_NEW
#include <linux/fs.h>
#endif

/* ---- Frontend: the queue's limits -------------------------------------- */

/**
 * struct blkmq_compat_limits - what the frontend asks of its queue
 * @logical_block_size: the disk's sector size
 * @physical_block_size: the disk's physical sector size
 * @max_hw_sectors: largest request, in 512-byte sectors
 * @max_segments: most segments per request
 * @max_segment_size: largest segment, in bytes
 * @seg_boundary_mask: no segment crosses an address with these bits clear
 * @dma_alignment: mask that a direct I/O buffer's address and length must
 *	clear
 * @write_cache: the disk has a write cache (flush requests are sent)
 * @fua: forced unit access is passed down
 * @max_discard_sectors: largest discard; 0 turns discard off
 * @discard_granularity: discard granularity in bytes
 * @discard_alignment: discard alignment in bytes
 * @max_secure_erase_sectors: largest secure erase; 0 turns it off
 *
 * Linux 6.9 made queue limits one structure set at once (at allocation,
 * or between queue_limits_start_update() and queue_limits_commit_update()
 * on a live disk) and 6.11 moved the write cache, FUA and rotation into
 * its feature flags; 6.1 has one setter per limit.  The frontend fills
 * this and the wrappers below apply it either way, always as a disk that
 * does not rotate (stock xen-blkfront says the same; 6.11 defaults to it).
 */
struct blkmq_compat_limits {
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int max_hw_sectors;
	unsigned short max_segments;
	unsigned int max_segment_size;
	unsigned long seg_boundary_mask;
	unsigned int dma_alignment;
	bool write_cache;
	bool fua;
	unsigned int max_discard_sectors;
	unsigned int discard_granularity;
	unsigned int discard_alignment;
	unsigned int max_secure_erase_sectors;
};

#if BLKMQ_COMPAT_NEW
static inline void blkmq_compat_fill_limits(struct queue_limits *lim,
					    const struct blkmq_compat_limits *l)
{
	lim->logical_block_size = l->logical_block_size;
	lim->physical_block_size = l->physical_block_size;
	lim->max_hw_sectors = l->max_hw_sectors;
	lim->max_segments = l->max_segments;
	lim->max_segment_size = l->max_segment_size;
	lim->seg_boundary_mask = l->seg_boundary_mask;
	lim->dma_alignment = l->dma_alignment;
	lim->features &= ~(BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA | BLK_FEAT_ROTATIONAL);
	if (l->write_cache)
		lim->features |= BLK_FEAT_WRITE_CACHE;
	if (l->fua)
		lim->features |= BLK_FEAT_FUA;
	lim->max_hw_discard_sectors = l->max_discard_sectors;
	lim->discard_granularity = l->discard_granularity;
	lim->discard_alignment = l->discard_alignment;
	lim->max_secure_erase_sectors = l->max_secure_erase_sectors;
}
#else
static inline void blkmq_compat_apply_limits(struct request_queue *q,
					     const struct blkmq_compat_limits *l)
{
	blk_queue_logical_block_size(q, l->logical_block_size);
	blk_queue_physical_block_size(q, l->physical_block_size);
	blk_queue_max_hw_sectors(q, l->max_hw_sectors);
	blk_queue_max_segments(q, l->max_segments);
	blk_queue_max_segment_size(q, l->max_segment_size);
	blk_queue_segment_boundary(q, l->seg_boundary_mask);
	blk_queue_dma_alignment(q, l->dma_alignment);
	blk_queue_write_cache(q, l->write_cache, l->fua);
	blk_queue_max_discard_sectors(q, l->max_discard_sectors);
	q->limits.discard_granularity = l->discard_granularity;
	q->limits.discard_alignment = l->discard_alignment;
	blk_queue_max_secure_erase_sectors(q, l->max_secure_erase_sectors);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
}
#endif

/**
 * blkmq_compat_alloc_disk() - allocate a gendisk and its queue with limits
 * @set: an initialised tag set
 * @l: the queue's limits
 * @queuedata: stored in the new queue's ->queuedata
 *
 * Linux 6.9 added the limits argument to blk_mq_alloc_disk(); on 6.1 they
 * are set on the new queue before anyone can see it.
 *
 * Return: the disk, or an ERR_PTR() on failure (6.12 also refuses limits
 * it finds inconsistent).
 */
static inline struct gendisk *
blkmq_compat_alloc_disk(struct blk_mq_tag_set *set,
			const struct blkmq_compat_limits *l, void *queuedata)
{
#if BLKMQ_COMPAT_NEW
	struct queue_limits lim = {};

	blkmq_compat_fill_limits(&lim, l);
	return blk_mq_alloc_disk(set, &lim, queuedata);
#else
	struct gendisk *gd = blk_mq_alloc_disk(set, queuedata);

	if (!IS_ERR(gd))
		blkmq_compat_apply_limits(gd->queue, l);
	return gd;
#endif
}

/**
 * blkmq_compat_set_limits() - change the limits of a live disk's queue
 * @gd: the disk
 * @l: the new limits
 *
 * From process context holding no lock that anything completing or
 * resubmitting requests takes.  6.1 sets each limit at once, as its
 * setters always did on live queues.  6.11 on take the queue's limits_lock
 * and, since 6.12 wants the queue frozen for an update, freeze it: the call
 * waits for every request the queue holds, those of a quiesced queue too.
 *
 * Return: 0, or the error with which the kernel refused the limits (the
 * old ones stay).
 */
static inline int blkmq_compat_set_limits(struct gendisk *gd,
					  const struct blkmq_compat_limits *l)
{
#if KERNEL_VERSION(6, 14, 0) <= LINUX_VERSION_CODE
	struct queue_limits lim = queue_limits_start_update(gd->queue);

	blkmq_compat_fill_limits(&lim, l);
	return queue_limits_commit_update_frozen(gd->queue, &lim);
#elif BLKMQ_COMPAT_NEW
	struct queue_limits lim = queue_limits_start_update(gd->queue);
	int err;

	blkmq_compat_fill_limits(&lim, l);
	blk_mq_freeze_queue(gd->queue);
	err = queue_limits_commit_update(gd->queue, &lim);
	blk_mq_unfreeze_queue(gd->queue);
	return err;
#else
	blkmq_compat_apply_limits(gd->queue, l);
	return 0;
#endif
}

/* Tag set flags for a queue that merges bios (6.14 made merging the default). */
#if KERNEL_VERSION(6, 14, 0) <= LINUX_VERSION_CODE
#define BLKMQ_COMPAT_TAG_SET_FLAGS	0
#else
#define BLKMQ_COMPAT_TAG_SET_FLAGS	BLK_MQ_F_SHOULD_MERGE
#endif

/**
 * blkmq_compat_map_sg() - map a request's segments to a scatterlist
 * @rq: the request
 * @sg: room for every segment the queue allows
 *
 * Linux 6.15 dropped the queue argument.
 *
 * Return: the number of entries used.
 */
static inline int blkmq_compat_map_sg(struct request *rq, struct scatterlist *sg)
{
#if KERNEL_VERSION(6, 15, 0) <= LINUX_VERSION_CODE
	return blk_rq_map_sg(rq, sg);
#else
	return blk_rq_map_sg(rq->q, rq, sg);
#endif
}

/* The frontend's disk open and release, defined in front-xenbus.c */
int blkmq_fe_disk_open(struct gendisk *gd);
void blkmq_fe_disk_release(struct gendisk *gd);

/*
 * blkmq_compat_open(), blkmq_compat_release() - the frontend's
 * block_device_operations open and release.  Linux 6.5 made the block
 * layer pass the disk and a blk_mode_t to open, and only the disk to
 * release; 6.1 passes the block device and an fmode_t.  The mode is not
 * used: the frontend refuses no open on it.
 */
#if BLKMQ_COMPAT_NEW
static inline int blkmq_compat_open(struct gendisk *gd, blk_mode_t mode)
{
	return blkmq_fe_disk_open(gd);
}

static inline void blkmq_compat_release(struct gendisk *gd)
{
	blkmq_fe_disk_release(gd);
}
#else
static inline int blkmq_compat_open(struct block_device *bdev, fmode_t mode)
{
	return blkmq_fe_disk_open(bdev->bd_disk);
}

static inline void blkmq_compat_release(struct gendisk *gd, fmode_t mode)
{
	blkmq_fe_disk_release(gd);
}
#endif

/* ---- Backend: the backing disk ----------------------------------------- */

/**
 * struct blkmq_compat_bdev - an open backing disk
 * @bdev: the block device, for I/O and queries
 * @file: (6.9+) the open file that holds it
 * @write: (6.1) opened for writing too
 */
struct blkmq_compat_bdev {
	struct block_device *bdev;
#if BLKMQ_COMPAT_NEW
	struct file *file;
#else
	bool write;
#endif
};

/**
 * blkmq_compat_bdev_open() - open the backing disk of a backend device
 * @h: filled on success
 * @dev: device number from physical-device
 * @write: open for writing too
 *
 * Not exclusive, as xen-blkback: the toolstack's hotplug script decides
 * about sharing, a local migration has both ends open the same disk, and a
 * ring still retiring on a slow disk must not keep the next vbd out.
 *
 * Linux 6.5 replaced fmode_t with blk_mode_t here and 6.9 made callers
 * hold a struct file (bdev_file_open_by_dev()) and close it with
 * bdev_fput(); 6.8 removed blkdev_get_by_dev() and blkdev_put().
 *
 * Return: 0 or -errno.
 */
static inline int blkmq_compat_bdev_open(struct blkmq_compat_bdev *h,
					 dev_t dev, bool write)
{
#if BLKMQ_COMPAT_NEW
	struct file *f = bdev_file_open_by_dev(dev, BLK_OPEN_READ |
					       (write ? BLK_OPEN_WRITE : 0),
					       NULL, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	h->file = f;
	h->bdev = file_bdev(f);
#else
	struct block_device *bdev = blkdev_get_by_dev(dev, FMODE_READ |
						      (write ? FMODE_WRITE : 0),
						      NULL);

	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->bdev = bdev;
	h->write = write;
#endif
	return 0;
}

/**
 * blkmq_compat_bdev_close() - close what blkmq_compat_bdev_open() opened
 * @h: the open disk; empty afterwards
 */
static inline void blkmq_compat_bdev_close(struct blkmq_compat_bdev *h)
{
	if (!h->bdev)
		return;
#if BLKMQ_COMPAT_NEW
	bdev_fput(h->file);
	h->file = NULL;
#else
	blkdev_put(h->bdev, FMODE_READ | (h->write ? FMODE_WRITE : 0));
#endif
	h->bdev = NULL;
}

#endif /* XEN_BLKMQ_COMPAT_H */
