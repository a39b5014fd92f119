/* SPDX-License-Identifier: MIT */
/*
 * blkmq-if.h - the Xen PV block (blkif) wire ABI, as xen-blkmq reads it
 *
 * This header restates the blkif protocol so that xen-blkmq does not lean on
 * the copy the kernel carries in <xen/interface/io/blkif.h>.  Everything
 * here uses a BLKMQ_ / blkmq_ prefix, so both headers can be included in one
 * translation unit (drivers/block/xen-blkmq/abi.h does exactly that and
 * compares them).  The same text compiles in the kernel and in userspace:
 * only the __u8 .. __u64 types of <linux/types.h> are used, and the uapi
 * copy of that header provides them outside the kernel.
 *
 * Byte layout
 * -----------
 * A ring lives in 1, 2, 4, ... Xen pages (always 4 KiB, whatever the guest
 * page size).  The first 64 bytes hold four free-running 32-bit indices and
 * padding; the rest is an array of fixed-size slots.  A slot holds one
 * request or one response; on the "x86_64-abi" and "arm-abi" layouts a slot
 * is 112 bytes, the size of the largest request.  The number of slots is
 * the largest power of two that fits, so that an index maps to a slot with
 * a mask.  Every structure below spells out its padding, which makes the
 * layout identical on every architecture that can build this file; the
 * x86_32 layout that 32-bit x86 guests use is described separately at the
 * end, because there 64-bit fields sit on 4-byte boundaries.
 *
 * Sector numbers and sector counts on the wire are always in units of 512
 * bytes, whatever "sector-size" says; "sector-size" only tells the
 * frontend how requests must be aligned.  (Xen's header also defines a
 * frontend key "feature-large-sector-size" that changes those units.
 * xen-blkmq never writes it, and Linux's drivers do not either.)
 *
 * Data moves through grants: each segment names a granted 4 KiB page and the
 * first and last 512-byte sector used inside it (inclusive, 0..7).
 * A request carries at most BLKMQ_MAX_SEGMENTS_PER_REQUEST segments inline.
 * An indirect request instead names up to BLKMQ_MAX_INDIRECT_PAGES granted
 * pages, each an array of BLKMQ_SEGS_PER_INDIRECT_PAGE segments, which lets
 * one request carry as many segments as the backend advertised in
 * "feature-max-indirect-segments".
 *
 * Notifications: a producer signals the peer's event channel only when the
 * peer's *_event index falls inside the batch it just published; a consumer
 * that runs out of work sets its *_event index one past what it consumed and
 * checks once more before sleeping.  This is the standard ring hold-off and
 * is not restated here.
 *
 * XenStore keys
 * -------------
 * All values are decimal strings unless shown otherwise.  "backend" means
 * the backend's directory (e.g. /local/domain/0/backend/vbd/<dom>/<dev>),
 * "frontend" the guest's (e.g. /local/domain/<dom>/device/vbd/<dev>).
 *
 * Written by the toolstack before either driver starts:
 *
 *   backend   mode                  "r" or "w": access granted to the guest
 *   backend   physical-device       "major:minor" in hex of the backing disk;
 *                                   the hotplug script writes it once the
 *                                   disk exists, and the backend waits
 *                                   for it
 *   backend   discard-enable        0 hides discard from the guest even if
 *                                   the disk supports it; absent means 1
 *   frontend  virtual-device        the vdevice number (see below); when
 *                                   it is absent, frontends look for
 *                                   virtual-device-ext instead
 *   frontend  device-type           "disk", "cdrom", ...
 *   frontend  trusted               0 tells the frontend not to trust the
 *                                   backend (grant it only dedicated bounce
 *                                   pages, never the I/O buffers
 *                                   themselves); absent means 1
 *
 * Written by the backend before it enters InitWait (its own, fixed limits):
 *
 *   backend   multi-queue-max-queues          rings it will serve;
 *                                             absent means 1
 *   backend   max-ring-page-order             log2 of the largest ring in
 *                                             pages; absent means 0
 *
 * Written by the frontend before it enters Initialised:
 *
 *   frontend  multi-queue-num-queues          rings in use, from 1 to
 *                                             multi-queue-max-queues
 *   frontend  ring-page-order                 log2 of the pages per ring,
 *                                             at most max-ring-page-order;
 *                                             may be left out for one page
 *   frontend  [queue-N/]ring-ref              grant of the one ring page,
 *                                             when ring-page-order is absent
 *   frontend  [queue-N/]ring-refI             grants of ring page I, when
 *                                             ring-page-order is present,
 *                                             even if it is 0
 *   frontend  [queue-N/]event-channel         the ring's event channel
 *   frontend  protocol                        layout of the ring entries:
 *                                             "x86_64-abi", "x86_32-abi" or
 *                                             "arm-abi"; absent means
 *                                             "x86_32-abi" to an x86
 *                                             backend (Linux's rule, kept
 *                                             for old guests)
 *   frontend  feature-persistent              1: reuses the same grants
 *
 *   With one ring the ring-ref and event-channel keys sit directly in the
 *   frontend directory; with two or more they move into queue-0, queue-1,
 *   ... and none are written at the top level.
 *
 * Written by the backend before (or on) entering Connected:
 *
 *   backend   feature-persistent              1: keeps grants mapped
 *   backend   sectors                         disk size in 512-byte sectors;
 *                                             rewritten on resize
 *   backend   info                            BLKMQ_VDISK_* bits
 *   backend   sector-size                     logical block size, bytes
 *   backend   physical-sector-size            physical block size, bytes
 *   backend   feature-flush-cache             1: accepts FLUSH_DISKCACHE
 *   backend   feature-barrier                 1: accepts WRITE_BARRIER
 *   backend   feature-discard                 1: accepts DISCARD
 *   backend   discard-granularity             bytes, with feature-discard
 *   backend   discard-alignment               bytes, with feature-discard
 *   backend   discard-secure                  1: honours
 *                                             BLKMQ_DISCARD_SECURE
 *   backend   feature-max-indirect-segments   largest indirect request it
 *                                             takes, in segments; absent
 *                                             means no INDIRECT at all
 *
 * What a side advertises depends only on its own configuration and does not
 * change while connected.  What it uses is the AND of both advertisements
 * (for numbers, the minimum).  A missing feature-* or discard-secure key
 * means "not offered".
 *
 * XenBus states
 * -------------
 *
 *   frontend                                  backend
 *   --------                                  -------
 *   Initialising                              Initialising
 *                                               write its transport
 *                                               limits (the InitWait keys)
 *                                             InitWait
 *     read the InitWait keys, allocate
 *     rings and event channels, write
 *     the Initialised keys
 *   Initialised
 *                                               read the Initialised keys,
 *                                               map rings, bind events,
 *                                               write the Connected keys
 *                                             Connected
 *     read features and size, create
 *     the disk
 *   Connected
 *
 *   Either side then goes Closing -> Closed to disconnect; a frontend that
 *   is resumed or migrated starts again at Initialising and the backend
 *   follows it back to InitWait.  Both sides must cope with a peer that
 *   skips states (for instance a backend that goes straight to Connected or
 *   a frontend that reaches Initialised before the backend's InitWait), by
 *   doing the work of the skipped state when they notice.
 */

