// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_neg_front.c - libFuzzer target for the frontend's connect decisions
 *	(blkmq_neg_front_rings() and blkmq_neg_front_features())
 *
 * Input: up to 34 bytes, read as below (missing bytes are 0), little-endian
 * 32-bit numbers over their whole range.  The rings are chosen first, then
 * the features with what the rings offered, as the driver does; each
 * result must stay within both sides' limits and follow the rules
 * negotiate.h states, and neither side's input may change.
 *
 *   0..19   ours: max_queues, online_cpus, nr_cpu_ids, ring_order,
 *           max_indirect_segs
 *   20      ours: bit 0 persistent, bit 1 trusted, bit 2 prefer_barrier
 *   21..32  theirs: max_queues, ring_order, max_indirect_segs
 *   33      theirs: bit 0 persistent, 1 flush, 2 barrier, 3 discard,
 *           4 discard_secure
 */
#include "kshim.h"

#include <stdlib.h>

#include "negotiate.h"

#define ASSERT(c)	do { if (!(c)) abort(); } while (0)

#define INLINE_SEGS	BLKMQ_MAX_SEGMENTS_PER_REQUEST

static u32 get32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 min64(u64 a, u64 b)
{
	return a < b ? a : b;
}

static void check_rings(const struct blkmq_front_want *w,
			const struct blkmq_features *t,
			const struct blkmq_front_conn *c)
{
	u64 want = w->max_queues ? w->max_queues : w->online_cpus;
	u64 cpus = w->nr_cpu_ids ? w->nr_cpu_ids : 1;
	u64 asked = min64(want, t->max_queues);

	ASSERT(c->nr_rings >= 1);
	ASSERT(c->nr_rings <= cpus);
	/* No more than both sides want, unless that is none: then one. */
	ASSERT(c->nr_rings <= asked || c->nr_rings == 1);
	/* And no fewer than the limits allow. */
	ASSERT(c->nr_rings == cpus || c->nr_rings >= asked);

	ASSERT(c->ring_order <= BLKMQ_RING_ORDER_MAX);
	ASSERT(c->ring_order <= w->ring_order);
	ASSERT(c->ring_order <= t->ring_order);
	ASSERT(c->ring_order == BLKMQ_RING_ORDER_MAX ||
	       c->ring_order == w->ring_order ||
	       c->ring_order == t->ring_order);

	/* The offer is ours alone; an untrusted backend never gets it. */
	ASSERT(c->offer_persistent == (w->persistent && w->trusted));
}

static void check_features(const struct blkmq_front_want *w,
			   const struct blkmq_features *t,
			   const struct blkmq_front_conn *c)
{
	u64 both = min64(w->max_indirect_segs, t->max_indirect_segs);

	ASSERT(c->persistent == (c->offer_persistent && t->persistent));
	ASSERT(!c->persistent || (w->persistent && w->trusted));

	ASSERT(c->max_segs >= INLINE_SEGS);
	ASSERT(c->max_segs == INLINE_SEGS || c->max_segs == both);
	ASSERT(c->max_segs >= both);

	switch (c->flush_op) {
	case 0:
		ASSERT(!t->flush && !t->barrier);
		break;
	case BLKMQ_OP_FLUSH_DISKCACHE:
		ASSERT(t->flush);
		ASSERT(!(w->prefer_barrier && t->barrier));
		break;
	case BLKMQ_OP_WRITE_BARRIER:
		ASSERT(t->barrier);
		ASSERT(!t->flush || w->prefer_barrier);
		break;
	default:
		ASSERT(0);
	}
	/* FUA only as a barrier, which cannot be indirect. */
	ASSERT(c->fua == (c->flush_op == BLKMQ_OP_WRITE_BARRIER &&
			  c->max_segs <= INLINE_SEGS));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct blkmq_front_want w, w0;
	struct blkmq_features t, t0;
	struct blkmq_front_conn c, c0;
	u8 in[34] = { 0 };

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	memset(&w, 0, sizeof(w));
	memset(&t, 0, sizeof(t));
	w.max_queues = get32(in);
	w.online_cpus = get32(in + 4);
	w.nr_cpu_ids = get32(in + 8);
	w.ring_order = get32(in + 12);
	w.max_indirect_segs = get32(in + 16);
	w.persistent = in[20] & 1;
	w.trusted = in[20] & 2;
	w.prefer_barrier = in[20] & 4;
	t.max_queues = get32(in + 21);
	t.ring_order = get32(in + 25);
	t.max_indirect_segs = get32(in + 29);
	t.persistent = in[33] & 1;
	t.flush = in[33] & 2;
	t.barrier = in[33] & 4;
	t.discard = in[33] & 8;
	t.discard_secure = in[33] & 16;
	memcpy(&w0, &w, sizeof(w));
	memcpy(&t0, &t, sizeof(t));

	memset(&c, 0xa5, sizeof(c));
	blkmq_neg_front_rings(&w, &t, &c);
	ASSERT(!memcmp(&w, &w0, sizeof(w)));
	ASSERT(!memcmp(&t, &t0, sizeof(t)));
	check_rings(&w, &t, &c);

	memcpy(&c0, &c, sizeof(c));
	blkmq_neg_front_features(&w, &t, &c);
	ASSERT(!memcmp(&w, &w0, sizeof(w)));
	ASSERT(!memcmp(&t, &t0, sizeof(t)));
	/* The InitWait decisions stand. */
	ASSERT(c.nr_rings == c0.nr_rings && c.ring_order == c0.ring_order &&
	       c.offer_persistent == c0.offer_persistent);
	check_features(&w, &t, &c);
	return 0;
}
