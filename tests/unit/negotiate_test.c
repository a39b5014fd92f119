// SPDX-License-Identifier: GPL-2.0-only
/*
 * negotiate_test.c - connection decisions from XenStore strings
 *	(negotiate.c)
 *
 * The strict number parser first (every way a peer can write something
 * that is almost a number), then the backend's decisions key by key, and
 * the rule Linux broke twice in 2022: what a side uses is the AND of both
 * advertisements, and negotiating never changes what a side advertises.
 * Then the frontend's decisions: the rings at InitWait, the features at
 * Connected.
 */
#include "kshim.h"

#include "negotiate.h"
#include "check.h"

static void test_parse_u64(void)
{
	static const char *const junk[] = {
		"", " 1", "1 ", "+1", "-1", "-0", "1a", "a1", "0x10", "1\n",
		"1.0", "1e3", "\t7", "\xef\xbc\x91",
		"99999999999999999999999999999999x",
	};
	u64 v = 12345;
	unsigned int i;

	CHECK_EQ(blkmq_xs_parse_u64("0", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(blkmq_xs_parse_u64("1", &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(blkmq_xs_parse_u64("007", &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(blkmq_xs_parse_u64("18446744073709551615", &v), 0);
	CHECK(v == U64_MAX);
	CHECK_EQ(blkmq_xs_parse_u64("18446744073709551616", &v), -ERANGE);
	CHECK(v == U64_MAX);
	CHECK_EQ(blkmq_xs_parse_u64("99999999999999999999", &v), -ERANGE);
	CHECK_EQ(blkmq_xs_parse_u64("184467440737095516150", &v), -ERANGE);
	CHECK_EQ(blkmq_xs_parse_u64(NULL, &v), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		v = 55;
		CHECK_EQ(blkmq_xs_parse_u64(junk[i], &v), -EINVAL);
		CHECK_EQ(v, 55);
	}
}

static void test_parse_u32(void)
{
	u32 v = 9;

	CHECK_EQ(blkmq_xs_parse_u32("4294967295", &v), 0);
	CHECK(v == U32_MAX);
	CHECK_EQ(blkmq_xs_parse_u32("4294967296", &v), -ERANGE);
	CHECK(v == U32_MAX);
	CHECK_EQ(blkmq_xs_parse_u32("18446744073709551617", &v), -ERANGE);
	CHECK_EQ(blkmq_xs_parse_u32("8", &v), 0);
	CHECK_EQ(v, 8);
	CHECK_EQ(blkmq_xs_parse_u32("-8", &v), -EINVAL);
	CHECK_EQ(blkmq_xs_parse_u32("", &v), -EINVAL);
	CHECK_EQ(v, 8);
}

static void test_parse_feature(void)
{
	bool on = true;

	CHECK_EQ(blkmq_xs_parse_feature(NULL, &on), 0);
	CHECK(!on);
	CHECK_EQ(blkmq_xs_parse_feature("1", &on), 0);
	CHECK(on);
	CHECK_EQ(blkmq_xs_parse_feature("0", &on), 0);
	CHECK(!on);
	CHECK_EQ(blkmq_xs_parse_feature("2", &on), 0);
	CHECK(on);
	CHECK_EQ(blkmq_xs_parse_feature("yes", &on), -EINVAL);
	CHECK_EQ(blkmq_xs_parse_feature("", &on), -EINVAL);
	CHECK_EQ(blkmq_xs_parse_feature("4294967296", &on), -ERANGE);
	CHECK(on);
}

static void test_parse_protocol(void)
{
	enum blkmq_layout p = 99;

	CHECK_EQ(blkmq_xs_parse_protocol("x86_64-abi", &p), 0);
	CHECK_EQ(p, BLKMQ_LAYOUT_64);
	CHECK_EQ(blkmq_xs_parse_protocol("arm-abi", &p), 0);
	CHECK_EQ(p, BLKMQ_LAYOUT_64);
	CHECK_EQ(blkmq_xs_parse_protocol("x86_32-abi", &p), 0);
	CHECK_EQ(p, BLKMQ_LAYOUT_X86_32);
	/* Absent: what Linux's backend assumes (x86_32 on x86). */
	p = 99;
	CHECK_EQ(blkmq_xs_parse_protocol(NULL, &p), 0);
	CHECK_EQ(p, BLKMQ_LAYOUT_DEFAULT);
#if defined(__x86_64__) || defined(__i386__)
	CHECK_EQ(BLKMQ_LAYOUT_DEFAULT, BLKMQ_LAYOUT_X86_32);
#endif
	p = 99;
	CHECK_EQ(blkmq_xs_parse_protocol("", &p), -EINVAL);
	CHECK_EQ(blkmq_xs_parse_protocol("x86_64-abi ", &p), -EINVAL);
	CHECK_EQ(blkmq_xs_parse_protocol("X86_64-ABI", &p), -EINVAL);
	CHECK_EQ(blkmq_xs_parse_protocol("x86_64", &p), -EINVAL);
	CHECK_EQ(blkmq_xs_parse_protocol("native", &p), -EINVAL);
	CHECK_EQ(p, 99);
}

static const struct blkmq_features ours_default = {
	.max_queues = 4,
	.ring_order = 4,
	.max_indirect_segs = 256,
	.persistent = true,
};

static struct blkmq_back_conn res;

static enum blkmq_neg_err neg(const struct blkmq_features *ours,
			      const char *nq, const char *order,
			      const char *pers, const char *proto)
{
	struct blkmq_front_keys keys = {
		.num_queues = nq,
		.ring_page_order = order,
		.persistent = pers,
		.protocol = proto,
	};

	memset(&res, 0xa5, sizeof(res));
	return blkmq_neg_back(ours, &keys, &res);
}

static void test_back_defaults(void)
{
	CHECK_EQ(neg(&ours_default, NULL, NULL, NULL, NULL), BLKMQ_NEG_OK);
	CHECK_EQ(res.nr_rings, 1);
	CHECK_EQ(res.ring_order, 0);
	CHECK(!res.ring_ref_indexed);
	CHECK(!res.persistent);
	CHECK_EQ(res.layout, BLKMQ_LAYOUT_DEFAULT);

	CHECK_EQ(neg(&ours_default, "1", "0", "1", "x86_64-abi"),
		 BLKMQ_NEG_OK);
	CHECK_EQ(res.nr_rings, 1);
	CHECK_EQ(res.ring_order, 0);
	CHECK(res.ring_ref_indexed);
	CHECK(res.persistent);
	CHECK_EQ(res.layout, BLKMQ_LAYOUT_64);
}

static void test_back_queues(void)
{
	struct blkmq_features ours = ours_default;

	CHECK_EQ(neg(&ours, "4", NULL, NULL, NULL), BLKMQ_NEG_OK);
	CHECK_EQ(res.nr_rings, 4);
	CHECK_EQ(neg(&ours, "2", NULL, NULL, NULL), BLKMQ_NEG_OK);
	CHECK_EQ(res.nr_rings, 2);

	CHECK_EQ(neg(&ours, "5", NULL, NULL, NULL), BLKMQ_NEG_E_QUEUES_RANGE);
	CHECK_EQ(neg(&ours, "0", NULL, NULL, NULL), BLKMQ_NEG_E_QUEUES_RANGE);
	CHECK_EQ(neg(&ours, "4294967296", NULL, NULL, NULL),
		 BLKMQ_NEG_E_QUEUES_RANGE);
	CHECK_EQ(neg(&ours, "four", NULL, NULL, NULL),
		 BLKMQ_NEG_E_QUEUES_JUNK);
	CHECK_EQ(neg(&ours, "-1", NULL, NULL, NULL), BLKMQ_NEG_E_QUEUES_JUNK);
	CHECK_EQ(neg(&ours, "", NULL, NULL, NULL), BLKMQ_NEG_E_QUEUES_JUNK);
	CHECK_EQ(neg(&ours, "2 ", NULL, NULL, NULL), BLKMQ_NEG_E_QUEUES_JUNK);

	/* A backend offering 0 queues offers 1. */
	ours.max_queues = 0;
	CHECK_EQ(neg(&ours, "1", NULL, NULL, NULL), BLKMQ_NEG_OK);
	CHECK_EQ(neg(&ours, "2", NULL, NULL, NULL), BLKMQ_NEG_E_QUEUES_RANGE);
}

static void test_back_ring_order(void)
{
	struct blkmq_features ours = ours_default;

	CHECK_EQ(neg(&ours, NULL, "4", NULL, NULL), BLKMQ_NEG_OK);
	CHECK_EQ(res.ring_order, 4);
	CHECK(res.ring_ref_indexed);
	CHECK_EQ(neg(&ours, NULL, "5", NULL, NULL), BLKMQ_NEG_E_ORDER_RANGE);
	CHECK_EQ(neg(&ours, NULL, "1x", NULL, NULL), BLKMQ_NEG_E_ORDER_JUNK);
	CHECK_EQ(neg(&ours, NULL, "99999999999", NULL, NULL),
		 BLKMQ_NEG_E_ORDER_RANGE);

	ours.ring_order = 2;
	CHECK_EQ(neg(&ours, NULL, "2", NULL, NULL), BLKMQ_NEG_OK);
	CHECK_EQ(neg(&ours, NULL, "3", NULL, NULL), BLKMQ_NEG_E_ORDER_RANGE);

	/* Our own order is capped at what the xenbus helpers can map. */
	ours.ring_order = 10;
	CHECK_EQ(neg(&ours, NULL, "4", NULL, NULL), BLKMQ_NEG_OK);
	CHECK_EQ(neg(&ours, NULL, "5", NULL, NULL), BLKMQ_NEG_E_ORDER_RANGE);

	/* A single-page backend still honours an explicit order 0. */
	ours.ring_order = 0;
	CHECK_EQ(neg(&ours, NULL, "0", NULL, NULL), BLKMQ_NEG_OK);
	CHECK(res.ring_ref_indexed);
	CHECK_EQ(neg(&ours, NULL, NULL, NULL, NULL), BLKMQ_NEG_OK);
	CHECK(!res.ring_ref_indexed);
	CHECK_EQ(neg(&ours, NULL, "1", NULL, NULL), BLKMQ_NEG_E_ORDER_RANGE);
}

static void test_back_persistent(void)
{
	struct blkmq_features ours = ours_default, before;

	before = ours;
	CHECK_EQ(neg(&ours, NULL, NULL, "1", NULL), BLKMQ_NEG_OK);
	CHECK(res.persistent);
	CHECK_EQ(neg(&ours, NULL, NULL, "0", NULL), BLKMQ_NEG_OK);
	CHECK(!res.persistent);
	CHECK_EQ(neg(&ours, NULL, NULL, NULL, NULL), BLKMQ_NEG_OK);
	CHECK(!res.persistent);
	CHECK_EQ(neg(&ours, NULL, NULL, "true", NULL),
		 BLKMQ_NEG_E_PERSISTENT_JUNK);

	ours.persistent = false;
	before = ours;
	CHECK_EQ(neg(&ours, NULL, NULL, "1", NULL), BLKMQ_NEG_OK);
	CHECK(!res.persistent);
	/* What we advertise does not follow the peer. */
	CHECK(!memcmp(&ours, &before, sizeof(ours)));
}

static void test_back_protocol(void)
{
	CHECK_EQ(neg(&ours_default, NULL, NULL, NULL, "x86_32-abi"), BLKMQ_NEG_OK);
	CHECK_EQ(res.layout, BLKMQ_LAYOUT_X86_32);
	CHECK_EQ(neg(&ours_default, NULL, NULL, NULL, "arm-abi"), BLKMQ_NEG_OK);
	CHECK_EQ(res.layout, BLKMQ_LAYOUT_64);
	CHECK_EQ(neg(&ours_default, NULL, NULL, NULL, "sparc-abi"),
		 BLKMQ_NEG_E_PROTOCOL);
	CHECK_EQ(neg(&ours_default, NULL, NULL, NULL, ""),
		 BLKMQ_NEG_E_PROTOCOL);
}

static void test_use_is_and(void)
{
	struct blkmq_features a = {
		.max_queues = 8, .ring_order = 1, .max_indirect_segs = 32,
		.persistent = true, .flush = true, .barrier = false,
		.discard = true, .discard_secure = true,
	};
	struct blkmq_features b = {
		.max_queues = 2, .ring_order = 4, .max_indirect_segs = 256,
		.persistent = false, .flush = true, .barrier = true,
		.discard = true, .discard_secure = false,
	};
	struct blkmq_features a0 = a, b0 = b, u, u2;

	/* Same padding in both results, for the memcmp() below. */
	memset(&u, 0, sizeof(u));
	memset(&u2, 0, sizeof(u2));
	blkmq_neg_use(&a, &b, &u);
	CHECK_EQ(u.max_queues, 2);
	CHECK_EQ(u.ring_order, 1);
	CHECK_EQ(u.max_indirect_segs, 32);
	CHECK(!u.persistent);
	CHECK(u.flush);
	CHECK(!u.barrier);
	CHECK(u.discard);
	CHECK(!u.discard_secure);
	/* Symmetric, and neither advertisement changes. */
	blkmq_neg_use(&b, &a, &u2);
	CHECK(!memcmp(&u, &u2, sizeof(u)));
	CHECK(!memcmp(&a, &a0, sizeof(a)));
	CHECK(!memcmp(&b, &b0, sizeof(b)));

	/* A peer that advertises nothing gets nothing. */
	memset(&b, 0, sizeof(b));
	blkmq_neg_use(&a, &b, &u);
	CHECK(!u.persistent && !u.flush && !u.discard && !u.discard_secure);
	CHECK_EQ(u.max_indirect_segs, 0);
}

static void test_err_strings(void)
{
	unsigned int i, j;

	for (i = 0; i < BLKMQ_NEG_E_NR; i++) {
		const char *s = blkmq_neg_err_str(i);

		CHECK(s && *s);
		for (j = 0; j < i; j++)
			CHECK(strcmp(s, blkmq_neg_err_str(j)));
	}
	CHECK(strstr(blkmq_neg_err_str(BLKMQ_NEG_E_ORDER_JUNK),
		     "ring-page-order"));
	CHECK(strstr(blkmq_neg_err_str(BLKMQ_NEG_E_QUEUES_RANGE),
		     "multi-queue-num-queues"));
	CHECK(!strcmp(blkmq_neg_err_str(BLKMQ_NEG_E_NR),
		      "invalid error code"));
}

/* A frontend on 4 CPUs (8 possible) with the default parameters. */
static const struct blkmq_front_want want_default = {
	.max_queues = 0,
	.online_cpus = 4,
	.nr_cpu_ids = 8,
	.ring_order = BLKMQ_RING_ORDER_MAX,
	.max_indirect_segs = 128,
	.persistent = true,
	.trusted = true,
	.prefer_barrier = false,
};

static struct blkmq_front_conn fconn;

/* Rings for @w against a backend offering @be_queues and @be_order. */
static void front_rings(const struct blkmq_front_want *w, u32 be_queues,
			u32 be_order)
{
	struct blkmq_features theirs = {
		.max_queues = be_queues,
		.ring_order = be_order,
	};
	struct blkmq_front_want before;

	memcpy(&before, w, sizeof(before));
	memset(&fconn, 0xa5, sizeof(fconn));
	blkmq_neg_front_rings(w, &theirs, &fconn);
	CHECK(!memcmp(w, &before, sizeof(before)));
}

static void test_front_rings(void)
{
	struct blkmq_front_want w = want_default;

	/* One ring per online CPU, no more than the backend offers. */
	front_rings(&w, 16, 0);
	CHECK_EQ(fconn.nr_rings, 4);
	front_rings(&w, 2, 0);
	CHECK_EQ(fconn.nr_rings, 2);
	/* An absent key is read as 1 by the caller; 0 is taken as 1. */
	front_rings(&w, 1, 0);
	CHECK_EQ(fconn.nr_rings, 1);
	front_rings(&w, 0, 0);
	CHECK_EQ(fconn.nr_rings, 1);
	front_rings(&w, U32_MAX, 0);
	CHECK_EQ(fconn.nr_rings, 4);

	/* max_queues replaces the online CPUs, both ways. */
	w.max_queues = 2;
	front_rings(&w, 16, 0);
	CHECK_EQ(fconn.nr_rings, 2);
	w.max_queues = 6;
	front_rings(&w, 16, 0);
	CHECK_EQ(fconn.nr_rings, 6);

	/* Never more rings than CPU ids: blk-mq maps CPUs to queues. */
	w.max_queues = 100;
	front_rings(&w, 16, 0);
	CHECK_EQ(fconn.nr_rings, 8);
	w.max_queues = U32_MAX;
	front_rings(&w, U32_MAX, 0);
	CHECK_EQ(fconn.nr_rings, 8);
	w.max_queues = 0;
	w.online_cpus = 64;
	front_rings(&w, 64, 0);
	CHECK_EQ(fconn.nr_rings, 8);

	/* And never none: no CPUs counted, or no CPU ids, still gives 1. */
	w.online_cpus = 0;
	front_rings(&w, 16, 0);
	CHECK_EQ(fconn.nr_rings, 1);
	w = want_default;
	w.nr_cpu_ids = 0;
	front_rings(&w, 16, 0);
	CHECK_EQ(fconn.nr_rings, 1);
	w.nr_cpu_ids = 1;
	front_rings(&w, 16, 0);
	CHECK_EQ(fconn.nr_rings, 1);
}

static void test_front_ring_order(void)
{
	struct blkmq_front_want w = want_default;

	front_rings(&w, 1, 0);
	CHECK_EQ(fconn.ring_order, 0);
	front_rings(&w, 1, 3);
	CHECK_EQ(fconn.ring_order, 3);
	front_rings(&w, 1, BLKMQ_RING_ORDER_MAX);
	CHECK_EQ(fconn.ring_order, BLKMQ_RING_ORDER_MAX);
	/* A backend offering more than the xenbus helpers map. */
	front_rings(&w, 1, BLKMQ_RING_ORDER_MAX + 1);
	CHECK_EQ(fconn.ring_order, BLKMQ_RING_ORDER_MAX);
	front_rings(&w, 1, U32_MAX);
	CHECK_EQ(fconn.ring_order, BLKMQ_RING_ORDER_MAX);

	/* Our parameter caps it, and is itself capped. */
	w.ring_order = 2;
	front_rings(&w, 1, 3);
	CHECK_EQ(fconn.ring_order, 2);
	front_rings(&w, 1, 1);
	CHECK_EQ(fconn.ring_order, 1);
	w.ring_order = 0;
	front_rings(&w, 1, 4);
	CHECK_EQ(fconn.ring_order, 0);
	w.ring_order = U32_MAX;
	front_rings(&w, 1, U32_MAX);
	CHECK_EQ(fconn.ring_order, BLKMQ_RING_ORDER_MAX);
}

static void test_front_offer(void)
{
	struct blkmq_front_want w = want_default;

	front_rings(&w, 1, 0);
	CHECK(fconn.offer_persistent);
	w.persistent = false;
	front_rings(&w, 1, 0);
	CHECK(!fconn.offer_persistent);
	/* An untrusted backend is never offered persistent grants. */
	w.persistent = true;
	w.trusted = false;
	front_rings(&w, 1, 0);
	CHECK(!fconn.offer_persistent);
}

/*
 * The features used with @w against @theirs, after the rings (so with
 * what @w offered); @theirs must not change.
 */
static void front_features(const struct blkmq_front_want *w,
			   const struct blkmq_features *theirs)
{
	struct blkmq_features before;

	memcpy(&before, theirs, sizeof(before));
	front_rings(w, 1, 0);
	blkmq_neg_front_features(w, theirs, &fconn);
	CHECK(!memcmp(theirs, &before, sizeof(before)));
}

static void test_front_persistent(void)
{
	struct blkmq_front_want w = want_default;
	struct blkmq_features be = { .persistent = true };
	struct blkmq_front_conn c = { .offer_persistent = false };

	front_features(&w, &be);
	CHECK(fconn.persistent);
	be.persistent = false;
	front_features(&w, &be);
	CHECK(!fconn.persistent);

	/* Only both: not when we do not offer, or do not trust. */
	be.persistent = true;
	w.persistent = false;
	front_features(&w, &be);
	CHECK(!fconn.persistent);
	w.persistent = true;
	w.trusted = false;
	front_features(&w, &be);
	CHECK(!fconn.persistent);

	/* What this connection offered counts, not what we would now. */
	w = want_default;
	blkmq_neg_front_features(&w, &be, &c);
	CHECK(!c.persistent);
	c.offer_persistent = true;
	blkmq_neg_front_features(&w, &be, &c);
	CHECK(c.persistent);
}

static void test_front_segments(void)
{
	struct blkmq_front_want w = want_default;
	struct blkmq_features be = { .max_indirect_segs = 256 };

	front_features(&w, &be);
	CHECK_EQ(fconn.max_segs, 128);
	be.max_indirect_segs = 32;
	front_features(&w, &be);
	CHECK_EQ(fconn.max_segs, 32);
	/* No indirect requests, or fewer than inline: inline requests. */
	be.max_indirect_segs = 0;
	front_features(&w, &be);
	CHECK_EQ(fconn.max_segs, BLKMQ_MAX_SEGMENTS_PER_REQUEST);
	be.max_indirect_segs = BLKMQ_MAX_SEGMENTS_PER_REQUEST - 1;
	front_features(&w, &be);
	CHECK_EQ(fconn.max_segs, BLKMQ_MAX_SEGMENTS_PER_REQUEST);
	be.max_indirect_segs = 256;
	w.max_indirect_segs = 0;
	front_features(&w, &be);
	CHECK_EQ(fconn.max_segs, BLKMQ_MAX_SEGMENTS_PER_REQUEST);
	w.max_indirect_segs = BLKMQ_MAX_SEGMENTS_PER_REQUEST + 1;
	front_features(&w, &be);
	CHECK_EQ(fconn.max_segs, BLKMQ_MAX_SEGMENTS_PER_REQUEST + 1);
	/* The minimum of both, whatever their size. */
	w.max_indirect_segs = U32_MAX;
	be.max_indirect_segs = U32_MAX;
	front_features(&w, &be);
	CHECK(fconn.max_segs == U32_MAX);
}

static void test_front_flush(void)
{
	struct blkmq_front_want w = want_default;
	struct blkmq_features be = { .max_indirect_segs = 0 };

	/* Neither offered: no flush, no FUA. */
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, 0);
	CHECK(!fconn.fua);

	be.flush = true;
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, BLKMQ_OP_FLUSH_DISKCACHE);
	CHECK(!fconn.fua);
	/* prefer_barrier without barriers on offer: still the flush. */
	w.prefer_barrier = true;
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, BLKMQ_OP_FLUSH_DISKCACHE);

	/* Both offered: the flush, unless barriers are preferred. */
	be.barrier = true;
	w.prefer_barrier = false;
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, BLKMQ_OP_FLUSH_DISKCACHE);
	CHECK(!fconn.fua);
	w.prefer_barrier = true;
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, BLKMQ_OP_WRITE_BARRIER);
	CHECK(fconn.fua);

	/* Barriers only: barriers whatever the preference. */
	be.flush = false;
	w.prefer_barrier = false;
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, BLKMQ_OP_WRITE_BARRIER);
	CHECK(fconn.fua);
}

