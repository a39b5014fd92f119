/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen32_layout.h - Xen's blkif structures as a 32-bit x86 guest lays them out
 *
 * The host compiler cannot build i386 code here, so xen32_layout.c asks it
 * for the i386 layout instead: it includes Xen's public header with the
 * i386 branches selected and every structure capped at 4-byte alignment,
 * which is the one rule in which the i386 ABI differs for these structures.
 * Each member below holds one size or offset measured that way, named
 * <struct>_<field> (or <struct>_size); ring[] holds the slot counts for
 * ring orders 0..4.
 */
#ifndef BLKMQ_XEN32_LAYOUT_H
#define BLKMQ_XEN32_LAYOUT_H

struct xen32_layout {
	unsigned long req_size;
	unsigned long req_nr_segments;
	unsigned long req_handle;
	unsigned long req_id;
	unsigned long req_sector_number;
	unsigned long req_seg;
	unsigned long discard_size;
	unsigned long discard_flag;
	unsigned long discard_handle;
	unsigned long discard_id;
	unsigned long discard_sector_number;
	unsigned long discard_nr_sectors;
	unsigned long indirect_size;
	unsigned long indirect_indirect_op;
	unsigned long indirect_nr_segments;
	unsigned long indirect_id;
	unsigned long indirect_sector_number;
	unsigned long indirect_handle;
	unsigned long indirect_grefs;
	unsigned long rsp_size;
	unsigned long rsp_id;
	unsigned long rsp_operation;
	unsigned long rsp_status;
	unsigned long entry_size;
	unsigned long sring_ring;
	unsigned long ring[5];
};

extern const struct xen32_layout xen32_layout;

#endif /* BLKMQ_XEN32_LAYOUT_H */
