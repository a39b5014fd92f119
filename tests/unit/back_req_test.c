// SPDX-License-Identifier: GPL-2.0-only
/*
 * back_req_test.c - backend request validation (back-req.c)
 *
 * Every request is parsed from a heap copy of exactly one ring slot, so
 * AddressSanitizer catches a read past the slot (for instance of a 12th
 * inline segment).  The boundaries tested are the ones a hostile frontend
 * would probe: sector 7/8 in a page, 11/12 inline segments, 256/257
 * indirect segments, the last sector of the disk and one past it, sector +
 * length wrapping 64 bits, 4 KiB logical blocks, and every feature off.
 */
#include "kshim.h"

#include <stdlib.h>

#include "back-req.h"
#include "check.h"

#define DISK_SECTORS	((u64)1 << 21)	/* 1 GiB */

static struct blkmq_back_limits lim_all(void)
{
	struct blkmq_back_limits lim = {
		.nr_sectors = DISK_SECTORS,
		.logical_block_size = 512,
		.max_indirect_segs = BLKMQ_BACK_MAX_SEGS,
		.flush = true,
		.barrier = true,
		.discard = true,
		.discard_secure = true,
	};

	return lim;
}

/* A read/write-layout request with @nr segments first..last each. */
static union blkmq_request_any rw_req(u8 op, u64 sector, unsigned int nr,
				      u8 first, u8 last)
{
	union blkmq_request_any r;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	r.rw.operation = op;
	r.rw.nr_segments = nr;
	r.rw.id = 0x1122334455667788ULL;
	r.rw.sector_number = sector;
	for (i = 0; i < nr && i < BLKMQ_MAX_SEGMENTS_PER_REQUEST; i++) {
		r.rw.seg[i].gref = 100 + i;
		r.rw.seg[i].first_sect = first;
		r.rw.seg[i].last_sect = last;
	}
	return r;
}

static union blkmq_request_any discard_req(u8 flag, u64 sector, u64 nr)
{
	union blkmq_request_any r;

	memset(&r, 0, sizeof(r));
	r.discard.operation = BLKMQ_OP_DISCARD;
	r.discard.flag = flag;
	r.discard.id = 77;
	r.discard.sector_number = sector;
	r.discard.nr_sectors = nr;
	return r;
}

static union blkmq_request_any ind_req(u8 iop, u64 sector, unsigned int nr)
{
	union blkmq_request_any r;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	r.indirect.operation = BLKMQ_OP_INDIRECT;
	r.indirect.indirect_op = iop;
	r.indirect.nr_segments = nr;
	r.indirect.id = 0xabcdef;
	r.indirect.sector_number = sector;
	for (i = 0; i < BLKMQ_MAX_INDIRECT_PAGES; i++)
		r.indirect.indirect_grefs[i] = 900 + i;
	return r;
}

static struct blkmq_back_req out;

/* Parse from an exact-size heap copy, as the data path would. */
static enum blkmq_back_err parse(const union blkmq_request_any *r,
				 const struct blkmq_back_limits *lim)
{
	union blkmq_request_any *copy = malloc(sizeof(*copy));
	enum blkmq_back_err err;

	memcpy(copy, r, sizeof(*copy));
	memset(&out, 0xa5, sizeof(out));
	err = blkmq_back_parse(copy, lim, &out);
	free(copy);
	return err;
}

/* Heap array of @nr segments, each first..last. */
static struct blkmq_segment *segs_alloc(unsigned int nr, u8 first, u8 last)
{
	struct blkmq_segment *s = calloc(nr ? nr : 1, sizeof(*s));
	unsigned int i;

	for (i = 0; i < nr; i++) {
		s[i].gref = 5000 + i;
		s[i].first_sect = first;
		s[i].last_sect = last;
	}
	return s;
}

