/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * back-req.h - backend request validation (pure logic)
 *
 * The backend copies each ring slot once into private memory and hands only
 * that copy to blkmq_back_parse(), which checks it against the limits the
 * backend advertised and the size of the disk and turns it into a
 * struct blkmq_back_req the data path can act on without further checks.
 * Nothing here touches shared memory, so a frontend that rewrites the slot
 * after the copy changes nothing (XSA-155).
 *
 * An indirect request is validated in two steps, because its segments live
 * in further granted pages: blkmq_back_parse() checks the header and says
 * which pages to map; the caller maps them, copies the segment descriptors
 * once into a private array, and blkmq_back_parse_indirect_segs() checks
 * those.
 *
 * Every refusal has its own enum blkmq_back_err code, so the data path can
 * log one clear (ratelimited: the guest controls it) line with
 * blkmq_back_err_str() and answer with blkmq_back_err_status().
 */
#ifndef XEN_BLKMQ_BACK_REQ_H
#define XEN_BLKMQ_BACK_REQ_H

#include "pure.h"
#include <xen/interface/io/blkmq-if.h>

/*
 * The most segments one request may carry in this backend, and the largest
 * feature-max-indirect-segments it can advertise.  256 is what Linux's
 * xen-blkback advertises; it fits one indirect page and makes 1 MiB I/O.
 */
#define BLKMQ_BACK_MAX_SEGS		256

/**
 * struct blkmq_back_limits - what a request is checked against
 * @nr_sectors: size of the disk in 512-byte sectors (the "sectors" key)
 * @logical_block_size: bytes; a power of two from 512 to 4096
 *	("sector-size"); requests must start and end on these blocks
 * @max_indirect_segs: feature-max-indirect-segments as advertised; 0 when
 *	the key was not written (no INDIRECT).  Values above
 *	BLKMQ_BACK_MAX_SEGS are treated as BLKMQ_BACK_MAX_SEGS.
 * @readonly: the toolstack granted "r": refuse anything that writes
 * @flush: feature-flush-cache was advertised
 * @barrier: feature-barrier was advertised
 * @discard: feature-discard was advertised
 * @discard_secure: discard-secure was advertised
 *
 * The validators read these fields without READ_ONCE(), so they must not
 * change during a call: a resize should update a copy that the ring thread
 * picks up between requests (or pass a snapshot).
 */
struct blkmq_back_limits {
	u64 nr_sectors;
	u32 logical_block_size;
	u32 max_indirect_segs;
	bool readonly;
	bool flush;
	bool barrier;
	bool discard;
	bool discard_secure;
};

/**
 * enum blkmq_back_op - what the backend must do for a valid request
 * @BLKMQ_BOP_READ: read @nr_sects sectors into the segments
 * @BLKMQ_BOP_WRITE: write the segments
 * @BLKMQ_BOP_FLUSH: flush the disk cache, writing the segments (if any)
 *	with it (Linux's backend: a write with REQ_PREFLUSH);
 *	BLKMQ_OP_FLUSH_DISKCACHE
 * @BLKMQ_BOP_BARRIER: as FLUSH, after all earlier requests have completed;
 *	BLKMQ_OP_WRITE_BARRIER
 * @BLKMQ_BOP_DISCARD: discard [@sector, @sector + @nr_sects)
 * @BLKMQ_BOP_SECURE_DISCARD: securely erase [@sector, @sector + @nr_sects)
 */
enum blkmq_back_op {
	BLKMQ_BOP_READ,
	BLKMQ_BOP_WRITE,
	BLKMQ_BOP_FLUSH,
	BLKMQ_BOP_BARRIER,
	BLKMQ_BOP_DISCARD,
	BLKMQ_BOP_SECURE_DISCARD,
};

/**
 * enum blkmq_back_err - why a request was refused
 * @BLKMQ_BACK_OK: not refused
 * @BLKMQ_BACK_E_UNKNOWN_OP: operation is not one blkif defines
 * @BLKMQ_BACK_E_FLUSH_OFF: FLUSH_DISKCACHE, but feature-flush-cache was
 *	not advertised
 * @BLKMQ_BACK_E_BARRIER_OFF: WRITE_BARRIER, but feature-barrier was not
 *	advertised
 * @BLKMQ_BACK_E_DISCARD_OFF: DISCARD, but feature-discard was not advertised
 * @BLKMQ_BACK_E_INDIRECT_OFF: INDIRECT, but feature-max-indirect-segments
 *	was not advertised
 * @BLKMQ_BACK_E_INDIRECT_OP: INDIRECT whose indirect_op is not READ or WRITE
 * @BLKMQ_BACK_E_NO_SEGS: READ or WRITE without segments
 * @BLKMQ_BACK_E_TOO_MANY_SEGS: more than BLKMQ_MAX_SEGMENTS_PER_REQUEST
 *	segments inline, or more than advertised behind INDIRECT
 * @BLKMQ_BACK_E_INDIRECT_PAGES: blkmq_back_parse_indirect_segs() was given
 *	a request whose indirect page count does not match its segment count,
 *	or that is not indirect (a caller bug, not a guest's)
 * @BLKMQ_BACK_E_BAD_SEG: a segment has first_sect > last_sect or
 *	last_sect >= BLKMQ_SECTORS_PER_PAGE
 * @BLKMQ_BACK_E_RANGE: the request reaches past the end of the disk, or
 *	sector + length overflows 64 bits
 * @BLKMQ_BACK_E_READONLY: a write or discard to a read-only disk
 * @BLKMQ_BACK_E_MISALIGNED: start sector or a segment's length is not a
 *	multiple of the logical block size
 * @BLKMQ_BACK_E_NR: number of codes, not a code
 *
 * The first five mean "not offered" and are answered BLKMQ_RSP_EOPNOTSUPP,
 * as Linux's xen-blkback answers unknown operations; the rest are
 * BLKMQ_RSP_ERROR.  blkmq_back_err_status() does the mapping.
 */
