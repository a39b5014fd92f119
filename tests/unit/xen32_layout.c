// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen32_layout.c - measure Xen's blkif structures under i386 layout rules
 *
 * See xen32_layout.h.  Xen's public headers include nothing but each other,
 * so switching the architecture macros around that one include affects
 * only Xen's text: it takes its __i386__ branches (the extra tail padding
 * of blkif_request_indirect, the 32-bit arch header), and pack(4) gives
 * 64-bit members the 4-byte alignment i386 gives them.
 */
#include <stddef.h>
#include <stdint.h>

#undef __x86_64__
#define __i386__ 1
#pragma pack(push, 4)
#include <xen/io/blkif.h>
#pragma pack(pop)
#undef __i386__
#define __x86_64__ 1

#include "xen32_layout.h"

const struct xen32_layout xen32_layout = {
	.req_size = sizeof(struct blkif_request),
	.req_nr_segments = offsetof(struct blkif_request, nr_segments),
	.req_handle = offsetof(struct blkif_request, handle),
	.req_id = offsetof(struct blkif_request, id),
	.req_sector_number = offsetof(struct blkif_request, sector_number),
	.req_seg = offsetof(struct blkif_request, seg),
	.discard_size = sizeof(struct blkif_request_discard),
	.discard_flag = offsetof(struct blkif_request_discard, flag),
	.discard_handle = offsetof(struct blkif_request_discard, handle),
	.discard_id = offsetof(struct blkif_request_discard, id),
	.discard_sector_number =
		offsetof(struct blkif_request_discard, sector_number),
	.discard_nr_sectors =
		offsetof(struct blkif_request_discard, nr_sectors),
	.indirect_size = sizeof(struct blkif_request_indirect),
	.indirect_indirect_op =
		offsetof(struct blkif_request_indirect, indirect_op),
	.indirect_nr_segments =
		offsetof(struct blkif_request_indirect, nr_segments),
	.indirect_id = offsetof(struct blkif_request_indirect, id),
	.indirect_sector_number =
		offsetof(struct blkif_request_indirect, sector_number),
	.indirect_handle = offsetof(struct blkif_request_indirect, handle),
	.indirect_grefs =
		offsetof(struct blkif_request_indirect, indirect_grefs),
	.rsp_size = sizeof(struct blkif_response),
	.rsp_id = offsetof(struct blkif_response, id),
	.rsp_operation = offsetof(struct blkif_response, operation),
	.rsp_status = offsetof(struct blkif_response, status),
	.entry_size = sizeof(union blkif_sring_entry),
	.sring_ring = offsetof(struct blkif_sring, ring),
	.ring = {
		__CONST_RING_SIZE(blkif, 4096UL << 0),
		__CONST_RING_SIZE(blkif, 4096UL << 1),
		__CONST_RING_SIZE(blkif, 4096UL << 2),
		__CONST_RING_SIZE(blkif, 4096UL << 3),
		__CONST_RING_SIZE(blkif, 4096UL << 4),
	},
};