static void test_rw_basic(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r = rw_req(BLKMQ_OP_READ, 16, 2, 0, 7);

	r.rw.seg[1].first_sect = 2;
	r.rw.seg[1].last_sect = 4;
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.id, 0x1122334455667788ULL);
	CHECK_EQ(out.wire_op, BLKMQ_OP_READ);
	CHECK_EQ(out.op, BLKMQ_BOP_READ);
	CHECK(!out.indirect);
	CHECK_EQ(out.nr_indirect_pages, 0);
	CHECK_EQ(out.sector, 16);
	CHECK_EQ(out.nr_segs, 2);
	CHECK_EQ(out.nr_sects, 8 + 3);
	CHECK_EQ(out.seg[0].gref, 100);
	CHECK_EQ(out.seg[1].gref, 101);
	CHECK_EQ(out.seg[1].first_sect, 2);
	CHECK_EQ(out.seg[1].last_sect, 4);
	CHECK_EQ(blkmq_back_seg_offset(&out.seg[1]), 1024);
	CHECK_EQ(blkmq_back_seg_bytes(&out.seg[1]), 1536);
	CHECK_EQ(blkmq_back_seg_bytes(&out.seg[0]), 4096);

	r = rw_req(BLKMQ_OP_WRITE, 0, 1, 3, 3);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.op, BLKMQ_BOP_WRITE);
	CHECK_EQ(out.wire_op, BLKMQ_OP_WRITE);
	CHECK_EQ(out.nr_sects, 1);
}

static void test_segment_sectors(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	r = rw_req(BLKMQ_OP_READ, 0, 1, 7, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	r = rw_req(BLKMQ_OP_READ, 0, 1, 0, 8);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_BAD_SEG);
	r = rw_req(BLKMQ_OP_READ, 0, 1, 8, 8);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_BAD_SEG);
	r = rw_req(BLKMQ_OP_READ, 0, 1, 255, 255);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_BAD_SEG);
	r = rw_req(BLKMQ_OP_WRITE, 0, 1, 3, 2);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_BAD_SEG);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_BAD_SEG), BLKMQ_RSP_ERROR);

	/* A bad segment anywhere, not only the first. */
	r = rw_req(BLKMQ_OP_WRITE, 0, 11, 0, 7);
	r.rw.seg[10].last_sect = 8;
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_BAD_SEG);
	CHECK_EQ(out.id, 0x1122334455667788ULL);
	CHECK_EQ(out.wire_op, BLKMQ_OP_WRITE);
}

static void test_segment_count(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	r = rw_req(BLKMQ_OP_READ, 0, 11, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.nr_segs, 11);
	CHECK_EQ(out.nr_sects, 88);
	CHECK_EQ(out.seg[10].gref, 110);

	r = rw_req(BLKMQ_OP_READ, 0, 12, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_TOO_MANY_SEGS);
	r = rw_req(BLKMQ_OP_WRITE, 0, 255, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_TOO_MANY_SEGS);
	r = rw_req(BLKMQ_OP_FLUSH_DISKCACHE, 0, 12, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_TOO_MANY_SEGS);

	r = rw_req(BLKMQ_OP_READ, 0, 0, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_NO_SEGS);
	r = rw_req(BLKMQ_OP_WRITE, 0, 0, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_NO_SEGS);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_NO_SEGS), BLKMQ_RSP_ERROR);
}

