/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abi.h - compile-time pins for the xen-blkmq wire ABI
 *
 * Nothing here runs.  The checks below fail the build if a size or offset in
 * <xen/interface/io/blkmq-if.h> drifts from the blkif layout, either from
 * the numbers the protocol fixes or from the kernel's own copy of the
 * protocol in <xen/interface/io/blkif.h>, which this file includes next to
 * ours on purpose (it also proves the two headers do not collide).  The
 * unit test in tests/unit/abi_test.c makes the same comparison against
 * Xen's public header in userspace.  Each module's init calls
 * blkmq_abi_pins(), so that every module image is built against checked
 * headers; the calls compile to nothing.
 */

#ifndef XEN_BLKMQ_ABI_H
#define XEN_BLKMQ_ABI_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/blkmq-if.h>
#include <xen/interface/io/protocols.h>
#include <xen/page.h>
#include <xen/xenbus.h>

#include "common.h"

/* Offset of @field in @type must be @off. */
#define PIN_OFF(type, field, off) \
	BUILD_BUG_ON(offsetof(type, field) != (off))

/* Size of @type must be @size. */
#define PIN_SIZE(type, size) \
	BUILD_BUG_ON(sizeof(type) != (size))

/* @ours.@of and the kernel's @theirs.@tf must sit at the same offset. */
#define PIN_SAME(ours, of, theirs, tf) \
	BUILD_BUG_ON(offsetof(ours, of) != offsetof(theirs, tf))

static inline void blkmq_abi_pin_native(void)
{
	PIN_SIZE(struct blkmq_segment, 8);
	PIN_OFF(struct blkmq_segment, gref, 0);
	PIN_OFF(struct blkmq_segment, first_sect, 4);
	PIN_OFF(struct blkmq_segment, last_sect, 5);

	PIN_SIZE(struct blkmq_request, 112);
	PIN_OFF(struct blkmq_request, operation, 0);
	PIN_OFF(struct blkmq_request, nr_segments, 1);
	PIN_OFF(struct blkmq_request, handle, 2);
	PIN_OFF(struct blkmq_request, id, 8);
	PIN_OFF(struct blkmq_request, sector_number, 16);
	PIN_OFF(struct blkmq_request, seg, 24);

	PIN_SIZE(struct blkmq_request_discard, 32);
	PIN_OFF(struct blkmq_request_discard, operation, 0);
	PIN_OFF(struct blkmq_request_discard, flag, 1);
	PIN_OFF(struct blkmq_request_discard, handle, 2);
	PIN_OFF(struct blkmq_request_discard, id, 8);
	PIN_OFF(struct blkmq_request_discard, sector_number, 16);
	PIN_OFF(struct blkmq_request_discard, nr_sectors, 24);

	PIN_SIZE(struct blkmq_request_other, 16);
	PIN_OFF(struct blkmq_request_other, operation, 0);
	PIN_OFF(struct blkmq_request_other, id, 8);

	PIN_SIZE(struct blkmq_request_indirect, 64);
	PIN_OFF(struct blkmq_request_indirect, operation, 0);
	PIN_OFF(struct blkmq_request_indirect, indirect_op, 1);
	PIN_OFF(struct blkmq_request_indirect, nr_segments, 2);
	PIN_OFF(struct blkmq_request_indirect, id, 8);
	PIN_OFF(struct blkmq_request_indirect, sector_number, 16);
	PIN_OFF(struct blkmq_request_indirect, handle, 24);
	PIN_OFF(struct blkmq_request_indirect, indirect_grefs, 28);

	PIN_SIZE(union blkmq_request_any, 112);

	PIN_SIZE(struct blkmq_response, 16);
	PIN_OFF(struct blkmq_response, id, 0);
	PIN_OFF(struct blkmq_response, operation, 8);
	PIN_OFF(struct blkmq_response, status, 10);

	PIN_SIZE(union blkmq_sring_entry, BLKMQ_SRING_ENTRY_SIZE);
	PIN_SIZE(struct blkmq_sring, BLKMQ_SRING_HDR_SIZE);
	PIN_OFF(struct blkmq_sring, req_prod, 0);
	PIN_OFF(struct blkmq_sring, req_event, 4);
	PIN_OFF(struct blkmq_sring, rsp_prod, 8);
	PIN_OFF(struct blkmq_sring, rsp_event, 12);
	PIN_OFF(struct blkmq_sring, _pvt, 16);
	PIN_OFF(struct blkmq_sring, ring, BLKMQ_SRING_HDR_SIZE);

	BUILD_BUG_ON(BLKMQ_SEGS_PER_INDIRECT_PAGE !=
		     BLKMQ_PAGE_SIZE / sizeof(struct blkmq_segment));
	BUILD_BUG_ON(BLKMQ_SECTORS_PER_PAGE != 8);
	BUILD_BUG_ON(BIT(BLKMQ_SECTOR_SHIFT) != BLKMQ_SECTOR_SIZE);
	BUILD_BUG_ON(BIT(BLKMQ_PAGE_SHIFT) != BLKMQ_PAGE_SIZE);
	BUILD_BUG_ON(BIT(28) != BLKMQ_VDEV_EXT_FLAG);
	BUILD_BUG_ON(BIT(20) != BLKMQ_VDEV_EXT_DISKS);
	BUILD_BUG_ON(BLKMQ_MAX_INDIRECT_SEGMENTS != 4096);

	BUILD_BUG_ON(BLKMQ_RING_ENTRIES(0) != 32);
	BUILD_BUG_ON(BLKMQ_RING_ENTRIES(1) != 64);
	BUILD_BUG_ON(BLKMQ_RING_ENTRIES(2) != 128);
	BUILD_BUG_ON(BLKMQ_RING_ENTRIES(3) != 256);
	BUILD_BUG_ON(BLKMQ_RING_ENTRIES(4) != 512);
}