#ifndef BLKMQ_IF_H
#define BLKMQ_IF_H

#include <linux/types.h>

/* ---- Units ------------------------------------------------------------ */

/* Wire sectors are always 512 bytes (see the comment at the top). */
#define BLKMQ_SECTOR_SHIFT			9
#define BLKMQ_SECTOR_SIZE			512U

/* Grants and ring pages are Xen pages: 4 KiB on every architecture. */
#define BLKMQ_PAGE_SHIFT			12
#define BLKMQ_PAGE_SIZE				4096U

/* Sectors in one Xen page (4096 / 512); segment sectors stay below it. */
#define BLKMQ_SECTORS_PER_PAGE			8U

/* ---- Operations (request.operation) ------------------------------------ */

/* Read nr_segments segments starting at sector_number. */
#define BLKMQ_OP_READ				0
/* Write nr_segments segments starting at sector_number. */
#define BLKMQ_OP_WRITE				1
/*
 * Write that may not start before every earlier write has completed and
 * that must complete before any later write starts.  Only if the backend
 * wrote feature-barrier=1.
 */
#define BLKMQ_OP_WRITE_BARRIER			2
/*
 * Make everything written so far durable.  May carry data segments, which
 * are written first.  Only if the backend wrote feature-flush-cache=1.
 */
