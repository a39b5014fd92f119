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

#endif /* XEN_BLKMQ_NEGOTIATE_H */
