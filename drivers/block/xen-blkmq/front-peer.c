// SPDX-License-Identifier: GPL-2.0-only
/*
 * front-peer.c - the frontend's checks of what its backend wrote (pure logic)
 *
 * See front-peer.h.  Nothing here touches shared memory or logs; the
 * caller copies the input out once, calls one function and logs once.
 */
#include "pure.h"
#include "front-peer.h"
#include "negotiate.h"

/**
 * blkmq_front_rsp_avail() - responses a producer index claims are ready
 * @rsp_prod: the backend's rsp_prod, read once
 * @rsp_cons: responses the frontend consumed so far
 * @req_pushed: requests the frontend has published in req_prod
 * @avail: set to the number of new responses on success
 *
 * Every response answers a request, so the backend can never be ahead of
 * the requests the frontend published.  All indices are free-running u32.
 *
 * Return: 0, or -ERANGE if @rsp_prod runs past the requests published (a
 * broken or hostile backend).
 */
int blkmq_front_rsp_avail(u32 rsp_prod, u32 rsp_cons, u32 req_pushed,
			  u32 *avail)
{
	u32 n = rsp_prod - rsp_cons;

	if (n > req_pushed - rsp_cons)
		return -ERANGE;
	*avail = n;
	return 0;
}

/**
 * blkmq_front_rsp_check() - check one response against the requests in flight
 * @rsp: a private copy of the response
 * @slots: the ring's request ids, indexed by id
 * @nr_slots: entries in @slots
 *
 * Return: BLKMQ_FRSP_OK, or the first thing wrong with @rsp.  For
 * BLKMQ_FRSP_E_STATUS the id and operation are good, so the caller can
 * fail just that request.
 */
enum blkmq_front_rsp_err blkmq_front_rsp_check(const struct blkmq_response *rsp,
					       const struct blkmq_front_slot *slots,
					       u32 nr_slots)
{
	const struct blkmq_front_slot *s;

	if (rsp->id >= nr_slots)
		return BLKMQ_FRSP_E_ID;
	s = &slots[rsp->id];
	if (!s->busy)
		return BLKMQ_FRSP_E_IDLE;
	if (rsp->operation != s->rsp_op)
		return BLKMQ_FRSP_E_OP;
	switch (rsp->status) {
	case BLKMQ_RSP_OKAY:
	case BLKMQ_RSP_ERROR:
	case BLKMQ_RSP_EOPNOTSUPP:
		return BLKMQ_FRSP_OK;
	default:
		return BLKMQ_FRSP_E_STATUS;
	}
}

static bool front_size_ok(u32 v)
{
	return v >= BLKMQ_SECTOR_SIZE && v <= BLKMQ_PAGE_SIZE && !(v & (v - 1));
}

/* An optional number: absent gives @dflt. */
static int front_opt_u32(const char *s, u32 dflt, u32 *out)
{
	if (!s) {
		*out = dflt;
		return 0;
	}
	return blkmq_xs_parse_u32(s, out);
}

/**
 * blkmq_front_disk_parse() - check the backend's description of the disk
 * @k: the keys as read, NULL for absent ones
 * @out: the result; undefined on failure
 *
 * "sectors" and "sector-size" are required; every other key may be absent.
 * A present key must be a strict decimal number.  A discard granularity
 * that is not whole logical blocks is dropped (set to 0: the physical
 * sector size is used), as is an alignment that is not whole blocks or not
 * below the granularity: both only tune where the block layer splits
 * discards, and a split that falls inside a block would make a discard
 * every backend refuses.
 *
 * Return: BLKMQ_FDISK_OK or why the description cannot be used.
 */
enum blkmq_front_disk_err blkmq_front_disk_parse(const struct blkmq_back_keys *k,
						 struct blkmq_front_disk *out)
{
	struct blkmq_features *f = &out->feat;
	u32 indirect;

