// SPDX-License-Identifier: GPL-2.0-only
/*
 * back-req.c - backend request validation (pure logic)
 *
 * See back-req.h.  Everything here reads only the caller's private copy of
 * a request, so each field is read as often as is convenient.  The checks
 * run cheapest and most fundamental first (is the operation offered, is the
 * shape sane), then the ones that need the whole request (read-only,
 * alignment, range), so that the reason reported is the most basic one.
 */
#include "pure.h"
#include "back-req.h"

/* Low sector bits inside one logical block: 0 for 512 bytes, 7 for 4 KiB. */
static u64 blkmq_back_block_mask(const struct blkmq_back_limits *lim)
{
	u32 sects = lim->logical_block_size >> BLKMQ_SECTOR_SHIFT;

	return sects ? sects - 1 : 0;
}

/* The indirect segment limit, never above what struct blkmq_back_req holds. */
static u32 blkmq_back_max_indirect(const struct blkmq_back_limits *lim)
{
	return min_t(u32, lim->max_indirect_segs, BLKMQ_BACK_MAX_SEGS);
}

/*
 * Validate and copy @nr segments, and add up their length into
 * @req->nr_sects.  @req->nr_segs is set by the caller.
 */
static enum blkmq_back_err
blkmq_back_copy_segs(struct blkmq_back_req *req,
		     const struct blkmq_segment *segs, unsigned int nr)
{
	u64 nr_sects = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		u8 first = segs[i].first_sect;
		u8 last = segs[i].last_sect;

		if (unlikely(last >= BLKMQ_SECTORS_PER_PAGE || first > last))
			return BLKMQ_BACK_E_BAD_SEG;
		req->seg[i].gref = segs[i].gref;
		req->seg[i].first_sect = first;
		req->seg[i].last_sect = last;
		nr_sects += last - first + 1;
	}
	req->nr_sects = nr_sects;
	return BLKMQ_BACK_OK;
}

/* @nr sectors from @sector lie on the device, without wrapping around. */
static enum blkmq_back_err blkmq_back_range(const struct blkmq_back_limits *lim,
					    u64 sector, u64 nr)
{
	u64 end = sector + nr;

	if (unlikely(end < sector || end > lim->nr_sectors))
		return BLKMQ_BACK_E_RANGE;
	return BLKMQ_BACK_OK;
}

/*
 * The checks that need the whole data request: permission, alignment and
 * range.  A flush without segments carries no range (Linux's frontend
 * leaves sector_number at whatever the block layer had) and changes no
 * data, so none of them apply to it, not even read-only.
 */
static enum blkmq_back_err
blkmq_back_check_data(const struct blkmq_back_req *req,
		      const struct blkmq_back_limits *lim)
{
	u64 mask = blkmq_back_block_mask(lim);
	unsigned int i;

	if (!req->nr_segs)
		return BLKMQ_BACK_OK;
	if (unlikely(req->op != BLKMQ_BOP_READ && lim->readonly))
		return BLKMQ_BACK_E_READONLY;

	/*
	 * Each segment must cover whole logical blocks of the disk.  Its
	 * offset inside the page need not be block-aligned: the disk only
	 * needs its DMA alignment there, and Linux's frontend, which asks for
	 * only 512-byte alignment, may send such segments on 1 or 2 KiB disks.
	 * Linux's backend checks exactly these lengths and the start.
	 */
	if (unlikely(req->sector & mask))
		return BLKMQ_BACK_E_MISALIGNED;
	for (i = 0; i < req->nr_segs; i++) {
		u64 sects = req->seg[i].last_sect - req->seg[i].first_sect + 1;

		if (unlikely(sects & mask))
			return BLKMQ_BACK_E_MISALIGNED;
	}

	return blkmq_back_range(lim, req->sector, req->nr_sects);
}

static enum blkmq_back_err
blkmq_back_parse_rw(const struct blkmq_request *rw,
		    const struct blkmq_back_limits *lim, enum blkmq_back_op op,
		    struct blkmq_back_req *out)
{
	unsigned int nr = rw->nr_segments;
	enum blkmq_back_err err;

