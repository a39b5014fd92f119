// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_back_req.c - libFuzzer target for backend request validation
 *
 * Input: a limits header, one ring slot (native or x86_32 layout), then the
 * segment descriptors an indirect request points at.  The slot and the
 * descriptors are copied into exact-size heap buffers, so ASan reports any
 * read past them.  The verdict of blkmq_back_parse() (plus
 * blkmq_back_parse_indirect_segs() for INDIRECT) is compared with an
 * independent reference written for clarity, with 128-bit arithmetic for
 * the range check; every accepted request is also checked field by field.
 *
 *   byte  0     flags: 0 readonly, 1 flush, 2 barrier, 3 discard,
 *               4 discard-secure, 5 x86_32 layout, 6-7 log2(block) - 9
 *   bytes 1-2   max_indirect_segs (little-endian, mod 600)
 *   byte  3     disk size selector (see disk_size())
 *   bytes 4-11  disk size raw value
 *   then        112 (native) or 108 (x86_32) bytes of slot
 *   then        segment descriptors, 8 bytes each, zero-padded
 */
#include "kshim.h"

#include <stdlib.h>

#include "back-req.h"

#define HDR	12

/* abort() keeps the reason in the crash report's stack. */
#define ASSERT(c)	do { if (!(c)) abort(); } while (0)

static u64 get_u64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Small disks make the range checks reachable; raw ones test overflow. */
static u64 disk_size(u8 sel, u64 raw)
{
	switch (sel & 3) {
	case 0:
		return raw & 0xffff;
	case 1:
		return raw;
	case 2:
		return U64_MAX - (raw & 0xffff);
	default:
		return (u64)1 << 21;
	}
}

static bool ref_seg_ok(const struct blkmq_segment *s, u32 spb, u64 *total)
{
	unsigned int len;

	if (s->last_sect >= 8 || s->first_sect > s->last_sect)
		return false;
	len = s->last_sect - s->first_sect + 1;
	if (len % spb)
		return false;
	*total += len;
	return true;
}

static bool ref_data_ok(u64 sector, const struct blkmq_segment *segs,
			unsigned int n, bool writes,
			const struct blkmq_back_limits *lim)
{
	u32 spb = lim->logical_block_size / 512;
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!ref_seg_ok(&segs[i], spb, &total))
			return false;
	if (writes && lim->readonly)
		return false;
	if (sector % spb)
		return false;
	return (unsigned __int128)sector + total <= lim->nr_sectors;
}

/* Would a careful backend accept this request? */
static bool ref_accepts(const union blkmq_request_any *r,
			const struct blkmq_segment *isegs,
			const struct blkmq_back_limits *lim)
{
	u32 spb = lim->logical_block_size / 512;
	u32 maxi;

	switch (r->other.operation) {
	case BLKMQ_OP_FLUSH_DISKCACHE:
		if (!lim->flush)
			return false;
		goto rw;
	case BLKMQ_OP_WRITE_BARRIER:
		if (!lim->barrier)
			return false;
		goto rw;
	case BLKMQ_OP_READ:
	case BLKMQ_OP_WRITE:
rw:
		if (r->rw.nr_segments > 11)
			return false;
		if (!r->rw.nr_segments)
			return r->rw.operation != BLKMQ_OP_READ &&
			       r->rw.operation != BLKMQ_OP_WRITE;
		return ref_data_ok(r->rw.sector_number, r->rw.seg,
				   r->rw.nr_segments,
				   r->rw.operation != BLKMQ_OP_READ, lim);
	case BLKMQ_OP_DISCARD:
		if (!lim->discard || lim->readonly)
			return false;
		if (!r->discard.nr_sectors)
			return true;
		if (r->discard.sector_number % spb ||
		    r->discard.nr_sectors % spb)
			return false;
		return (unsigned __int128)r->discard.sector_number +
		       r->discard.nr_sectors <= lim->nr_sectors;
	case BLKMQ_OP_INDIRECT:
		maxi = lim->max_indirect_segs < 256 ?
		       lim->max_indirect_segs : 256;
		if (r->indirect.indirect_op != BLKMQ_OP_READ &&
		    r->indirect.indirect_op != BLKMQ_OP_WRITE)
			return false;
		if (!r->indirect.nr_segments ||
		    r->indirect.nr_segments > maxi)
			return false;
		return ref_data_ok(r->indirect.sector_number, isegs,
				   r->indirect.nr_segments,
				   r->indirect.indirect_op == BLKMQ_OP_WRITE,
				   lim);
	default:
		return false;
	}
}

