/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h - the few assertion helpers the pure-logic unit tests share
 *
 * A test is a list of groups (functions); RUN(fn) runs one and prints
 * "ok   fn (N checks)" or one "FAIL fn: file:line: what" line per failed
 * check.  check_done() prints "<test>: N checks, M failed" and gives the
 * exit status.  A failed check does not stop the group, so one run shows
 * every failure.
 */
#ifndef BLKMQ_TEST_CHECK_H
#define BLKMQ_TEST_CHECK_H

#include <stdio.h>

static unsigned int check_total, check_failed, check_group_failed;
static unsigned int check_group_checks;
static const char *check_group;

static inline int check_one(int good, const char *what, const char *file,
			    int line)
{
	check_total++;
	check_group_checks++;
	if (!good) {
		check_failed++;
		check_group_failed++;
		printf("FAIL %s: %s:%d: %s\n", check_group, file, line, what);
	}
	return good;
}

static inline int check_eq(long long got, long long want, const char *what,
			   const char *file, int line)
{
	char buf[512];

	if (got == want)
		return check_one(1, what, file, line);
	snprintf(buf, sizeof(buf), "%s: got %lld, want %lld", what, got, want);
	return check_one(0, buf, file, line);
}

/* CHECK(cond): cond must hold. */
#define CHECK(cond)	check_one(!!(cond), #cond, __FILE__, __LINE__)

/* CHECK_EQ(got, want): integers, printed on mismatch. */
#define CHECK_EQ(got, want)						\
	check_eq((long long)(got), (long long)(want), #got " == " #want,	\
		 __FILE__, __LINE__)

#define RUN(fn)								\
	do {								\
		check_group = #fn;					\
		check_group_failed = 0;					\
		check_group_checks = 0;					\
		fn();							\
		if (!check_group_failed)				\
			printf("ok   %s (%u checks)\n", #fn,		\
			       check_group_checks);			\
		fflush(stdout);						\
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %u checks, %u failed\n", name, check_total, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* BLKMQ_TEST_CHECK_H */