	/* Only flushes and barriers make sense without data. */
	if (unlikely(!nr && (op == BLKMQ_BOP_READ || op == BLKMQ_BOP_WRITE)))
		return BLKMQ_BACK_E_NO_SEGS;
	if (unlikely(nr > BLKMQ_MAX_SEGMENTS_PER_REQUEST))
		return BLKMQ_BACK_E_TOO_MANY_SEGS;

	out->op = op;
	out->sector = rw->sector_number;
	out->nr_segs = nr;
	err = blkmq_back_copy_segs(out, rw->seg, nr);
	if (err)
		return err;
	return blkmq_back_check_data(out, lim);
}

/*
 * Xen's blkif.h says the secure flag is "ignored if discard-secure=0", and
 * Linux's backend does exactly that, so a frontend that sets it anyway gets
 * a plain discard rather than a refusal.  Other flag bits are undefined and
 * ignored for the same reason.  A zero-length discard is valid and does
 * nothing; like Linux, it is not range-checked.
 */
static enum blkmq_back_err
blkmq_back_parse_discard(const struct blkmq_request_discard *d,
			 const struct blkmq_back_limits *lim,
			 struct blkmq_back_req *out)
{
	u64 mask = blkmq_back_block_mask(lim);

	if (unlikely(!lim->discard))
		return BLKMQ_BACK_E_DISCARD_OFF;

	out->op = (d->flag & BLKMQ_DISCARD_SECURE) && lim->discard_secure ?
		  BLKMQ_BOP_SECURE_DISCARD : BLKMQ_BOP_DISCARD;
	out->sector = d->sector_number;
	out->nr_sects = d->nr_sectors;

	if (unlikely(lim->readonly))
		return BLKMQ_BACK_E_READONLY;
	if (!out->nr_sects)
		return BLKMQ_BACK_OK;
	/* The block layer refuses a discard that splits logical blocks. */
	if (unlikely((out->sector | out->nr_sects) & mask))
		return BLKMQ_BACK_E_MISALIGNED;
	return blkmq_back_range(lim, out->sector, out->nr_sects);
}

static enum blkmq_back_err
blkmq_back_parse_indirect(const struct blkmq_request_indirect *ind,
			  const struct blkmq_back_limits *lim,
			  struct blkmq_back_req *out)
{
	unsigned int nr = ind->nr_segments;
	unsigned int i;

	/* Echo indirect_op even in a refusal: see struct blkmq_back_req. */
	out->wire_op = ind->indirect_op;

	if (unlikely(!blkmq_back_max_indirect(lim)))
		return BLKMQ_BACK_E_INDIRECT_OFF;
	if (ind->indirect_op == BLKMQ_OP_READ)
		out->op = BLKMQ_BOP_READ;
	else if (ind->indirect_op == BLKMQ_OP_WRITE)
		out->op = BLKMQ_BOP_WRITE;
	else
		return BLKMQ_BACK_E_INDIRECT_OP;
	if (unlikely(!nr))
		return BLKMQ_BACK_E_NO_SEGS;
	if (unlikely(nr > blkmq_back_max_indirect(lim)))
		return BLKMQ_BACK_E_TOO_MANY_SEGS;

	out->indirect = true;
	out->sector = ind->sector_number;
	out->nr_segs = nr;
	out->nr_indirect_pages = DIV_ROUND_UP(nr, BLKMQ_SEGS_PER_INDIRECT_PAGE);
	for (i = 0; i < out->nr_indirect_pages; i++)
		out->indirect_grefs[i] = ind->indirect_grefs[i];

	/*
	 * Refuse now what the segments cannot make valid, before the caller
	 * spends a map hypercall on the indirect pages.  The request has at
	 * least one sector, so it must start inside the disk.
	 */
	if (unlikely(out->op == BLKMQ_BOP_WRITE && lim->readonly))
		return BLKMQ_BACK_E_READONLY;
	if (unlikely(out->sector & blkmq_back_block_mask(lim)))
		return BLKMQ_BACK_E_MISALIGNED;
	if (unlikely(out->sector >= lim->nr_sectors))
		return BLKMQ_BACK_E_RANGE;
	return BLKMQ_BACK_OK;
}