static void test_range(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	/* Ends exactly at the end of the disk. */
	r = rw_req(BLKMQ_OP_READ, DISK_SECTORS - 8, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	r = rw_req(BLKMQ_OP_READ, DISK_SECTORS - 1, 1, 7, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	/* One sector past it. */
	r = rw_req(BLKMQ_OP_READ, DISK_SECTORS - 7, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	r = rw_req(BLKMQ_OP_WRITE, DISK_SECTORS, 1, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	/* sector + length wraps to a small number. */
	r = rw_req(BLKMQ_OP_READ, U64_MAX - 3, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	r = rw_req(BLKMQ_OP_READ, U64_MAX, 1, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	/* Even on a disk as large as it gets. */
	lim.nr_sectors = U64_MAX;
	r = rw_req(BLKMQ_OP_READ, U64_MAX - 7, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	r = rw_req(BLKMQ_OP_READ, U64_MAX - 8, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	/* An empty disk takes nothing. */
	lim.nr_sectors = 0;
	r = rw_req(BLKMQ_OP_READ, 0, 1, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_RANGE), BLKMQ_RSP_ERROR);
}

static void test_alignment(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	lim.logical_block_size = 4096;
	r = rw_req(BLKMQ_OP_READ, 8, 3, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	r = rw_req(BLKMQ_OP_READ, 1, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);
	r = rw_req(BLKMQ_OP_READ, 4, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);
	/* Half a block per segment, even if two add up to a block. */
	r = rw_req(BLKMQ_OP_WRITE, 0, 2, 0, 3);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);
	r = rw_req(BLKMQ_OP_WRITE, 0, 1, 1, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_MISALIGNED),
		 BLKMQ_RSP_ERROR);

	/* 1 KiB blocks: the in-page offset only needs 512-byte alignment. */
	lim.logical_block_size = 1024;
	r = rw_req(BLKMQ_OP_READ, 2, 1, 1, 2);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	r = rw_req(BLKMQ_OP_READ, 2, 1, 1, 1);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);
	r = rw_req(BLKMQ_OP_READ, 3, 1, 0, 1);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);

	/* 512-byte blocks: anything goes. */
	lim.logical_block_size = 512;
	r = rw_req(BLKMQ_OP_READ, 3, 1, 5, 5);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
}

static void test_readonly(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	lim.readonly = true;
	r = rw_req(BLKMQ_OP_READ, 0, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	r = rw_req(BLKMQ_OP_WRITE, 0, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_READONLY);
	r = rw_req(BLKMQ_OP_FLUSH_DISKCACHE, 0, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_READONLY);
	r = rw_req(BLKMQ_OP_WRITE_BARRIER, 0, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_READONLY);
	r = discard_req(0, 0, 8);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_READONLY);
	r = ind_req(BLKMQ_OP_WRITE, 0, 20);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_READONLY);
	r = ind_req(BLKMQ_OP_READ, 0, 20);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	/* A flush without data changes nothing: allowed. */
	r = rw_req(BLKMQ_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_READONLY),
		 BLKMQ_RSP_ERROR);
}

static void test_flush_barrier(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	/* Data-less: no range or alignment applies, sector is ignored. */
	lim.logical_block_size = 4096;
	r = rw_req(BLKMQ_OP_FLUSH_DISKCACHE, U64_MAX, 0, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.op, BLKMQ_BOP_FLUSH);
	CHECK_EQ(out.wire_op, BLKMQ_OP_FLUSH_DISKCACHE);
	CHECK_EQ(out.nr_segs, 0);
	CHECK_EQ(out.nr_sects, 0);
	r = rw_req(BLKMQ_OP_WRITE_BARRIER, 3, 0, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.op, BLKMQ_BOP_BARRIER);

	/* With data: checked like a write. */
	r = rw_req(BLKMQ_OP_FLUSH_DISKCACHE, 8, 2, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.nr_sects, 16);
	r = rw_req(BLKMQ_OP_WRITE_BARRIER, DISK_SECTORS, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);

	/* Not offered: EOPNOTSUPP, so the frontend stops sending them. */
	lim.flush = false;
	r = rw_req(BLKMQ_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_FLUSH_OFF);
	CHECK_EQ(out.wire_op, BLKMQ_OP_FLUSH_DISKCACHE);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_FLUSH_OFF),
		 BLKMQ_RSP_EOPNOTSUPP);
	lim.barrier = false;
	r = rw_req(BLKMQ_OP_WRITE_BARRIER, 0, 0, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_BARRIER_OFF);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_BARRIER_OFF),
		 BLKMQ_RSP_EOPNOTSUPP);
}

static void test_unknown_op(void)
{
	struct blkmq_back_limits lim = lim_all();
	static const u8 ops[] = { BLKMQ_OP_RESERVED_1, 7, 8, 0x80, 0xff };
	union blkmq_request_any r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		memset(&r, 0xee, sizeof(r));
		r.other.operation = ops[i];
		r.other.id = 42 + i;
		CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_UNKNOWN_OP);
		CHECK_EQ(out.id, 42 + i);
		CHECK_EQ(out.wire_op, ops[i]);
	}
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_UNKNOWN_OP),
		 BLKMQ_RSP_EOPNOTSUPP);
}