#define BLKMQ_OP_FLUSH_DISKCACHE		3
/* Held back for a vendor extension; never sent, always refused. */
#define BLKMQ_OP_RESERVED_1			4
/* Forget a sector range; uses struct blkmq_request_discard. */
#define BLKMQ_OP_DISCARD			5
/* Read or write through indirect pages; uses blkmq_request_indirect. */
#define BLKMQ_OP_INDIRECT			6

/* ---- Limits ------------------------------------------------------------- */

/* Segments that fit inline in one request (what makes it 112 bytes). */
#define BLKMQ_MAX_SEGMENTS_PER_REQUEST		11

/* Granted pages an indirect request can name in indirect_grefs[]. */
#define BLKMQ_MAX_INDIRECT_PAGES		8

/* Segment descriptors in one indirect page: 4096 / 8. */
#define BLKMQ_SEGS_PER_INDIRECT_PAGE		512

/*
 * The most segments the wire format can describe in one indirect request.
 * Backends advertise far less (Linux's xen-blkback: 256).
 */
#define BLKMQ_MAX_INDIRECT_SEGMENTS					\
	(BLKMQ_MAX_INDIRECT_PAGES * BLKMQ_SEGS_PER_INDIRECT_PAGE)

/* ---- Flags and status codes -------------------------------------------- */

/* discard.flag: erase securely; only if the backend wrote discard-secure=1. */
#define BLKMQ_DISCARD_SECURE			0x1U

/* response.status */
#define BLKMQ_RSP_OKAY				0
#define BLKMQ_RSP_ERROR				(-1)
/* The backend does not do this operation (barrier, flush, discard). */
#define BLKMQ_RSP_EOPNOTSUPP			(-2)

/* Bits of the backend's "info" key. */
#define BLKMQ_VDISK_CDROM			0x1U
#define BLKMQ_VDISK_REMOVABLE			0x2U
#define BLKMQ_VDISK_READONLY			0x4U

/* ---- Structures ------------------------------------------------------- */

/**
 * struct blkmq_segment - one granted page and the sectors used inside it
 * @gref: grant reference of the 4 KiB data page
 * @first_sect: first 512-byte sector of the page to transfer (inclusive)
 * @last_sect: last 512-byte sector of the page to transfer (inclusive);
 *	a valid segment has first_sect <= last_sect < BLKMQ_SECTORS_PER_PAGE
 * @_pad0: padding to 8 bytes; implicit in Xen's header, so never read it
 *
 * Inline in struct blkmq_request, and packed 512 to a page behind an
 * indirect request.
 */
struct blkmq_segment {
	__u32 gref;
	__u8 first_sect;
	__u8 last_sect;
	__u16 _pad0;
};

/**
 * struct blkmq_request - read, write, barrier or flush with inline segments
 * @operation: BLKMQ_OP_READ, _WRITE, _WRITE_BARRIER or _FLUSH_DISKCACHE
 * @nr_segments: entries used in @seg; 0 only for a flush without data
 * @handle: the vdevice number; informational, backends do not rely on it
 * @_pad0: padding so that @id is 8-byte aligned; write zero
 * @id: chosen by the frontend, echoed unchanged in the response
 * @sector_number: first sector on the disk, 512-byte units
 * @seg: the data segments, in order
 *
 * The largest request; it sets the 112-byte ring slot size.
 */
