/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pure.h - the one compat header of xen-blkmq's kernel-independent code
 *
 * The pure-logic files (request validation, the grant cache, negotiation)
 * include this header first and nothing else from the kernel.  In the
 * kernel it pulls in the few kernel headers they use; in userspace (unit
 * tests, fuzzers) it supplies the same names from the C library.  Anything
 * a pure-logic file needs beyond this header does not belong in it.
 *
 * Userspace takes its fixed-width types from the uapi <linux/types.h>, as
 * the wire header does, rather than from <stdint.h>: then u64 is the same
 * type (unsigned long long) in both builds, so "%llu" prints it without a
 * cast, and the typedefs cannot clash with the __u64 of the wire structures.
 */
#ifndef XEN_BLKMQ_PURE_H
#define XEN_BLKMQ_PURE_H

#ifdef __KERNEL__

#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>

#else /* !__KERNEL__ */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/*
 * One read the compiler may neither tear, repeat nor elide: a volatile
 * access, as the kernel's READ_ONCE() is for scalars.
 */
#define READ_ONCE(x)	(*(const __volatile__ __typeof__(x) *)&(x))

/* Fails to compile when @cond is a true constant, as in the kernel. */
#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Evaluates each argument once; not for constant expressions. */
#define DIV_ROUND_UP(n, d)						\
	({ __typeof__(d) __d = (d); ((n) + __d - 1) / __d; })

/* Single-evaluation min/max of one type, like the kernel's min_t(). */
#define min_t(type, a, b)						\
	({ type __a = (a); type __b = (b); __a < __b ? __a : __b; })
#define max_t(type, a, b)						\
	({ type __a = (a); type __b = (b); __a > __b ? __a : __b; })

#define fallthrough	__attribute__((__fallthrough__))
#define __must_check	__attribute__((__warn_unused_result__))

#endif /* __KERNEL__ */

#endif /* XEN_BLKMQ_PURE_H */