static void test_discard(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	r = discard_req(0, 100, 50);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.op, BLKMQ_BOP_DISCARD);
	CHECK_EQ(out.wire_op, BLKMQ_OP_DISCARD);
	CHECK_EQ(out.id, 77);
	CHECK_EQ(out.sector, 100);
	CHECK_EQ(out.nr_sects, 50);
	CHECK_EQ(out.nr_segs, 0);

	r = discard_req(BLKMQ_DISCARD_SECURE, 0, DISK_SECTORS);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.op, BLKMQ_BOP_SECURE_DISCARD);

	/* Unknown flag bits are ignored, as Linux does. */
	r = discard_req(0xfe, 0, 8);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.op, BLKMQ_BOP_DISCARD);

	/* Range, including wrap-around. */
	r = discard_req(0, DISK_SECTORS - 8, 9);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	r = discard_req(0, 8, U64_MAX - 4);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	r = discard_req(0, U64_MAX, 2);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	/* Zero length does nothing, wherever it points. */
	r = discard_req(0, U64_MAX, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.nr_sects, 0);

	lim.logical_block_size = 4096;
	r = discard_req(0, 8, 16);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	r = discard_req(0, 4, 16);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);
	r = discard_req(0, 8, 12);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);

	/* Secure only if offered; otherwise a plain discard (blkif.h). */
	lim.discard_secure = false;
	r = discard_req(BLKMQ_DISCARD_SECURE, 0, 8);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.op, BLKMQ_BOP_DISCARD);

	lim.discard = false;
	r = discard_req(0, 0, 8);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_DISCARD_OFF);
	CHECK_EQ(out.id, 77);
	CHECK_EQ(out.wire_op, BLKMQ_OP_DISCARD);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_DISCARD_OFF),
		 BLKMQ_RSP_EOPNOTSUPP);
}

static void test_indirect_header(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;

	r = ind_req(BLKMQ_OP_READ, 64, BLKMQ_BACK_MAX_SEGS);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK(out.indirect);
	CHECK_EQ(out.id, 0xabcdef);
	/* Echo the indirect_op, as Linux's frontend expects. */
	CHECK_EQ(out.wire_op, BLKMQ_OP_READ);
	CHECK_EQ(out.op, BLKMQ_BOP_READ);
	CHECK_EQ(out.nr_segs, 256);
	CHECK_EQ(out.nr_indirect_pages, 1);
	CHECK_EQ(out.indirect_grefs[0], 900);
	CHECK_EQ(out.sector, 64);
	CHECK_EQ(out.nr_sects, 0);

	r = ind_req(BLKMQ_OP_WRITE, 0, 1);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.wire_op, BLKMQ_OP_WRITE);
	CHECK_EQ(out.op, BLKMQ_BOP_WRITE);
	CHECK_EQ(out.nr_indirect_pages, 1);

	r = ind_req(BLKMQ_OP_READ, 0, BLKMQ_BACK_MAX_SEGS + 1);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_TOO_MANY_SEGS);
	r = ind_req(BLKMQ_OP_READ, 0, 0xffff);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_TOO_MANY_SEGS);
	/* An over-large advertised limit is capped at what we can hold. */
	lim.max_indirect_segs = 4096;
	r = ind_req(BLKMQ_OP_READ, 0, BLKMQ_BACK_MAX_SEGS + 1);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_TOO_MANY_SEGS);
	/* A smaller advertised limit holds exactly. */
	lim.max_indirect_segs = 32;
	r = ind_req(BLKMQ_OP_READ, 0, 32);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	r = ind_req(BLKMQ_OP_READ, 0, 33);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_TOO_MANY_SEGS);
	lim = lim_all();

	r = ind_req(BLKMQ_OP_READ, 0, 0);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_NO_SEGS);

	r = ind_req(BLKMQ_OP_FLUSH_DISKCACHE, 0, 4);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_INDIRECT_OP);
	CHECK_EQ(out.wire_op, BLKMQ_OP_FLUSH_DISKCACHE);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_INDIRECT_OP),
		 BLKMQ_RSP_ERROR);
	r = ind_req(BLKMQ_OP_INDIRECT, 0, 4);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_INDIRECT_OP);
	r = ind_req(BLKMQ_OP_DISCARD, 0, 4);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_INDIRECT_OP);

	/* Refused before the indirect pages are mapped. */
	r = ind_req(BLKMQ_OP_READ, DISK_SECTORS, 1);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_RANGE);
	lim.logical_block_size = 4096;
	r = ind_req(BLKMQ_OP_READ, 4, 1);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_MISALIGNED);

	lim = lim_all();
	lim.max_indirect_segs = 0;
	r = ind_req(BLKMQ_OP_WRITE, 0, 4);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_E_INDIRECT_OFF);
	CHECK_EQ(out.wire_op, BLKMQ_OP_WRITE);
	CHECK_EQ(out.id, 0xabcdef);
	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_E_INDIRECT_OFF),
		 BLKMQ_RSP_EOPNOTSUPP);
}

