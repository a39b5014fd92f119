// SPDX-License-Identifier: GPL-2.0-only
/*
 * negotiate.c - connection parameters from XenStore values (pure logic)
 *
 * See negotiate.h.  Nothing here reads XenStore or logs: the caller reads
 * the keys, calls one function, and logs the result once.
 */
#include "pure.h"
#include "negotiate.h"

/**
 * blkmq_xs_parse_u64() - parse a XenStore value as a strict decimal number
 * @s: the value, NUL-terminated; NULL counts as junk
 * @out: the number; unchanged on failure
 *
 * Accepts one or more ASCII digits and nothing else (leading zeros are
 * fine: still decimal).
 *
 * Return: 0; -EINVAL for NULL, an empty string or any other character;
 * -ERANGE if the digits do not fit in 64 bits.
 */
int blkmq_xs_parse_u64(const char *s, u64 *out)
{
	bool overflow = false;
	u64 v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = (unsigned char)*s - '0';

		if (d > 9)
			return -EINVAL;
		/* Keep scanning after an overflow so junk still wins. */
		if (v > (U64_MAX - d) / 10)
			overflow = true;
		v = v * 10 + d;
	}
	if (overflow)
		return -ERANGE;
	*out = v;
	return 0;
}

/**
 * blkmq_xs_parse_u32() - parse a XenStore value as a strict 32-bit decimal
 * @s: the value; NULL counts as junk
 * @out: the number; unchanged on failure
 *
 * As blkmq_xs_parse_u64(), for ring references, event channels and counts.
 *
 * Return: 0, -EINVAL for junk, -ERANGE above U32_MAX.
 */