enum blkmq_back_err {
	BLKMQ_BACK_OK = 0,
	BLKMQ_BACK_E_UNKNOWN_OP,
	BLKMQ_BACK_E_FLUSH_OFF,
	BLKMQ_BACK_E_BARRIER_OFF,
	BLKMQ_BACK_E_DISCARD_OFF,
	BLKMQ_BACK_E_INDIRECT_OFF,
	BLKMQ_BACK_E_INDIRECT_OP,
	BLKMQ_BACK_E_NO_SEGS,
	BLKMQ_BACK_E_TOO_MANY_SEGS,
	BLKMQ_BACK_E_INDIRECT_PAGES,
	BLKMQ_BACK_E_BAD_SEG,
	BLKMQ_BACK_E_RANGE,
	BLKMQ_BACK_E_READONLY,
	BLKMQ_BACK_E_MISALIGNED,
	BLKMQ_BACK_E_NR,
};

/**
 * struct blkmq_back_seg - one validated segment
 * @gref: grant reference of the data page (not validated: the map call
 *	is what checks a grant)
 * @first_sect: first 512-byte sector used in the page
 * @last_sect: last sector used; first_sect <= last_sect < 8
 */
struct blkmq_back_seg {
	u32 gref;
	u8 first_sect;
	u8 last_sect;
};

/**
 * struct blkmq_back_req - a request after validation
 * @id: the frontend's id, to echo in the response
 * @sector: first sector, 512-byte units
 * @nr_sects: length in 512-byte sectors (for an indirect request: 0 until
 *	blkmq_back_parse_indirect_segs() succeeds)
 * @op: what to do
 * @nr_segs: entries of @seg in use; 0 for DISCARD and data-less flushes
 * @wire_op: the operation to echo in the response.  For INDIRECT this is
 *	the indirect_op (READ or WRITE), not BLKMQ_OP_INDIRECT: Linux's
 *	xen-blkback answers that way, and Linux's xen-blkfront (6.1) takes
 *	any other operation in a response as a broken backend and stops.
 * @nr_indirect_pages: pages to map from @indirect_grefs (0 unless
 *	@indirect)
 * @indirect: the request came as BLKMQ_OP_INDIRECT
 * @indirect_grefs: grants of the pages holding the segment descriptors
 * @seg: the segments, in disk order (for an indirect request: filled by
 *	blkmq_back_parse_indirect_segs())
 */
struct blkmq_back_req {
	u64 id;
	u64 sector;
	u64 nr_sects;
	enum blkmq_back_op op;
	u16 nr_segs;
	u8 wire_op;
	u8 nr_indirect_pages;
	bool indirect;
	u32 indirect_grefs[BLKMQ_MAX_INDIRECT_PAGES];
	struct blkmq_back_seg seg[BLKMQ_BACK_MAX_SEGS];
};

/**
 * blkmq_back_seg_offset() - byte offset of a segment's data in its page
 * @seg: a validated segment
 *
 * Return: first_sect * 512.
 */
static inline u32 blkmq_back_seg_offset(const struct blkmq_back_seg *seg)
{
	return (u32)seg->first_sect << BLKMQ_SECTOR_SHIFT;
}

/**
 * blkmq_back_seg_bytes() - bytes a segment transfers
 * @seg: a validated segment
 *
 * Return: (last_sect - first_sect + 1) * 512.
 */
static inline u32 blkmq_back_seg_bytes(const struct blkmq_back_seg *seg)
{
	return ((u32)seg->last_sect - seg->first_sect + 1) << BLKMQ_SECTOR_SHIFT;
}

enum blkmq_back_err blkmq_back_parse(const union blkmq_request_any *copy,
				     const struct blkmq_back_limits *lim,
				     struct blkmq_back_req *out);
enum blkmq_back_err
blkmq_back_parse_indirect_segs(struct blkmq_back_req *req,
			       const struct blkmq_segment *segs,
			       const struct blkmq_back_limits *lim);
s16 blkmq_back_err_status(enum blkmq_back_err err);
const char *blkmq_back_err_str(enum blkmq_back_err err);
void blkmq_back_rsp(struct blkmq_response *rsp, u64 id, u8 wire_op,
		    s16 status);
#ifndef __KERNEL__
/* not in the module: the backend refuses the x86_32 layout (back-req.c) */
void blkmq_back_from_x86_32(union blkmq_request_any *dst,
			    const union blkmq_x86_32_request_any *src);
void blkmq_back_rsp_x86_32(struct blkmq_x86_32_response *rsp, u64 id,
			   u8 wire_op, s16 status);
#endif

#endif /* XEN_BLKMQ_BACK_REQ_H */