	memset(out, 0, sizeof(*out));
	if (blkmq_xs_parse_u64(k->sectors, &out->sectors) ||
	    out->sectors > (U64_MAX >> BLKMQ_SECTOR_SHIFT))
		return BLKMQ_FDISK_E_SECTORS;
	if (blkmq_xs_parse_u32(k->sector_size, &out->sector_size) ||
	    !front_size_ok(out->sector_size))
		return BLKMQ_FDISK_E_SECTOR_SIZE;
	if (front_opt_u32(k->physical_sector_size, out->sector_size,
			  &out->physical_sector_size))
		return BLKMQ_FDISK_E_PHYS_SIZE;
	if (out->physical_sector_size < out->sector_size ||
	    (out->physical_sector_size & (out->physical_sector_size - 1)))
		return BLKMQ_FDISK_E_PHYS_SIZE;
	if (front_opt_u32(k->info, 0, &out->info) ||
	    front_opt_u32(k->max_indirect, 0, &indirect) ||
	    front_opt_u32(k->discard_granularity, 0,
			  &out->discard_granularity) ||
	    front_opt_u32(k->discard_alignment, 0, &out->discard_alignment) ||
	    blkmq_xs_parse_feature(k->persistent, &f->persistent) ||
	    blkmq_xs_parse_feature(k->flush, &f->flush) ||
	    blkmq_xs_parse_feature(k->barrier, &f->barrier) ||
	    blkmq_xs_parse_feature(k->discard, &f->discard) ||
	    blkmq_xs_parse_feature(k->discard_secure, &f->discard_secure))
		return BLKMQ_FDISK_E_NUMBER;
	out->info &= BLKMQ_VDISK_CDROM | BLKMQ_VDISK_REMOVABLE |
		     BLKMQ_VDISK_READONLY;
	/* Fewer than fit inline is no reason to use indirect requests. */
	if (indirect <= BLKMQ_MAX_SEGMENTS_PER_REQUEST)
		indirect = 0;
	f->max_indirect_segs = min_t(u32, indirect,
				     BLKMQ_MAX_INDIRECT_SEGMENTS);
	if (!f->discard) {
		f->discard_secure = false;
		out->discard_granularity = 0;
		out->discard_alignment = 0;
	} else {
		if (out->discard_granularity % out->sector_size)
			out->discard_granularity = 0;
		if (out->discard_alignment % out->sector_size ||
		    out->discard_alignment >= out->discard_granularity)
			out->discard_alignment = 0;
	}
	return BLKMQ_FDISK_OK;
}

static const char *const front_disk_err_str[BLKMQ_FDISK_E_NR] = {
	[BLKMQ_FDISK_OK] = "ok",
	[BLKMQ_FDISK_E_SECTORS] = "sectors missing or out of range",
	[BLKMQ_FDISK_E_SECTOR_SIZE] =
		"sector-size missing or not a power of two in 512..4096",
	[BLKMQ_FDISK_E_PHYS_SIZE] =
		"physical-sector-size not a power of two >= sector-size",
	[BLKMQ_FDISK_E_NUMBER] = "a feature or info key is not a number",
};

/**
 * blkmq_front_disk_err_str() - text for a log line
 * @err: a code from blkmq_front_disk_parse()
 *
 * Return: a constant string.
 */
const char *blkmq_front_disk_err_str(enum blkmq_front_disk_err err)
{
	if ((unsigned int)err >= BLKMQ_FDISK_E_NR)
		return "unknown error";
	return front_disk_err_str[err];
}

/**
 * blkmq_front_rsp_err_str() - text for a log line
 * @err: a code from blkmq_front_rsp_check()
 *
 * Return: a constant string.
 */
const char *blkmq_front_rsp_err_str(enum blkmq_front_rsp_err err)
{
	switch (err) {
	case BLKMQ_FRSP_OK:
		return "ok";
	case BLKMQ_FRSP_E_ID:
		return "id out of range";
	case BLKMQ_FRSP_E_IDLE:
		return "id not in flight";
	case BLKMQ_FRSP_E_OP:
		return "operation does not match the request";
	case BLKMQ_FRSP_E_STATUS:
		return "unknown status";
	}
	return "unknown error";
}
