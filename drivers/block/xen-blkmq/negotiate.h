/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * negotiate.h - connection parameters from XenStore values (pure logic)
 *
 * The control plane reads the peer's keys as strings and passes them here
 * unparsed (NULL for a key that is absent); these functions decide what the
 * connection uses.  Every value comes from the other domain and is parsed
 * strictly: decimal digits only, no sign, no whitespace, no trailing text,
 * no overflow.  (Linux's xenbus_scanf("%u") takes " 7" and "7abc" as 7 and
 * "4294967297" as 1; a peer that writes those gets a clear refusal here.)
 *
 * The rule for features: what a side advertises depends only on its own
 * configuration; what the connection uses is the AND of both sides'
 * advertisements, the minimum for numbers.  blkmq_neg_use() is that rule
 * for struct blkmq_features, for either side.
 *
 * Each side decides in one place: blkmq_neg_back() for the backend, when
 * the frontend is Initialised; blkmq_neg_front_rings() and
 * blkmq_neg_front_features() for the frontend, when the backend is in
 * InitWait (the ring keys) and Connected (the rest).  The frontend's
 * inputs that are kernel state (CPU counts, module parameters, the
 * toolstack's "trusted") come in a struct blkmq_front_want.
 */
#ifndef XEN_BLKMQ_NEGOTIATE_H
#define XEN_BLKMQ_NEGOTIATE_H

#include "pure.h"
#include "common.h"

/**
 * enum blkmq_layout - how a frontend lays out ring entries
 * @BLKMQ_LAYOUT_64: the structures of blkmq-if.h; "x86_64-abi" or "arm-abi"
 *	(the same bytes)
 * @BLKMQ_LAYOUT_X86_32: the blkmq_x86_32_* structures; "x86_32-abi"
 */
enum blkmq_layout {
	BLKMQ_LAYOUT_64,
	BLKMQ_LAYOUT_X86_32,
};

/*
 * The layout a backend assumes when the frontend writes no "protocol" key.
 * Linux's xen-blkback assumes x86_32 on x86 (from the days of 32-bit PV
 * guests, which predate the key) and the native layout elsewhere; doing the
 * same keeps old guests working.  Frontends, ours included, always write
 * the key.  (blkmq-if.h says "absent means the backend's native layout",
 * which is not what Linux does on x86.)
 */
#if (defined(__KERNEL__) && defined(CONFIG_X86)) || \
	(!defined(__KERNEL__) && (defined(__x86_64__) || defined(__i386__)))
#define BLKMQ_LAYOUT_DEFAULT	BLKMQ_LAYOUT_X86_32
#else
#define BLKMQ_LAYOUT_DEFAULT	BLKMQ_LAYOUT_64
#endif

/**
 * struct blkmq_front_keys - the frontend's keys the backend reads at connect
 * @num_queues: "multi-queue-num-queues"
 * @ring_page_order: "ring-page-order"
 * @persistent: "feature-persistent"
 * @protocol: "protocol"
 *
 * Each is the value read from the frontend's directory, or NULL if absent.
 */
struct blkmq_front_keys {
	const char *num_queues;
	const char *ring_page_order;
	const char *persistent;
	const char *protocol;
};

/**
 * struct blkmq_back_conn - what the backend connects with
 * @nr_rings: rings to map, 1 to our max_queues; with 2 or more, each
 *	ring's keys are under "queue-N/" (BLKMQ_XS_QUEUE_FMT)
 * @ring_order: log2 of the pages per ring
 * @ring_ref_indexed: read "ring-ref0", "ring-ref1", ...
 *	(BLKMQ_XS_RING_REF_FMT) rather than the single "ring-ref"
 *	(BLKMQ_XS_RING_REF); true whenever ring-page-order was present, even
 *	if it was 0
 * @persistent: keep grants mapped (both sides offered feature-persistent)
 * @layout: how to read the frontend's ring entries
 */
struct blkmq_back_conn {
	u32 nr_rings;
	u32 ring_order;
	bool ring_ref_indexed;
	bool persistent;
	enum blkmq_layout layout;
};

/**
 * enum blkmq_neg_err - why a negotiation failed
 * @BLKMQ_NEG_OK: it did not
 * @BLKMQ_NEG_E_QUEUES_JUNK: multi-queue-num-queues is not a decimal number
 * @BLKMQ_NEG_E_QUEUES_RANGE: multi-queue-num-queues is 0 or above our
 *	multi-queue-max-queues
 * @BLKMQ_NEG_E_ORDER_JUNK: ring-page-order is not a decimal number
 * @BLKMQ_NEG_E_ORDER_RANGE: ring-page-order is above our max-ring-page-order
 * @BLKMQ_NEG_E_PERSISTENT_JUNK: feature-persistent is not a 32-bit decimal
 *	number
 * @BLKMQ_NEG_E_PROTOCOL: protocol is not one we know
 * @BLKMQ_NEG_E_NR: number of codes, not a code
 */
enum blkmq_neg_err {
	BLKMQ_NEG_OK = 0,
	BLKMQ_NEG_E_QUEUES_JUNK,
	BLKMQ_NEG_E_QUEUES_RANGE,
	BLKMQ_NEG_E_ORDER_JUNK,
	BLKMQ_NEG_E_ORDER_RANGE,
	BLKMQ_NEG_E_PERSISTENT_JUNK,
	BLKMQ_NEG_E_PROTOCOL,
	BLKMQ_NEG_E_NR,
};

/**
 * struct blkmq_front_want - the frontend's side of its negotiation
 * @max_queues: rings at most (the max_queues parameter); 0 means
 *	@online_cpus
 * @online_cpus: CPUs online now (num_online_cpus())
 * @nr_cpu_ids: CPU ids that can ever exist (nr_cpu_ids): never more rings
 *	than that, as blk-mq maps CPUs to hardware queues; 0 is taken as 1
 * @ring_order: log2 of the pages per ring at most (the
 *	max_ring_page_order parameter); capped at BLKMQ_RING_ORDER_MAX
 * @max_indirect_segs: segments per indirect request at most (the
 *	max_indirect_segments parameter); 0 means no indirect requests
 * @persistent: offer persistent grants (the feature_persistent parameter)
 * @trusted: the backend is trusted (the trusted parameter and the
 *	toolstack's "trusted" key); an untrusted backend is never offered
 *	persistent grants, since their pages stay mapped between requests
 * @prefer_barrier: send flushes (and FUA) as barriers even when the
 *	backend offers feature-flush-cache (the prefer_barrier parameter)
 */
struct blkmq_front_want {
	u32 max_queues;
	u32 online_cpus;
	u32 nr_cpu_ids;
	u32 ring_order;
	u32 max_indirect_segs;
	bool persistent;
	bool trusted;
	bool prefer_barrier;
};

/**
 * struct blkmq_front_conn - what the frontend connects with
 * @nr_rings: rings to build, 1 to the CPU ids (set at InitWait)
 * @ring_order: log2 of the pages per ring, at most BLKMQ_RING_ORDER_MAX
 *	(set at InitWait)
 * @offer_persistent: the feature-persistent this connection advertises
 *	(set at InitWait)
 * @persistent: keep grants mapped: we offered and the backend offers
 *	(set at Connected)
 * @max_segs: data segments per request: BLKMQ_MAX_SEGMENTS_PER_REQUEST,
 *	or more when both sides allow indirect requests with more (set at
 *	Connected)
 * @flush_op: how a cache flush is sent: BLKMQ_OP_FLUSH_DISKCACHE,
 *	BLKMQ_OP_WRITE_BARRIER, or 0 for not at all (set at Connected)
 * @fua: REQ_FUA writes are sent as barriers; only with a barrier
 *	@flush_op and inline requests, since a barrier cannot be indirect
 *	(set at Connected)
 */
struct blkmq_front_conn {
	u32 nr_rings;
	u32 ring_order;
	bool offer_persistent;
	bool persistent;
	u32 max_segs;
	u8 flush_op;
	bool fua;
};

int blkmq_xs_parse_u64(const char *s, u64 *out);
int blkmq_xs_parse_u32(const char *s, u32 *out);
int blkmq_xs_parse_feature(const char *s, bool *out);
int blkmq_xs_parse_protocol(const char *s, enum blkmq_layout *out);
void blkmq_neg_use(const struct blkmq_features *ours,
		   const struct blkmq_features *theirs,
		   struct blkmq_features *use);
enum blkmq_neg_err blkmq_neg_back(const struct blkmq_features *ours,
				  const struct blkmq_front_keys *keys,
				  struct blkmq_back_conn *out);
const char *blkmq_neg_err_str(enum blkmq_neg_err err);
void blkmq_neg_front_rings(const struct blkmq_front_want *ours,
			   const struct blkmq_features *theirs,
			   struct blkmq_front_conn *conn);
void blkmq_neg_front_features(const struct blkmq_front_want *ours,
			      const struct blkmq_features *theirs,
			      struct blkmq_front_conn *conn);

#endif /* XEN_BLKMQ_NEGOTIATE_H */
