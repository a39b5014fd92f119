/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs.h - the XenStore helpers both modules share: optional reads and
 * transactions
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

/* Writes keys inside a transaction for blkmq_xs_transact(); 0 or -errno. */
typedef int (*blkmq_xs_write_fn)(void *arg, struct xenbus_transaction xbt);

/**
 * blkmq_xs_transact() - write a set of keys in one XenStore transaction
 * @write: writes the keys inside @xbt; 0 or -errno
 * @arg: for @write
 *
 * Started again from the top while XenStore says another writer got in
 * (-EAGAIN at the end), so the peer sees all of the keys or none.  A
 * failure of @write aborts the transaction.
 *
 * Return: 0, @write's error, or the transaction's.
 */
static inline int blkmq_xs_transact(blkmq_xs_write_fn write, void *arg)
{
	struct xenbus_transaction xbt;
	int err;

	do {
		err = xenbus_transaction_start(&xbt);
		if (err)
			return err;
		err = write(arg, xbt);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			return err;
		}
		err = xenbus_transaction_end(xbt, 0);
	} while (err == -EAGAIN);
	return err;
}

#endif /* XEN_BLKMQ_XS_H */