/**
 * blkmq_back_parse() - validate a privately copied request
 * @copy: the request, copied out of the ring once by the caller (an
 *	x86_32-layout request is converted first, see blkmq_back_from_x86_32())
 * @lim: what the backend advertised and the current disk size
 * @out: the decoded request
 *
 * On success @out describes a request that is safe to carry out: every
 * segment lies within its page, the whole range lies within the disk and
 * is aligned to its logical blocks, and the operation is one the backend
 * offered.  Two exceptions: an INDIRECT request is only checked as far as
 * its header (@out->indirect is set; map @out->indirect_grefs, copy the
 * segment array and call blkmq_back_parse_indirect_segs()), and a
 * FLUSH_DISKCACHE or WRITE_BARRIER without segments is accepted even on a
 * read-only disk, because it changes no data.
 *
 * Whatever the result, @out->id and @out->wire_op are set, so the caller
 * can answer a refused request with blkmq_back_rsp() and
 * blkmq_back_err_status().  Other fields of @out are only meaningful on
 * success.
 *
 * Context: any; does not sleep, allocate or touch shared memory.
 * Return: BLKMQ_BACK_OK, or the reason for refusing the request.
 */
enum blkmq_back_err blkmq_back_parse(const union blkmq_request_any *copy,
				     const struct blkmq_back_limits *lim,
				     struct blkmq_back_req *out)
{
	u8 op = copy->other.operation;

	out->id = copy->other.id;
	out->wire_op = op;
	out->indirect = false;
	out->nr_indirect_pages = 0;
	out->nr_segs = 0;
	out->sector = 0;
	out->nr_sects = 0;
	out->op = BLKMQ_BOP_READ;

	switch (op) {
	case BLKMQ_OP_READ:
		return blkmq_back_parse_rw(&copy->rw, lim, BLKMQ_BOP_READ, out);
	case BLKMQ_OP_WRITE:
		return blkmq_back_parse_rw(&copy->rw, lim, BLKMQ_BOP_WRITE, out);
	case BLKMQ_OP_FLUSH_DISKCACHE:
		if (unlikely(!lim->flush))
			return BLKMQ_BACK_E_FLUSH_OFF;
		return blkmq_back_parse_rw(&copy->rw, lim, BLKMQ_BOP_FLUSH, out);
	case BLKMQ_OP_WRITE_BARRIER:
		if (unlikely(!lim->barrier))
			return BLKMQ_BACK_E_BARRIER_OFF;
		return blkmq_back_parse_rw(&copy->rw, lim, BLKMQ_BOP_BARRIER,
					   out);
	case BLKMQ_OP_DISCARD:
		return blkmq_back_parse_discard(&copy->discard, lim, out);
	case BLKMQ_OP_INDIRECT:
		return blkmq_back_parse_indirect(&copy->indirect, lim, out);
	default:
		return BLKMQ_BACK_E_UNKNOWN_OP;
	}
}

/**
 * blkmq_back_parse_indirect_segs() - validate the segments of an indirect
 *	request
 * @req: a request for which blkmq_back_parse() succeeded with
 *	@req->indirect set
 * @segs: @req->nr_segs segment descriptors, copied once by the caller out
 *	of the mapped indirect pages (page i holds descriptors
 *	i * BLKMQ_SEGS_PER_INDIRECT_PAGE onwards)
 * @lim: the same limits blkmq_back_parse() was given
 *
 * Fills @req->seg and @req->nr_sects and checks the request as a whole,
 * as blkmq_back_parse() does for a direct request.
 *
 * Context: any; does not sleep, allocate or touch shared memory.
 * Return: BLKMQ_BACK_OK, or the reason for refusing the request.
 */
enum blkmq_back_err
blkmq_back_parse_indirect_segs(struct blkmq_back_req *req,
			       const struct blkmq_segment *segs,
			       const struct blkmq_back_limits *lim)
{
	enum blkmq_back_err err;

	/* Not the guest's doing, but cheap insurance for @req->seg's bound. */
	if (unlikely(!req->indirect || !req->nr_segs ||
		     req->nr_indirect_pages !=
		     DIV_ROUND_UP(req->nr_segs, BLKMQ_SEGS_PER_INDIRECT_PAGE)))
		return BLKMQ_BACK_E_INDIRECT_PAGES;
	if (unlikely(req->nr_segs > blkmq_back_max_indirect(lim)))
		return BLKMQ_BACK_E_TOO_MANY_SEGS;

	err = blkmq_back_copy_segs(req, segs, req->nr_segs);
	if (err)
		return err;
	return blkmq_back_check_data(req, lim);
}