static void test_front_fua(void)
{
	struct blkmq_front_want w = want_default;
	struct blkmq_features be = { .barrier = true };

	/* FUA rides on a barrier, which cannot be indirect. */
	be.max_indirect_segs = BLKMQ_MAX_SEGMENTS_PER_REQUEST;
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, BLKMQ_OP_WRITE_BARRIER);
	CHECK(fconn.fua);
	be.max_indirect_segs = BLKMQ_MAX_SEGMENTS_PER_REQUEST + 1;
	front_features(&w, &be);
	CHECK_EQ(fconn.flush_op, BLKMQ_OP_WRITE_BARRIER);
	CHECK(!fconn.fua);
	/* Our own limit keeps requests inline, and so FUA. */
	w.max_indirect_segs = 0;
	front_features(&w, &be);
	CHECK(fconn.fua);

	/* No FUA with the flush, nor without any. */
	be.flush = true;
	w.prefer_barrier = false;
	front_features(&w, &be);
	CHECK(!fconn.fua);
	be.flush = false;
	be.barrier = false;
	front_features(&w, &be);
	CHECK(!fconn.fua);
}

int main(void)
{
	RUN(test_parse_u64);
	RUN(test_parse_u32);
	RUN(test_parse_feature);
	RUN(test_parse_protocol);
	RUN(test_back_defaults);
	RUN(test_back_queues);
	RUN(test_back_ring_order);
	RUN(test_back_persistent);
	RUN(test_back_protocol);
	RUN(test_use_is_and);
	RUN(test_err_strings);
	RUN(test_front_rings);
	RUN(test_front_ring_order);
	RUN(test_front_offer);
	RUN(test_front_persistent);
	RUN(test_front_segments);
	RUN(test_front_flush);
	RUN(test_front_fua);
	return check_done("negotiate");
}
