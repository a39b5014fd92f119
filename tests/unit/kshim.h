/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim.h - kernel type names for userspace builds of xen-blkmq code
 *
 * The wire header needs only the __u8 .. __u64 types, which the uapi
 * <linux/types.h> provides.  common.h and the pure-logic files use the
 * kernel's short names (u32, bool); include this first to get them.
 */
#ifndef BLKMQ_KSHIM_H
#define BLKMQ_KSHIM_H

#include <linux/types.h>
#include <stdbool.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define sizeof_field(TYPE, MEMBER)	sizeof((*(TYPE *)0).MEMBER)

#endif /* BLKMQ_KSHIM_H */