/* Everything an accepted request promises the data path. */
static void check_accepted(const union blkmq_request_any *r,
			   const struct blkmq_back_req *q,
			   const struct blkmq_segment *wire_segs,
			   const struct blkmq_back_limits *lim)
{
	u32 spb = lim->logical_block_size / 512;
	u64 total = 0;
	unsigned int i;

	ASSERT(q->nr_segs <= BLKMQ_BACK_MAX_SEGS);
	for (i = 0; i < q->nr_segs; i++) {
		const struct blkmq_back_seg *s = &q->seg[i];

		ASSERT(s->first_sect <= s->last_sect && s->last_sect < 8);
		ASSERT(s->gref == wire_segs[i].gref);
		ASSERT(s->first_sect == wire_segs[i].first_sect);
		ASSERT(s->last_sect == wire_segs[i].last_sect);
		ASSERT(blkmq_back_seg_offset(s) + blkmq_back_seg_bytes(s) <=
		       BLKMQ_PAGE_SIZE);
		ASSERT((blkmq_back_seg_bytes(s) / 512) % spb == 0);
		total += s->last_sect - s->first_sect + 1;
	}
	if (q->op == BLKMQ_BOP_DISCARD || q->op == BLKMQ_BOP_SECURE_DISCARD) {
		ASSERT(r->other.operation == BLKMQ_OP_DISCARD && lim->discard);
		ASSERT(!q->nr_segs && !lim->readonly);
		ASSERT(q->op == BLKMQ_BOP_DISCARD ||
		       (lim->discard_secure &&
			(r->discard.flag & BLKMQ_DISCARD_SECURE)));
		ASSERT(q->nr_sects == r->discard.nr_sectors);
	} else {
		ASSERT(q->nr_sects == total);
	}
	if (q->nr_sects) {
		ASSERT(q->sector + q->nr_sects >= q->sector);
		ASSERT(q->sector + q->nr_sects <= lim->nr_sectors);
		ASSERT(q->sector % spb == 0);
	}
	if (q->op == BLKMQ_BOP_FLUSH)
		ASSERT(lim->flush);
	if (q->op == BLKMQ_BOP_BARRIER)
		ASSERT(lim->barrier);
	if (q->op == BLKMQ_BOP_READ || q->op == BLKMQ_BOP_WRITE)
		ASSERT(q->nr_segs > 0);
	if (lim->readonly)
		ASSERT(q->op == BLKMQ_BOP_READ ||
		       ((q->op == BLKMQ_BOP_FLUSH ||
			 q->op == BLKMQ_BOP_BARRIER) && !q->nr_segs));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 hdr[HDR] = { 0 };
	struct blkmq_back_limits lim;
	union blkmq_request_any *r;
	struct blkmq_back_req *q;
	struct blkmq_segment *segs = NULL;
	enum blkmq_back_err err;
	size_t slot, nseg_bytes, n;
	bool ref, got;
	u8 wire_op;

	memcpy(hdr, data, size < HDR ? size : HDR);
	data += size < HDR ? size : HDR;
	size -= size < HDR ? size : HDR;

	lim.readonly = hdr[0] & 1;
	lim.flush = hdr[0] & 2;
	lim.barrier = hdr[0] & 4;
	lim.discard = hdr[0] & 8;
	lim.discard_secure = hdr[0] & 16;
	lim.logical_block_size = 512U << (hdr[0] >> 6);
	lim.max_indirect_segs = (hdr[1] | hdr[2] << 8) % 600;
	lim.nr_sectors = disk_size(hdr[3], get_u64(hdr + 4));

	r = malloc(sizeof(*r));
	memset(r, 0, sizeof(*r));
	if (hdr[0] & 32) {
		union blkmq_x86_32_request_any *x = malloc(sizeof(*x));

		slot = sizeof(*x);
		memset(x, 0, sizeof(*x));
		memcpy(x, data, size < slot ? size : slot);
		blkmq_back_from_x86_32(r, x);
		ASSERT(r->other.operation == x->other.operation);
		ASSERT(r->other.id == ((u64)x->other.id_hi << 32 |
				       x->other.id_lo));
		free(x);
	} else {
		slot = sizeof(*r);
		memcpy(r, data, size < slot ? size : slot);
	}
	data += size < slot ? size : slot;
	size -= size < slot ? size : slot;

	/* The indirect pages' contents: exactly nr_segments descriptors. */
	if (r->other.operation == BLKMQ_OP_INDIRECT) {
		n = r->indirect.nr_segments;
		segs = calloc(n ? n : 1, sizeof(*segs));
		nseg_bytes = n * sizeof(*segs);
		memcpy(segs, data, size < nseg_bytes ? size : nseg_bytes);
	}

	q = malloc(sizeof(*q));
	memset(q, 0xa5, sizeof(*q));
	err = blkmq_back_parse(r, &lim, q);
	ASSERT((unsigned int)err < BLKMQ_BACK_E_NR);
	ASSERT(blkmq_back_err_str(err));
	ASSERT(q->id == r->other.id);
	wire_op = r->other.operation == BLKMQ_OP_INDIRECT ?
		  r->indirect.indirect_op : r->other.operation;
	ASSERT(q->wire_op == wire_op);
	ASSERT((err == BLKMQ_BACK_OK) ==
	       (blkmq_back_err_status(err) == BLKMQ_RSP_OKAY));

	if (!err && q->indirect) {
		ASSERT(r->other.operation == BLKMQ_OP_INDIRECT);
		ASSERT(q->nr_segs == r->indirect.nr_segments);
		ASSERT(q->nr_indirect_pages ==
		       (q->nr_segs + BLKMQ_SEGS_PER_INDIRECT_PAGE - 1) /
		       BLKMQ_SEGS_PER_INDIRECT_PAGE);
		ASSERT(q->nr_indirect_pages <= BLKMQ_MAX_INDIRECT_PAGES);
		ASSERT(!memcmp(q->indirect_grefs, r->indirect.indirect_grefs,
			       q->nr_indirect_pages * sizeof(u32)));
		err = blkmq_back_parse_indirect_segs(q, segs, &lim);
		ASSERT((unsigned int)err < BLKMQ_BACK_E_NR);
		ASSERT(q->wire_op == wire_op);
	}

	got = err == BLKMQ_BACK_OK;
	ref = ref_accepts(r, segs, &lim);
	ASSERT(got == ref);
	if (got)
		check_accepted(r, q, q->indirect ? segs : r->rw.seg, &lim);

	free(q);
	free(segs);
	free(r);
	return 0;
}