#ifndef __KERNEL__
/*
 * The x86_32 layout: the backend refuses it (back-xenbus.c serves the
 * native x86_64 layout only), so these conversions are not built into the
 * module.  The unit tests and the fuzzer build them, keeping them right for
 * the day a 32-bit guest is served.
 */

/**
 * blkmq_back_from_x86_32() - convert an x86_32-layout request to ours
 * @dst: the native-layout request to fill
 * @src: the caller's private copy of an x86_32-layout ring slot
 *
 * Only the fields of the variant that @src's operation selects are
 * converted; an unknown operation keeps just its operation and id, which is
 * all blkmq_back_parse() reads of it.  Everything else in @dst is zeroed.
 *
 * Context: any.
 */
void blkmq_back_from_x86_32(union blkmq_request_any *dst,
			    const union blkmq_x86_32_request_any *src)
{
	u8 op = src->other.operation;
	unsigned int i;

	memset(dst, 0, sizeof(*dst));
	switch (op) {
	case BLKMQ_OP_READ:
	case BLKMQ_OP_WRITE:
	case BLKMQ_OP_WRITE_BARRIER:
	case BLKMQ_OP_FLUSH_DISKCACHE:
		dst->rw.operation = op;
		dst->rw.nr_segments = src->rw.nr_segments;
		dst->rw.handle = src->rw.handle;
		dst->rw.id = blkmq_x86_32_u64(src->rw.id_lo, src->rw.id_hi);
		dst->rw.sector_number = blkmq_x86_32_u64(src->rw.sector_lo,
							 src->rw.sector_hi);
		for (i = 0; i < BLKMQ_MAX_SEGMENTS_PER_REQUEST; i++) {
			dst->rw.seg[i].gref = src->rw.seg[i].gref;
			dst->rw.seg[i].first_sect = src->rw.seg[i].first_sect;
			dst->rw.seg[i].last_sect = src->rw.seg[i].last_sect;
		}
		break;
	case BLKMQ_OP_DISCARD:
		dst->discard.operation = op;
		dst->discard.flag = src->discard.flag;
		dst->discard.handle = src->discard.handle;
		dst->discard.id = blkmq_x86_32_u64(src->discard.id_lo,
						   src->discard.id_hi);
		dst->discard.sector_number =
			blkmq_x86_32_u64(src->discard.sector_lo,
					 src->discard.sector_hi);
		dst->discard.nr_sectors =
			blkmq_x86_32_u64(src->discard.nr_sectors_lo,
					 src->discard.nr_sectors_hi);
		break;
	case BLKMQ_OP_INDIRECT:
		dst->indirect.operation = op;
		dst->indirect.indirect_op = src->indirect.indirect_op;
		dst->indirect.nr_segments = src->indirect.nr_segments;
		dst->indirect.handle = src->indirect.handle;
		dst->indirect.id = blkmq_x86_32_u64(src->indirect.id_lo,
						    src->indirect.id_hi);
		dst->indirect.sector_number =
			blkmq_x86_32_u64(src->indirect.sector_lo,
					 src->indirect.sector_hi);
		for (i = 0; i < BLKMQ_MAX_INDIRECT_PAGES; i++)
			dst->indirect.indirect_grefs[i] =
				src->indirect.indirect_grefs[i];
		break;
	default:
		dst->other.operation = op;
		dst->other.id = blkmq_x86_32_u64(src->other.id_lo,
						 src->other.id_hi);
		break;
	}
}
#endif /* !__KERNEL__ */

/**
 * blkmq_back_err_status() - the response status for a parse result
 * @err: a blkmq_back_parse() or blkmq_back_parse_indirect_segs() result
 *
 * Operations the backend does not know or did not offer get
 * BLKMQ_RSP_EOPNOTSUPP (Linux's frontend then stops using flush, barrier or
 * discard); every other refusal gets BLKMQ_RSP_ERROR.
 *
 * Return: a BLKMQ_RSP_* value; BLKMQ_RSP_OKAY for BLKMQ_BACK_OK.
 */
