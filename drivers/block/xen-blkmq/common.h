/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h - definitions shared by the xen-blkmq frontend and backend
 *
 * Only plain data lives here, no kernel API: the pure-logic files include
 * this header both in the kernel and in the userspace unit tests (which
 * supply u32 and bool through their own small shim).
 */
#ifndef XEN_BLKMQ_COMMON_H
#define XEN_BLKMQ_COMMON_H

#include <linux/types.h>
#include <xen/interface/io/blkmq-if.h>

/*
 * Largest ring order either side uses: 16 pages, 512 slots.  This is the
 * limit of Linux's xenbus ring helpers (XENBUS_MAX_RING_GRANT_ORDER), which
 * abi.h checks.
 */
#define BLKMQ_RING_ORDER_MAX	4

/*
 * Each side moves a ring's event channel to the CPU that serves the ring
 * (irq_follow) at most once in this many jiffies: a move is a hypercall.
 */
#define BLKMQ_FOLLOW_JIFFIES	(HZ / 10)

/*
 * The "protocol" value that names the layout of struct blkmq_request and
 * friends on this architecture (see blkmq-if.h; the structures carry the
 * 64-bit layout even on 32-bit x86).  Only defined for kernel builds.
 */
#if defined(CONFIG_X86)
#define BLKMQ_PROTO_NATIVE	BLKMQ_PROTO_X86_64
#elif defined(CONFIG_ARM) || defined(CONFIG_ARM64)
#define BLKMQ_PROTO_NATIVE	BLKMQ_PROTO_ARM
#endif

/**
 * struct blkmq_features - the transport parameters and features of one side
 * @max_queues: rings; multi-queue-max-queues (backend offer) or
 *	multi-queue-num-queues (frontend choice); at least 1
 * @ring_order: log2 of the pages per ring; max-ring-page-order (backend
 *	offer) or ring-page-order (frontend choice); at most
 *	BLKMQ_RING_ORDER_MAX
 * @max_indirect_segs: segments per indirect request, as in
 *	feature-max-indirect-segments; 0 means no indirect requests
 * @persistent: feature-persistent
 * @flush: feature-flush-cache
 * @barrier: feature-barrier
 * @discard: feature-discard
 * @discard_secure: discard-secure
 *
 * The same structure holds what a side advertises (fixed by its own
 * configuration at connect) and what the two sides agreed to use (the AND
 * of both advertisements, the minimum for numbers).
 */
struct blkmq_features {
	u32 max_queues;
	u32 ring_order;
	u32 max_indirect_segs;
	bool persistent;
	bool flush;
	bool barrier;
	bool discard;
	bool discard_secure;
};

#endif /* XEN_BLKMQ_COMMON_H */