struct blkmq_request {
	__u8 operation;
	__u8 nr_segments;
	__u16 handle;
	__u32 _pad0;
	__u64 id;
	__u64 sector_number;
	struct blkmq_segment seg[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
};

/**
 * struct blkmq_request_discard - BLKMQ_OP_DISCARD
 * @operation: BLKMQ_OP_DISCARD
 * @flag: zero or BLKMQ_DISCARD_SECURE
 * @handle: as in struct blkmq_request
 * @_pad0: padding so that @id is 8-byte aligned; write zero
 * @id: chosen by the frontend, echoed unchanged in the response
 * @sector_number: first sector to discard, 512-byte units
 * @nr_sectors: sectors to discard, 512-byte units
 */
struct blkmq_request_discard {
	__u8 operation;
	__u8 flag;
	__u16 handle;
	__u32 _pad0;
	__u64 id;
	__u64 sector_number;
	__u64 nr_sectors;
};

/**
 * struct blkmq_request_other - the part every request has in common
 * @operation: any BLKMQ_OP_* value, or garbage from a hostile peer
 * @_pad0: differs per operation; not interpreted through this view
 * @_pad1: differs per operation; not interpreted through this view
 * @_pad2: padding so that @id is 8-byte aligned
 * @id: chosen by the frontend, echoed unchanged in the response
 *
 * Every request keeps @operation at offset 0 and @id at offset 8.  A backend
 * uses this view to answer a request whose operation it does not know or
 * does not offer, without guessing at the rest of the layout.
 */
struct blkmq_request_other {
	__u8 operation;
	__u8 _pad0;
	__u16 _pad1;
	__u32 _pad2;
	__u64 id;
};

/**
 * struct blkmq_request_indirect - BLKMQ_OP_INDIRECT
 * @operation: BLKMQ_OP_INDIRECT
 * @indirect_op: what to do: BLKMQ_OP_READ or BLKMQ_OP_WRITE
 * @nr_segments: segments described by the indirect pages; at most the
 *	backend's feature-max-indirect-segments
 * @_pad0: padding so that @id is 8-byte aligned; write zero
 * @id: chosen by the frontend, echoed unchanged in the response
 * @sector_number: first sector on the disk, 512-byte units
 * @handle: as in struct blkmq_request
 * @_pad1: padding so that @indirect_grefs is 4-byte aligned
 * @indirect_grefs: grants of the pages holding the segment arrays; the first
 *	DIV_ROUND_UP(@nr_segments, BLKMQ_SEGS_PER_INDIRECT_PAGE) are used
 * @_pad2: padding to 64 bytes; implicit on x86_64 in Xen's header
 */
struct blkmq_request_indirect {
	__u8 operation;
	__u8 indirect_op;
	__u16 nr_segments;
	__u32 _pad0;
	__u64 id;
	__u64 sector_number;
	__u16 handle;
	__u16 _pad1;
	__u32 indirect_grefs[BLKMQ_MAX_INDIRECT_PAGES];
	__u32 _pad2;
};

/**
 * union blkmq_request_any - a request slot, read through the view its
 *	@operation selects
 * @rw: read, write, barrier and flush
 * @discard: discard
 * @other: the common prefix, good for any operation
 * @indirect: indirect read or write
 *
 * Shared memory: copy a whole slot out once, then decode the copy.
 */
union blkmq_request_any {
	struct blkmq_request rw;
	struct blkmq_request_discard discard;
	struct blkmq_request_other other;
	struct blkmq_request_indirect indirect;
};

/**
 * struct blkmq_response - the backend's answer to one request
 * @id: the request's id, unchanged
 * @operation: the request's operation; for BLKMQ_OP_INDIRECT it is the
 *	request's indirect_op (read or write), which is what Linux's backend
 *	sends and its frontend checks
 * @_pad0: padding so that @status is 2-byte aligned
 * @status: BLKMQ_RSP_OKAY, BLKMQ_RSP_ERROR or BLKMQ_RSP_EOPNOTSUPP
 * @_pad1: padding to 16 bytes; implicit in Xen's header, so never read it
 */
struct blkmq_response {
	__u64 id;
	__u8 operation;
	__u8 _pad0;
	__s16 status;
	__u32 _pad1;
};

/**
 * union blkmq_sring_entry - one ring slot
 * @req: a request, while the frontend owns the slot
 * @rsp: a response, once the backend has answered into it
 *
 * Responses reuse the slots of consumed requests in order; the two sides
 * never own a slot at the same time.
 */
union blkmq_sring_entry {
	union blkmq_request_any req;
	struct blkmq_response rsp;
};

/**
 * struct blkmq_sring - the shared ring, starting at the first ring page
 * @req_prod: requests published by the frontend (free-running count)
 * @req_event: the backend wants an event when @req_prod passes this value
 * @rsp_prod: responses published by the backend (free-running count)
 * @rsp_event: the frontend wants an event when @rsp_prod passes this value
 * @_pvt: four bytes other ring protocols use; blkif leaves them alone
 * @_pad0: padding that makes the header 64 bytes
 * @ring: BLKMQ_RING_ENTRIES(order) slots
 *
 * Slot i of the array holds index value v when v % entries == i.  The
 * whole area is writable by the peer at any time; read each index once
 * (READ_ONCE or an acquire) and validate it before use.
 */
struct blkmq_sring {
	__u32 req_prod;
	__u32 req_event;
	__u32 rsp_prod;
	__u32 rsp_event;
	__u8 _pvt[4];
	__u8 _pad0[44];
	union blkmq_sring_entry ring[];
};

/* Size of the ring header, i.e. offsetof(struct blkmq_sring, ring). */
#define BLKMQ_SRING_HDR_SIZE			64

/* Size of one slot on the 64-bit layout. */
#define BLKMQ_SRING_ENTRY_SIZE			112

/* ---- Ring sizing ------------------------------------------------------ */

/*
 * BLKMQ_POW2_FLOOR(x): the largest power of two <= x, for an unsigned int
 * x >= 1.  GCC, Clang and sparse fold it to a constant when x is one, so it
 * can size arrays and feed BUILD_BUG_ON.
 */
#define BLKMQ_POW2_FLOOR(x)	(1U << (31 - __builtin_clz(x)))

/*
 * BLKMQ_RING_ENTRIES_FOR(order, entry_size): slots in a ring of 2^order Xen
 * pages whose slots are entry_size bytes.
 */
#define BLKMQ_RING_ENTRIES_FOR(order, entry_size)			\
	BLKMQ_POW2_FLOOR(((BLKMQ_PAGE_SIZE << (order)) -		\
			  BLKMQ_SRING_HDR_SIZE) / (entry_size))

/*
 * BLKMQ_RING_ENTRIES(order): slots in a 64-bit-layout ring of 2^order pages.
 * Orders 0, 1, 2, 3, 4 give 32, 64, 128, 256, 512.
 */
#define BLKMQ_RING_ENTRIES(order)					\
	BLKMQ_RING_ENTRIES_FOR(order, BLKMQ_SRING_ENTRY_SIZE)

/* ---- The "protocol" key ----------------------------------------------- */

#define BLKMQ_PROTO_X86_32			"x86_32-abi"
#define BLKMQ_PROTO_X86_64			"x86_64-abi"
#define BLKMQ_PROTO_ARM				"arm-abi"

/*
 * x86_64-abi and arm-abi name the same bytes: the layout of the structures
 * above.  Their explicit padding keeps that layout even when compiled for
 * 32-bit x86, so code that uses them announces x86_64-abi on any x86 and
 * arm-abi on any Arm (common.h picks one as BLKMQ_PROTO_NATIVE).  The
 * x86_32-abi layout is described at the end of this file.
 */

/* ---- XenStore keys ---------------------------------------------------- */

/* Toolstack-written (see the table at the top for the directory). */
#define BLKMQ_XS_MODE				"mode"
#define BLKMQ_XS_PHYSICAL_DEVICE		"physical-device"
#define BLKMQ_XS_DISCARD_ENABLE			"discard-enable"
#define BLKMQ_XS_VIRTUAL_DEVICE			"virtual-device"
#define BLKMQ_XS_VIRTUAL_DEVICE_EXT		"virtual-device-ext"
#define BLKMQ_XS_DEVICE_TYPE			"device-type"
#define BLKMQ_XS_TRUSTED			"trusted"

/* Values of "mode" and "device-type" that change behaviour. */
#define BLKMQ_XS_MODE_RO			"r"
#define BLKMQ_XS_MODE_RW			"w"
#define BLKMQ_XS_DEVICE_TYPE_CDROM		"cdrom"

/* Transport negotiation. */
#define BLKMQ_XS_MQ_MAX_QUEUES			"multi-queue-max-queues"
#define BLKMQ_XS_MQ_NUM_QUEUES			"multi-queue-num-queues"
#define BLKMQ_XS_QUEUE_FMT			"queue-%u"
#define BLKMQ_XS_MAX_RING_PAGE_ORDER		"max-ring-page-order"
#define BLKMQ_XS_RING_PAGE_ORDER		"ring-page-order"
#define BLKMQ_XS_RING_REF			"ring-ref"
#define BLKMQ_XS_RING_REF_FMT			"ring-ref%u"
#define BLKMQ_XS_EVENT_CHANNEL			"event-channel"
#define BLKMQ_XS_PROTOCOL			"protocol"

/* Features. */
#define BLKMQ_XS_FEATURE_PERSISTENT		"feature-persistent"
#define BLKMQ_XS_FEATURE_MAX_INDIRECT	"feature-max-indirect-segments"
#define BLKMQ_XS_FEATURE_FLUSH_CACHE		"feature-flush-cache"
#define BLKMQ_XS_FEATURE_BARRIER		"feature-barrier"
#define BLKMQ_XS_FEATURE_DISCARD		"feature-discard"
#define BLKMQ_XS_DISCARD_GRANULARITY		"discard-granularity"
#define BLKMQ_XS_DISCARD_ALIGNMENT		"discard-alignment"
#define BLKMQ_XS_DISCARD_SECURE			"discard-secure"

/* Disk properties. */
#define BLKMQ_XS_SECTORS			"sectors"
#define BLKMQ_XS_INFO				"info"
#define BLKMQ_XS_SECTOR_SIZE			"sector-size"
#define BLKMQ_XS_PHYSICAL_SECTOR_SIZE		"physical-sector-size"

/* ---- vdevice numbers ("virtual-device") ------------------------------- */

/*
 * A guest names its disks by number.  xen-blkmq understands the two native
 * forms (the hd/sd emulation numbers are left to the frontend):
 *
 *   xvd form:        202 << 8 | disk << 4 | part   disk < 16,   part < 16
 *   extended form:   1 << 28  | disk << 8 | part   disk < 2^20, part < 256
 *
 * Partition 0 is the whole disk.
 */
#define BLKMQ_VDEV_XVD_MAJOR			202
#define BLKMQ_VDEV_XVD_DISKS			16
#define BLKMQ_VDEV_XVD_PARTS			16
#define BLKMQ_VDEV_EXT_FLAG			0x10000000U /* 1 << 28 */
#define BLKMQ_VDEV_EXT_DISKS			0x100000U   /* 1 << 20 */
#define BLKMQ_VDEV_EXT_PARTS			256

/**
 * blkmq_vdev_xvd() - encode a vdevice number in the xvd form
 * @disk: disk index, below BLKMQ_VDEV_XVD_DISKS
 * @part: partition, below BLKMQ_VDEV_XVD_PARTS; 0 for the whole disk
 *
 * Return: the vdevice number, e.g. 51712 for disk 0 ("xvda").
 */
static inline __u32 blkmq_vdev_xvd(__u32 disk, __u32 part)
{
	return (BLKMQ_VDEV_XVD_MAJOR << 8) | (disk << 4) | part;
}

/**
 * blkmq_vdev_ext() - encode a vdevice number in the extended form
 * @disk: disk index, below BLKMQ_VDEV_EXT_DISKS
 * @part: partition, below BLKMQ_VDEV_EXT_PARTS; 0 for the whole disk
 *
 * Return: the vdevice number, with BLKMQ_VDEV_EXT_FLAG set.
 */
static inline __u32 blkmq_vdev_ext(__u32 disk, __u32 part)
{
	return BLKMQ_VDEV_EXT_FLAG | (disk << 8) | part;
}

/**
 * blkmq_vdev_is_ext() - test for the extended form
 * @vdev: a vdevice number
 *
 * Return: non-zero if @vdev uses the extended form.
 */
static inline int blkmq_vdev_is_ext(__u32 vdev)
{
	return (vdev & BLKMQ_VDEV_EXT_FLAG) != 0;
}

/**
 * blkmq_vdev_is_xvd() - test for the xvd form
 * @vdev: a vdevice number
 *
 * Return: non-zero if @vdev is an xvd-form number (major 202).
 */
static inline int blkmq_vdev_is_xvd(__u32 vdev)
{
	return (vdev >> 8) == BLKMQ_VDEV_XVD_MAJOR;
}

/**
 * blkmq_vdev_disk() - disk index of an xvd-form or extended-form number
 * @vdev: a number for which blkmq_vdev_is_xvd() or blkmq_vdev_is_ext() holds
 *
 * Return: the disk index; meaningless for other numbers.
 */
static inline __u32 blkmq_vdev_disk(__u32 vdev)
{
	if (blkmq_vdev_is_ext(vdev))
		return (vdev & ~BLKMQ_VDEV_EXT_FLAG) >> 8;
	return (vdev >> 4) & (BLKMQ_VDEV_XVD_DISKS - 1);
}

/**
 * blkmq_vdev_part() - partition of an xvd-form or extended-form number
 * @vdev: a number for which blkmq_vdev_is_xvd() or blkmq_vdev_is_ext() holds
 *
 * Return: the partition, 0 for the whole disk; meaningless for other
 * numbers.
 */
static inline __u32 blkmq_vdev_part(__u32 vdev)
{
	if (blkmq_vdev_is_ext(vdev))
		return vdev & (BLKMQ_VDEV_EXT_PARTS - 1);
	return vdev & (BLKMQ_VDEV_XVD_PARTS - 1);
}

/* ---- The x86_32-abi layout -------------------------------------------- */

/*
 * A 32-bit x86 guest that announces protocol "x86_32-abi" lays out requests
 * with the i386 rule that 64-bit fields need only 4-byte alignment, so @id
 * moves to offset 4 and the slot shrinks to 108 bytes.  A backend that
 * accepts such guests reads their ring through the structures below and
 * converts each copied request to the native form.  64-bit fields are
 * split into low and high 32-bit words (x86 is little-endian, low word
 * first) so the structures need no packing attribute and no field is ever
 * misaligned.  Segments are unchanged (struct blkmq_segment).  Use
 * blkmq_x86_32_u64() to join a pair.
 */

/**
 * blkmq_x86_32_u64() - join the two halves of an x86_32-layout 64-bit field
 * @lo: the word at the lower address
 * @hi: the word at the higher address
 *
 * Return: the 64-bit value.
 */
static inline __u64 blkmq_x86_32_u64(__u32 lo, __u32 hi)
{
	return ((__u64)hi << 32) | lo;
}

/**
 * struct blkmq_x86_32_request - struct blkmq_request on the x86_32 layout
 * @operation: as in struct blkmq_request
 * @nr_segments: as in struct blkmq_request
 * @handle: as in struct blkmq_request
 * @id_lo: low word of the request id
 * @id_hi: high word of the request id
 * @sector_lo: low word of the first sector
 * @sector_hi: high word of the first sector
 * @seg: as in struct blkmq_request
 */
struct blkmq_x86_32_request {
	__u8 operation;
	__u8 nr_segments;
	__u16 handle;
	__u32 id_lo;
	__u32 id_hi;
	__u32 sector_lo;
	__u32 sector_hi;
	struct blkmq_segment seg[BLKMQ_MAX_SEGMENTS_PER_REQUEST];
};

/**
 * struct blkmq_x86_32_request_discard - discard on the x86_32 layout
 * @operation: BLKMQ_OP_DISCARD
 * @flag: as in struct blkmq_request_discard
 * @handle: as in struct blkmq_request_discard
 * @id_lo: low word of the request id
 * @id_hi: high word of the request id
 * @sector_lo: low word of the first sector
 * @sector_hi: high word of the first sector
 * @nr_sectors_lo: low word of the sector count
 * @nr_sectors_hi: high word of the sector count
 */
struct blkmq_x86_32_request_discard {
	__u8 operation;
	__u8 flag;
	__u16 handle;
	__u32 id_lo;
	__u32 id_hi;
	__u32 sector_lo;
	__u32 sector_hi;
	__u32 nr_sectors_lo;
	__u32 nr_sectors_hi;
};

/**
 * struct blkmq_x86_32_request_other - common prefix on the x86_32 layout
 * @operation: any value
 * @_pad0: differs per operation; not interpreted through this view
 * @_pad1: differs per operation; not interpreted through this view
 * @id_lo: low word of the request id
 * @id_hi: high word of the request id
 */
struct blkmq_x86_32_request_other {
	__u8 operation;
	__u8 _pad0;
	__u16 _pad1;
	__u32 id_lo;
	__u32 id_hi;
};

/**
 * struct blkmq_x86_32_request_indirect - indirect request, x86_32 layout
 * @operation: BLKMQ_OP_INDIRECT
 * @indirect_op: as in struct blkmq_request_indirect
 * @nr_segments: as in struct blkmq_request_indirect
 * @id_lo: low word of the request id
 * @id_hi: high word of the request id
 * @sector_lo: low word of the first sector
 * @sector_hi: high word of the first sector
 * @handle: as in struct blkmq_request_indirect
 * @_pad0: padding so that @indirect_grefs is 4-byte aligned
 * @indirect_grefs: as in struct blkmq_request_indirect
 * @_pad1: Xen's header pads the i386 form to 64 bytes explicitly
 */
struct blkmq_x86_32_request_indirect {
	__u8 operation;
	__u8 indirect_op;
	__u16 nr_segments;
	__u32 id_lo;
	__u32 id_hi;
	__u32 sector_lo;
	__u32 sector_hi;
	__u16 handle;
	__u16 _pad0;
	__u32 indirect_grefs[BLKMQ_MAX_INDIRECT_PAGES];
	__u32 _pad1[2];
};

/**
 * union blkmq_x86_32_request_any - an x86_32-layout request slot
 * @rw: read, write, barrier and flush
 * @discard: discard
 * @other: the common prefix
 * @indirect: indirect read or write
 */
union blkmq_x86_32_request_any {
	struct blkmq_x86_32_request rw;
	struct blkmq_x86_32_request_discard discard;
	struct blkmq_x86_32_request_other other;
	struct blkmq_x86_32_request_indirect indirect;
};

/**
 * struct blkmq_x86_32_response - struct blkmq_response on the x86_32 layout
 * @id_lo: low word of the request id
 * @id_hi: high word of the request id
 * @operation: as in struct blkmq_response
 * @_pad0: padding so that @status is 2-byte aligned
 * @status: as in struct blkmq_response
 *
 * 12 bytes: without a 64-bit member nothing rounds the size up to 16.
 */
struct blkmq_x86_32_response {
	__u32 id_lo;
	__u32 id_hi;
	__u8 operation;
	__u8 _pad0;
	__s16 status;
};

/**
 * union blkmq_x86_32_sring_entry - one x86_32-layout ring slot
 * @req: a request
 * @rsp: a response
 */
union blkmq_x86_32_sring_entry {
	union blkmq_x86_32_request_any req;
	struct blkmq_x86_32_response rsp;
};

/**
 * struct blkmq_x86_32_sring - the shared ring on the x86_32 layout
 * @req_prod: as in struct blkmq_sring
 * @req_event: as in struct blkmq_sring
 * @rsp_prod: as in struct blkmq_sring
 * @rsp_event: as in struct blkmq_sring
 * @_pvt: as in struct blkmq_sring
 * @_pad0: as in struct blkmq_sring
 * @ring: BLKMQ_X86_32_RING_ENTRIES(order) slots
 */
struct blkmq_x86_32_sring {
	__u32 req_prod;
	__u32 req_event;
	__u32 rsp_prod;
	__u32 rsp_event;
	__u8 _pvt[4];
	__u8 _pad0[44];
	union blkmq_x86_32_sring_entry ring[];
};

/* Size of one slot on the x86_32 layout. */
#define BLKMQ_X86_32_SRING_ENTRY_SIZE		108

/*
 * BLKMQ_X86_32_RING_ENTRIES(order): slots in an x86_32-layout ring of
 * 2^order pages; for orders 0..4 this equals BLKMQ_RING_ENTRIES(order).
 */
#define BLKMQ_X86_32_RING_ENTRIES(order)				\
	BLKMQ_RING_ENTRIES_FOR(order, BLKMQ_X86_32_SRING_ENTRY_SIZE)

#endif /* BLKMQ_IF_H */