static inline void blkmq_abi_pin_x86_32(void)
{
	PIN_SIZE(struct blkmq_x86_32_request, 108);
	PIN_OFF(struct blkmq_x86_32_request, handle, 2);
	PIN_OFF(struct blkmq_x86_32_request, id_lo, 4);
	PIN_OFF(struct blkmq_x86_32_request, sector_lo, 12);
	PIN_OFF(struct blkmq_x86_32_request, seg, 20);

	PIN_SIZE(struct blkmq_x86_32_request_discard, 28);
	PIN_OFF(struct blkmq_x86_32_request_discard, id_lo, 4);
	PIN_OFF(struct blkmq_x86_32_request_discard, sector_lo, 12);
	PIN_OFF(struct blkmq_x86_32_request_discard, nr_sectors_lo, 20);

	PIN_SIZE(struct blkmq_x86_32_request_other, 12);
	PIN_OFF(struct blkmq_x86_32_request_other, id_lo, 4);

	PIN_SIZE(struct blkmq_x86_32_request_indirect, 64);
	PIN_OFF(struct blkmq_x86_32_request_indirect, nr_segments, 2);
	PIN_OFF(struct blkmq_x86_32_request_indirect, id_lo, 4);
	PIN_OFF(struct blkmq_x86_32_request_indirect, sector_lo, 12);
	PIN_OFF(struct blkmq_x86_32_request_indirect, handle, 20);
	PIN_OFF(struct blkmq_x86_32_request_indirect, indirect_grefs, 24);

	PIN_SIZE(struct blkmq_x86_32_response, 12);
	PIN_OFF(struct blkmq_x86_32_response, operation, 8);
	PIN_OFF(struct blkmq_x86_32_response, status, 10);

	PIN_SIZE(union blkmq_x86_32_sring_entry,
		 BLKMQ_X86_32_SRING_ENTRY_SIZE);
	PIN_OFF(struct blkmq_x86_32_sring, ring, BLKMQ_SRING_HDR_SIZE);

	BUILD_BUG_ON(BLKMQ_X86_32_RING_ENTRIES(0) != 32);
	BUILD_BUG_ON(BLKMQ_X86_32_RING_ENTRIES(BLKMQ_RING_ORDER_MAX) !=
		     BLKMQ_RING_ENTRIES(BLKMQ_RING_ORDER_MAX));
}

/*
 * The kernel's copy packs every request variant behind a one-byte
 * operation, so its offsets are spelled u.<variant>.<field>; the absolute
 * offsets must still match ours.
 */