s16 blkmq_back_err_status(enum blkmq_back_err err)
{
	switch (err) {
	case BLKMQ_BACK_OK:
		return BLKMQ_RSP_OKAY;
	case BLKMQ_BACK_E_UNKNOWN_OP:
	case BLKMQ_BACK_E_FLUSH_OFF:
	case BLKMQ_BACK_E_BARRIER_OFF:
	case BLKMQ_BACK_E_DISCARD_OFF:
	case BLKMQ_BACK_E_INDIRECT_OFF:
		return BLKMQ_RSP_EOPNOTSUPP;
	default:
		return BLKMQ_RSP_ERROR;
	}
}

static const char *const blkmq_back_err_strs[BLKMQ_BACK_E_NR] = {
	[BLKMQ_BACK_OK] = "ok",
	[BLKMQ_BACK_E_UNKNOWN_OP] = "unknown operation",
	[BLKMQ_BACK_E_FLUSH_OFF] = "flush, but feature-flush-cache is off",
	[BLKMQ_BACK_E_BARRIER_OFF] = "barrier, but feature-barrier is off",
	[BLKMQ_BACK_E_DISCARD_OFF] = "discard, but feature-discard is off",
	[BLKMQ_BACK_E_INDIRECT_OFF] = "indirect, but not advertised",
	[BLKMQ_BACK_E_INDIRECT_OP] = "indirect operation not read or write",
	[BLKMQ_BACK_E_NO_SEGS] = "read or write without segments",
	[BLKMQ_BACK_E_TOO_MANY_SEGS] = "too many segments",
	[BLKMQ_BACK_E_INDIRECT_PAGES] = "indirect page count mismatch",
	[BLKMQ_BACK_E_BAD_SEG] = "segment sectors out of page",
	[BLKMQ_BACK_E_RANGE] = "beyond end of disk",
	[BLKMQ_BACK_E_READONLY] = "write to read-only disk",
	[BLKMQ_BACK_E_MISALIGNED] = "not aligned to logical block size",
};

/**
 * blkmq_back_err_str() - a short description of a parse result, for logs
 * @err: a blkmq_back_parse() or blkmq_back_parse_indirect_segs() result
 *
 * Return: a static string; never NULL.
 */
const char *blkmq_back_err_str(enum blkmq_back_err err)
{
	if ((unsigned int)err >= BLKMQ_BACK_E_NR)
		return "invalid error code";
	return blkmq_back_err_strs[err];
}

/**
 * blkmq_back_rsp() - fill in a response
 * @rsp: where to write it (may be the ring slot itself: only written)
 * @id: the request's id
 * @wire_op: the operation to echo (struct blkmq_back_req.wire_op)
 * @status: a BLKMQ_RSP_* value
 *
 * Padding is written as zero so that no stale backend data reaches the
 * guest.
 */
void blkmq_back_rsp(struct blkmq_response *rsp, u64 id, u8 wire_op,
		    s16 status)
{
	rsp->id = id;
	rsp->operation = wire_op;
	rsp->_pad0 = 0;
	rsp->status = status;
	rsp->_pad1 = 0;
}

#ifndef __KERNEL__
/* the x86_32 layout: for the tests only, see blkmq_back_from_x86_32() */
/**
 * blkmq_back_rsp_x86_32() - fill in a response on the x86_32 layout
 * @rsp: where to write it
 * @id: the request's id
 * @wire_op: the operation to echo (struct blkmq_back_req.wire_op)
 * @status: a BLKMQ_RSP_* value
 */
void blkmq_back_rsp_x86_32(struct blkmq_x86_32_response *rsp, u64 id,
			   u8 wire_op, s16 status)
{
	rsp->id_lo = (u32)id;
	rsp->id_hi = (u32)(id >> 32);
	rsp->operation = wire_op;
	rsp->_pad0 = 0;
	rsp->status = status;
}
#endif /* !__KERNEL__ */
