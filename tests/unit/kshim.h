/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim.h - kernel type names for userspace builds of xen-blkmq code
 *
 * The wire header needs only the __u8 .. __u64 types, which the uapi
 * <linux/types.h> provides.  common.h and the pure-logic files use the
 * kernel's short names (u32, bool); include this first to get them.  The
 * names come from the pure-logic compat header, so that tests and the code
 * they test agree on every type.
 */
#ifndef BLKMQ_KSHIM_H
#define BLKMQ_KSHIM_H

#include "pure.h"

#define sizeof_field(TYPE, MEMBER)	sizeof((((TYPE *)0)->MEMBER))

#endif /* BLKMQ_KSHIM_H */