static void test_indirect_segs(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_request_any r;
	struct blkmq_segment *s;

	r = ind_req(BLKMQ_OP_WRITE, 2048, 256);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	s = segs_alloc(256, 0, 7);
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.nr_sects, 256 * 8);
	CHECK_EQ(out.seg[0].gref, 5000);
	CHECK_EQ(out.seg[255].gref, 5255);
	CHECK_EQ(out.seg[255].last_sect, 7);
	CHECK_EQ(out.wire_op, BLKMQ_OP_WRITE);
	free(s);

	/* A bad segment deep inside. */
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	s = segs_alloc(256, 0, 7);
	s[200].first_sect = 5;
	s[200].last_sect = 4;
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_BAD_SEG);
	s[200].first_sect = 0;
	s[200].last_sect = 8;
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_BAD_SEG);
	free(s);

	/* The total reaches one sector past the end of the disk. */
	r = ind_req(BLKMQ_OP_READ, DISK_SECTORS - 80, 10);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	s = segs_alloc(10, 0, 7);
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.nr_sects, 80);
	r = ind_req(BLKMQ_OP_READ, DISK_SECTORS - 79, 10);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_RANGE);
	free(s);

	/* Alignment of every segment with 4 KiB blocks. */
	lim.logical_block_size = 4096;
	r = ind_req(BLKMQ_OP_READ, 0, 3);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	s = segs_alloc(3, 0, 7);
	s[2].last_sect = 6;
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_MISALIGNED);
	free(s);
	lim = lim_all();

	/* Caller mistakes are refused, not trusted. */
	r = ind_req(BLKMQ_OP_READ, 0, 4);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	s = segs_alloc(BLKMQ_BACK_MAX_SEGS, 0, 7);
	out.nr_indirect_pages = 2;
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_INDIRECT_PAGES);
	out.nr_indirect_pages = 0;
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_INDIRECT_PAGES);
	out.nr_indirect_pages = 1;
	out.nr_segs = 0;
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_INDIRECT_PAGES);
	out.nr_segs = 257;
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_TOO_MANY_SEGS);
	r = rw_req(BLKMQ_OP_READ, 0, 1, 0, 7);
	CHECK_EQ(parse(&r, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(blkmq_back_parse_indirect_segs(&out, s, &lim),
		 BLKMQ_BACK_E_INDIRECT_PAGES);
	free(s);
}

static void test_x86_32(void)
{
	struct blkmq_back_limits lim = lim_all();
	union blkmq_x86_32_request_any x;
	union blkmq_request_any n;
	unsigned int i;

	memset(&x, 0xcc, sizeof(x));
	x.rw.operation = BLKMQ_OP_WRITE;
	x.rw.nr_segments = 11;
	x.rw.handle = 51712;
	x.rw.id_lo = 0x89abcdef;
	x.rw.id_hi = 0x01234567;
	x.rw.sector_lo = 0x00000010;
	x.rw.sector_hi = 0;
	for (i = 0; i < 11; i++) {
		x.rw.seg[i].gref = 300 + i;
		x.rw.seg[i].first_sect = 0;
		x.rw.seg[i].last_sect = 7;
	}
	blkmq_back_from_x86_32(&n, &x);
	CHECK_EQ(n.rw.operation, BLKMQ_OP_WRITE);
	CHECK_EQ(n.rw.nr_segments, 11);
	CHECK_EQ(n.rw.handle, 51712);
	CHECK_EQ(n.rw.id, 0x0123456789abcdefULL);
	CHECK_EQ(n.rw.sector_number, 16);
	CHECK_EQ(n.rw._pad0, 0);
	CHECK_EQ(n.rw.seg[10].gref, 310);
	CHECK_EQ(n.rw.seg[10]._pad0, 0);
	CHECK_EQ(parse(&n, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.nr_sects, 88);

	memset(&x, 0xcc, sizeof(x));
	x.discard.operation = BLKMQ_OP_DISCARD;
	x.discard.flag = BLKMQ_DISCARD_SECURE;
	x.discard.id_lo = 1;
	x.discard.id_hi = 2;
	x.discard.sector_lo = 0xfffffff8;
	x.discard.sector_hi = 0;
	x.discard.nr_sectors_lo = 8;
	x.discard.nr_sectors_hi = 1;
	blkmq_back_from_x86_32(&n, &x);
	CHECK_EQ(n.discard.id, 0x200000001ULL);
	CHECK_EQ(n.discard.flag, BLKMQ_DISCARD_SECURE);
	CHECK_EQ(n.discard.sector_number, 0xfffffff8ULL);
	CHECK_EQ(n.discard.nr_sectors, 0x100000008ULL);
	CHECK_EQ(parse(&n, &lim), BLKMQ_BACK_E_RANGE);

	memset(&x, 0xcc, sizeof(x));
	x.indirect.operation = BLKMQ_OP_INDIRECT;
	x.indirect.indirect_op = BLKMQ_OP_READ;
	x.indirect.nr_segments = 100;
	x.indirect.id_lo = 9;
	x.indirect.id_hi = 0;
	x.indirect.sector_lo = 8;
	x.indirect.sector_hi = 0;
	x.indirect.handle = 7;
	for (i = 0; i < BLKMQ_MAX_INDIRECT_PAGES; i++)
		x.indirect.indirect_grefs[i] = 40 + i;
	blkmq_back_from_x86_32(&n, &x);
	CHECK_EQ(n.indirect.nr_segments, 100);
	CHECK_EQ(n.indirect.id, 9);
	CHECK_EQ(n.indirect.sector_number, 8);
	CHECK_EQ(n.indirect.handle, 7);
	CHECK_EQ(n.indirect.indirect_grefs[7], 47);
	CHECK_EQ(parse(&n, &lim), BLKMQ_BACK_OK);
	CHECK_EQ(out.indirect_grefs[0], 40);

	memset(&x, 0xcc, sizeof(x));
	x.other.operation = 0x99;
	x.other.id_lo = 5;
	x.other.id_hi = 6;
	blkmq_back_from_x86_32(&n, &x);
	CHECK_EQ(n.other.operation, 0x99);
	CHECK_EQ(n.other.id, 0x600000005ULL);
	CHECK_EQ(n.other._pad0, 0);
	CHECK_EQ(parse(&n, &lim), BLKMQ_BACK_E_UNKNOWN_OP);
}

static void test_response(void)
{
	struct blkmq_response rsp;
	struct blkmq_x86_32_response rsp32;

	memset(&rsp, 0xff, sizeof(rsp));
	blkmq_back_rsp(&rsp, 0x1234567890ULL, BLKMQ_OP_WRITE,
		       BLKMQ_RSP_EOPNOTSUPP);
	CHECK_EQ(rsp.id, 0x1234567890ULL);
	CHECK_EQ(rsp.operation, BLKMQ_OP_WRITE);
	CHECK_EQ(rsp.status, -2);
	CHECK_EQ(rsp._pad0, 0);
	CHECK_EQ(rsp._pad1, 0);

	memset(&rsp32, 0xff, sizeof(rsp32));
	blkmq_back_rsp_x86_32(&rsp32, 0x1234567890ULL, BLKMQ_OP_READ,
			      BLKMQ_RSP_ERROR);
	CHECK_EQ(rsp32.id_lo, 0x34567890);
	CHECK_EQ(rsp32.id_hi, 0x12);
	CHECK_EQ(rsp32.operation, BLKMQ_OP_READ);
	CHECK_EQ(rsp32.status, -1);
	CHECK_EQ(rsp32._pad0, 0);
}

static void test_err_strings(void)
{
	unsigned int i, j;

	CHECK_EQ(blkmq_back_err_status(BLKMQ_BACK_OK), BLKMQ_RSP_OKAY);
	for (i = 0; i < BLKMQ_BACK_E_NR; i++) {
		const char *s = blkmq_back_err_str(i);

		CHECK(s && *s);
		for (j = 0; j < i; j++)
			CHECK(strcmp(s, blkmq_back_err_str(j)));
	}
	CHECK(!strcmp(blkmq_back_err_str(BLKMQ_BACK_E_NR),
		      "invalid error code"));
	CHECK(!strcmp(blkmq_back_err_str((enum blkmq_back_err)-1),
		      "invalid error code"));
}

int main(void)
{
	RUN(test_rw_basic);
	RUN(test_segment_sectors);
	RUN(test_segment_count);
	RUN(test_range);
	RUN(test_alignment);
	RUN(test_readonly);
	RUN(test_flush_barrier);
	RUN(test_unknown_op);
	RUN(test_discard);
	RUN(test_indirect_header);
	RUN(test_indirect_segs);
	RUN(test_x86_32);
	RUN(test_response);
	RUN(test_err_strings);
	return check_done("back_req");
}
