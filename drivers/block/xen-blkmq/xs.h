/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs.h - the XenStore read both modules share
 *
 * Kernel only: the pure-logic files never touch XenStore.  A value read
 * here is the peer's (or the toolstack's); it is parsed by the strict
 * parsers of negotiate.c, never by xenbus_scanf().  An inline function
 * rather than a file of its own, so that each module gets its copy without
 * a one-line .c per module (see front-negotiate.c).
 */
#ifndef XEN_BLKMQ_XS_H
#define XEN_BLKMQ_XS_H

#include <linux/err.h>
#include <xen/xenbus.h>

/**
 * blkmq_xs_read_opt() - read an optional XenStore key
 * @dir: the directory: a device's nodename, or its otherend
 * @key: the key in @dir
 *
 * Every failure counts as an absent key (mostly that is what it is,
 * -ENOENT); the callers give an absent key its default or refuse it.
 *
 * Return: the value, for the caller to kfree(); NULL when it cannot be read.
 */
static inline char *blkmq_xs_read_opt(const char *dir, const char *key)
{
	char *s = xenbus_read(XBT_NIL, dir, key, NULL);

	return IS_ERR(s) ? NULL : s;
}

#endif /* XEN_BLKMQ_XS_H */