static inline void blkmq_abi_pin_kernel(void)
{
	BUILD_BUG_ON(sizeof(union blkmq_request_any) !=
		     sizeof(struct blkif_request));
	PIN_SAME(struct blkmq_request, nr_segments,
		 struct blkif_request, u.rw.nr_segments);
	PIN_SAME(struct blkmq_request, handle,
		 struct blkif_request, u.rw.handle);
	PIN_SAME(struct blkmq_request, id, struct blkif_request, u.rw.id);
	PIN_SAME(struct blkmq_request, sector_number,
		 struct blkif_request, u.rw.sector_number);
	PIN_SAME(struct blkmq_request, seg, struct blkif_request, u.rw.seg);
	PIN_SAME(struct blkmq_request_discard, flag,
		 struct blkif_request, u.discard.flag);
	PIN_SAME(struct blkmq_request_discard, id,
		 struct blkif_request, u.discard.id);
	PIN_SAME(struct blkmq_request_discard, sector_number,
		 struct blkif_request, u.discard.sector_number);
	PIN_SAME(struct blkmq_request_discard, nr_sectors,
		 struct blkif_request, u.discard.nr_sectors);
	PIN_SAME(struct blkmq_request_other, id,
		 struct blkif_request, u.other.id);
	PIN_SAME(struct blkmq_request_indirect, indirect_op,
		 struct blkif_request, u.indirect.indirect_op);
	PIN_SAME(struct blkmq_request_indirect, nr_segments,
		 struct blkif_request, u.indirect.nr_segments);
	PIN_SAME(struct blkmq_request_indirect, id,
		 struct blkif_request, u.indirect.id);
	PIN_SAME(struct blkmq_request_indirect, sector_number,
		 struct blkif_request, u.indirect.sector_number);
	PIN_SAME(struct blkmq_request_indirect, handle,
		 struct blkif_request, u.indirect.handle);
	PIN_SAME(struct blkmq_request_indirect, indirect_grefs,
		 struct blkif_request, u.indirect.indirect_grefs);

	BUILD_BUG_ON(sizeof(struct blkmq_segment) !=
		     sizeof(struct blkif_request_segment));
	PIN_SAME(struct blkmq_segment, last_sect,
		 struct blkif_request_segment, last_sect);

	BUILD_BUG_ON(sizeof(struct blkmq_response) !=
		     sizeof(struct blkif_response));
	PIN_SAME(struct blkmq_response, operation,
		 struct blkif_response, operation);
	PIN_SAME(struct blkmq_response, status,
		 struct blkif_response, status);

	BUILD_BUG_ON(sizeof(union blkmq_sring_entry) !=
		     sizeof(union blkif_sring_entry));
	PIN_SAME(struct blkmq_sring, rsp_event, struct blkif_sring, rsp_event);
	PIN_SAME(struct blkmq_sring, ring, struct blkif_sring, ring);

	BUILD_BUG_ON(BLKMQ_RING_ENTRIES(0) !=
		     __CONST_RING_SIZE(blkif, XEN_PAGE_SIZE << 0));
	BUILD_BUG_ON(BLKMQ_RING_ENTRIES(4) !=
		     __CONST_RING_SIZE(blkif, XEN_PAGE_SIZE << 4));
	BUILD_BUG_ON(BLKMQ_RING_ORDER_MAX != XENBUS_MAX_RING_GRANT_ORDER);
	BUILD_BUG_ON(BLKMQ_PAGE_SIZE != XEN_PAGE_SIZE);

	BUILD_BUG_ON(BLKMQ_OP_READ != BLKIF_OP_READ);
	BUILD_BUG_ON(BLKMQ_OP_WRITE != BLKIF_OP_WRITE);
	BUILD_BUG_ON(BLKMQ_OP_WRITE_BARRIER != BLKIF_OP_WRITE_BARRIER);
	BUILD_BUG_ON(BLKMQ_OP_FLUSH_DISKCACHE != BLKIF_OP_FLUSH_DISKCACHE);
	BUILD_BUG_ON(BLKMQ_OP_DISCARD != BLKIF_OP_DISCARD);
	BUILD_BUG_ON(BLKMQ_OP_INDIRECT != BLKIF_OP_INDIRECT);
	BUILD_BUG_ON(BLKMQ_MAX_SEGMENTS_PER_REQUEST !=
		     BLKIF_MAX_SEGMENTS_PER_REQUEST);
	BUILD_BUG_ON(BLKMQ_MAX_INDIRECT_PAGES !=
		     BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
	BUILD_BUG_ON(BLKMQ_DISCARD_SECURE != BLKIF_DISCARD_SECURE);
	BUILD_BUG_ON(BLKMQ_RSP_OKAY != BLKIF_RSP_OKAY);
	BUILD_BUG_ON(BLKMQ_RSP_ERROR != BLKIF_RSP_ERROR);
	BUILD_BUG_ON(BLKMQ_RSP_EOPNOTSUPP != BLKIF_RSP_EOPNOTSUPP);
	BUILD_BUG_ON(BLKMQ_VDISK_CDROM != VDISK_CDROM);
	BUILD_BUG_ON(BLKMQ_VDISK_REMOVABLE != VDISK_REMOVABLE);
	BUILD_BUG_ON(BLKMQ_VDISK_READONLY != VDISK_READONLY);

	/*
	 * Where the kernel's native layout is the 64-bit one, its native
	 * protocol name must be ours.  (On 32-bit x86 it is x86_32-abi,
	 * which our structures do not describe.)
	 */
	if (!IS_ENABLED(CONFIG_X86_32))
		BUILD_BUG_ON(__builtin_strcmp(BLKMQ_PROTO_NATIVE,
					      XEN_IO_PROTO_ABI_NATIVE));
}

/* Every pin above; compiles to nothing. */
static inline void blkmq_abi_pins(void)
{
	blkmq_abi_pin_native();
	blkmq_abi_pin_x86_32();
	blkmq_abi_pin_kernel();
}

#endif /* XEN_BLKMQ_ABI_H */