int blkmq_xs_parse_u32(const char *s, u32 *out)
{
	u64 v;
	int err = blkmq_xs_parse_u64(s, &v);

	if (err)
		return err;
	if (v > U32_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

/**
 * blkmq_xs_parse_feature() - parse a feature-* key
 * @s: the value, or NULL if the key is absent
 * @out: whether the peer offers the feature; unchanged on failure
 *
 * Absent means not offered; otherwise any decimal number, non-zero meaning
 * offered (Linux writes 0 or 1 and tests for non-zero).
 *
 * Return: 0, -EINVAL for junk, -ERANGE for a number above U32_MAX.
 */
int blkmq_xs_parse_feature(const char *s, bool *out)
{
	u32 v;
	int err;

	if (!s) {
		*out = false;
		return 0;
	}
	err = blkmq_xs_parse_u32(s, &v);
	if (err)
		return err;
	*out = v != 0;
	return 0;
}

/**
 * blkmq_xs_parse_protocol() - parse the frontend's "protocol" key
 * @s: the value, or NULL if the key is absent
 * @out: the ring entry layout; unchanged on failure
 *
 * An absent key means BLKMQ_LAYOUT_DEFAULT (see negotiate.h).  Matching is
 * exact: Linux's "%63s" would also take "x86_64-abi junk".
 *
 * Return: 0, or -EINVAL for a value that names no layout we read.
 */
int blkmq_xs_parse_protocol(const char *s, enum blkmq_layout *out)
{
	if (!s)
		*out = BLKMQ_LAYOUT_DEFAULT;
	else if (!strcmp(s, BLKMQ_PROTO_X86_64) || !strcmp(s, BLKMQ_PROTO_ARM))
		*out = BLKMQ_LAYOUT_64;
	else if (!strcmp(s, BLKMQ_PROTO_X86_32))
		*out = BLKMQ_LAYOUT_X86_32;
	else
		return -EINVAL;
	return 0;
}

/**
 * blkmq_neg_use() - what a connection uses, from both advertisements
 * @ours: what this side advertised
 * @theirs: what the peer advertised (absent keys as 0 / false)
 * @use: the result: the minimum of each number, the AND of each flag
 *
 * Neither input is modified; in particular what a side advertises never
 * depends on the peer.
 */
void blkmq_neg_use(const struct blkmq_features *ours,
		   const struct blkmq_features *theirs,
		   struct blkmq_features *use)
{
	use->max_queues = min_t(u32, ours->max_queues, theirs->max_queues);
	use->ring_order = min_t(u32, ours->ring_order, theirs->ring_order);
	use->max_indirect_segs = min_t(u32, ours->max_indirect_segs,
				       theirs->max_indirect_segs);
	use->persistent = ours->persistent && theirs->persistent;
	use->flush = ours->flush && theirs->flush;
	use->barrier = ours->barrier && theirs->barrier;
	use->discard = ours->discard && theirs->discard;
	use->discard_secure = ours->discard_secure && theirs->discard_secure;
}

/**
 * blkmq_neg_back() - the backend's connect-time decisions
 * @ours: what the backend advertised: @ours->max_queues
 *	(multi-queue-max-queues; 0 is taken as 1), @ours->ring_order
 *	(max-ring-page-order; capped at BLKMQ_RING_ORDER_MAX) and
 *	@ours->persistent (feature-persistent); other fields are not used
 * @keys: the frontend's values
 * @out: the result; only meaningful on success
 *
 * The rules, as Linux's xen-blkback applies them but with strict parsing:
 * no multi-queue-num-queues means one ring, and 0 or more than we offered
 * is refused; no ring-page-order means one page named "ring-ref", a present
 * one (even 0) means pages named "ring-ref0", "ring-ref1", ..., and more
 * than we offered is refused; persistent grants are used only when both
 * sides offer them; the protocol is as blkmq_xs_parse_protocol() says.
 *
 * Return: BLKMQ_NEG_OK, or the reason to refuse the connection (for
 * xenbus_dev_fatal() with blkmq_neg_err_str()).
 */
enum blkmq_neg_err blkmq_neg_back(const struct blkmq_features *ours,
				  const struct blkmq_front_keys *keys,
				  struct blkmq_back_conn *out)
{
	u32 max_queues = ours->max_queues ? ours->max_queues : 1;
	u32 max_order = min_t(u32, ours->ring_order, BLKMQ_RING_ORDER_MAX);
	bool theirs_persistent;
	int err;

	out->nr_rings = 1;
	if (keys->num_queues) {
		err = blkmq_xs_parse_u32(keys->num_queues, &out->nr_rings);
		if (err == -EINVAL)
			return BLKMQ_NEG_E_QUEUES_JUNK;
		if (err || !out->nr_rings || out->nr_rings > max_queues)
			return BLKMQ_NEG_E_QUEUES_RANGE;
	}

	out->ring_order = 0;
	out->ring_ref_indexed = false;
	if (keys->ring_page_order) {
		err = blkmq_xs_parse_u32(keys->ring_page_order,
					 &out->ring_order);
		if (err == -EINVAL)
			return BLKMQ_NEG_E_ORDER_JUNK;
		if (err || out->ring_order > max_order)
			return BLKMQ_NEG_E_ORDER_RANGE;
		out->ring_ref_indexed = true;
	}

	if (blkmq_xs_parse_feature(keys->persistent, &theirs_persistent))
		return BLKMQ_NEG_E_PERSISTENT_JUNK;
	out->persistent = ours->persistent && theirs_persistent;

	if (blkmq_xs_parse_protocol(keys->protocol, &out->layout))
		return BLKMQ_NEG_E_PROTOCOL;
	return BLKMQ_NEG_OK;
}

static const char *const blkmq_neg_err_strs[BLKMQ_NEG_E_NR] = {
	[BLKMQ_NEG_OK] = "ok",
	[BLKMQ_NEG_E_QUEUES_JUNK] = "multi-queue-num-queues is not a number",
	[BLKMQ_NEG_E_QUEUES_RANGE] =
		"multi-queue-num-queues is 0 or above multi-queue-max-queues",
	[BLKMQ_NEG_E_ORDER_JUNK] = "ring-page-order is not a number",
	[BLKMQ_NEG_E_ORDER_RANGE] =
		"ring-page-order is above max-ring-page-order",
	[BLKMQ_NEG_E_PERSISTENT_JUNK] =
		"feature-persistent is not a 32-bit decimal number",
	[BLKMQ_NEG_E_PROTOCOL] =
		"protocol is not x86_64-abi, x86_32-abi or arm-abi",
};

/**
 * blkmq_neg_err_str() - a short description of a negotiation result
 * @err: a blkmq_neg_back() result
 *
 * Return: a static string naming the key at fault; never NULL.
 */
const char *blkmq_neg_err_str(enum blkmq_neg_err err)
{
	if ((unsigned int)err >= BLKMQ_NEG_E_NR)
		return "invalid error code";
	return blkmq_neg_err_strs[err];
}

/**
 * blkmq_neg_front_rings() - the frontend's decisions at the backend's InitWait
 * @ours: the frontend's limits and configuration
 * @theirs: what the backend offers: @theirs->max_queues
 *	(multi-queue-max-queues; the caller reads an absent key as 1) and
 *	@theirs->ring_order (max-ring-page-order; absent as 0); other fields
 *	are not used
 * @conn: gets the ring count, the ring order and what we advertise
 *
 * One ring per CPU online (or @ours->max_queues), no more than the backend
 * offers, and at least one (a backend offering 0 gets 1) but never more
 * than @ours->nr_cpu_ids.  The ring order is the smallest of the backend's,
 * ours and BLKMQ_RING_ORDER_MAX.  Persistent grants are offered when
 * configured, to a trusted backend only; the offer never depends on the
 * backend.
 */
void blkmq_neg_front_rings(const struct blkmq_front_want *ours,
			   const struct blkmq_features *theirs,
			   struct blkmq_front_conn *conn)
{
	u32 want = ours->max_queues ? ours->max_queues : ours->online_cpus;
	u32 cpus = max_t(u32, ours->nr_cpu_ids, 1);
	u32 nr = min_t(u32, want, theirs->max_queues);

	conn->nr_rings = min_t(u32, max_t(u32, nr, 1), cpus);
	conn->ring_order = min_t(u32, min_t(u32, theirs->ring_order,
					    ours->ring_order),
				 BLKMQ_RING_ORDER_MAX);
	conn->offer_persistent = ours->persistent && ours->trusted;
}

/**
 * blkmq_neg_front_features() - the frontend's decisions at Connected
 * @ours: the frontend's limits and configuration
 * @theirs: the features the backend offers (feature-persistent,
 *	feature-max-indirect-segments, feature-flush-cache, feature-barrier);
 *	max_queues, ring_order and the discard fields are not used
 * @conn: blkmq_neg_front_rings()'s result for this connection, of which
 *	@conn->offer_persistent is read; gets the features used
 *
 * Persistent grants when we offered them and the backend offers them.
 * Requests carry the indirect segments both sides allow, and never fewer
 * than an inline request's.  A flush goes as BLKMQ_OP_FLUSH_DISKCACHE
 * when offered, unless @ours->prefer_barrier and the backend offers
 * barriers too; otherwise as BLKMQ_OP_WRITE_BARRIER when offered, and then
 * FUA writes too go as barriers, but only while every request is inline
 * (a barrier cannot be indirect).  A backend offering neither: no flush.
 */
void blkmq_neg_front_features(const struct blkmq_front_want *ours,
			      const struct blkmq_features *theirs,
			      struct blkmq_front_conn *conn)
{
	u32 indirect = min_t(u32, theirs->max_indirect_segs,
			     ours->max_indirect_segs);

	conn->persistent = conn->offer_persistent && theirs->persistent;
	conn->max_segs = max_t(u32, indirect, BLKMQ_MAX_SEGMENTS_PER_REQUEST);
	conn->fua = false;
	if (theirs->flush && !(ours->prefer_barrier && theirs->barrier)) {
		conn->flush_op = BLKMQ_OP_FLUSH_DISKCACHE;
	} else if (theirs->barrier) {
		conn->flush_op = BLKMQ_OP_WRITE_BARRIER;
		conn->fua = conn->max_segs <= BLKMQ_MAX_SEGMENTS_PER_REQUEST;
	} else {
		conn->flush_op = 0;
	}
}
