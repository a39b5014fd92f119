// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_negotiate.c - libFuzzer target for XenStore value parsing and the
 *	backend's connect decisions
 *
 * Input: two configuration bytes, then up to four NUL-separated strings
 * (the frontend's multi-queue-num-queues, ring-page-order,
 * feature-persistent and protocol).  Each string is parsed by every parser
 * and compared with a reference that uses 128-bit arithmetic; the
 * negotiation result must respect our limits and the AND rule.
 *
 *   byte 0   bits 0-3 our max_queues (0..15), bits 4-7 our ring order
 *   byte 1   bit 0 our persistent; bits 4-7: which keys are present
 */
#include "kshim.h"

#include <stdlib.h>

#include "negotiate.h"

#define ASSERT(c)	do { if (!(c)) abort(); } while (0)

/* 0 and the value, -EINVAL for junk, -ERANGE for more than @max. */
static int ref_parse(const char *s, unsigned __int128 max, u64 *val)
{
	unsigned __int128 v = 0;
	bool big = false;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > max) {
			big = true;
			v = max + 1;	/* keep it from wrapping */
		}
	}
	if (big)
		return -ERANGE;
	*val = (u64)v;
	return 0;
}

static void check_parsers(const char *s)
{
	enum blkmq_layout p;
	u64 v64, r64;
	u32 v32;
	bool on;
	int err, ref;

	err = blkmq_xs_parse_u64(s, &v64);
	ref = ref_parse(s, U64_MAX, &r64);
	ASSERT(err == ref);
	if (!err)
		ASSERT(v64 == r64);

	err = blkmq_xs_parse_u32(s, &v32);
	ref = ref_parse(s, U32_MAX, &r64);
	ASSERT(err == ref);
	if (!err)
		ASSERT(v32 == r64);

	err = blkmq_xs_parse_feature(s, &on);
	ASSERT(err == ref);
	if (!err)
		ASSERT(on == (r64 != 0));

	err = blkmq_xs_parse_protocol(s, &p);
	ASSERT(err == 0 || err == -EINVAL);
	ASSERT(!err == (!strcmp(s, "x86_64-abi") || !strcmp(s, "arm-abi") ||
			!strcmp(s, "x86_32-abi")));
	if (!err)
		ASSERT((p == BLKMQ_LAYOUT_X86_32) ==
		       !strcmp(s, "x86_32-abi"));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct blkmq_features ours = { 0 }, before;
	struct blkmq_front_keys keys = { 0 };
	struct blkmq_back_conn res;
	enum blkmq_neg_err err;
	const char *str[4] = { NULL };
	char *buf;
	size_t i, start;
	u32 maxq, maxo;
	int n = 0;

	if (size < 2)
		return 0;
	ours.max_queues = data[0] & 15;
	ours.ring_order = data[0] >> 4;
	ours.persistent = data[1] & 1;
	before = ours;

	/* A private NUL-terminated copy, split at each NUL. */
	buf = malloc(size - 2 + 1);
	memcpy(buf, data + 2, size - 2);
	buf[size - 2] = '\0';
	for (i = 0, start = 0; i <= size - 2 && n < 4; i++) {
		if (buf[i] == '\0') {
			str[n++] = buf + start;
			start = i + 1;
		}
	}
	for (i = 0; i < 4; i++)
		if (str[i])
			check_parsers(str[i]);

	if (data[1] & 0x10)
		keys.num_queues = str[0];
	if (data[1] & 0x20)
		keys.ring_page_order = str[1];
	if (data[1] & 0x40)
		keys.persistent = str[2];
	if (data[1] & 0x80)
		keys.protocol = str[3];

	memset(&res, 0xa5, sizeof(res));
	err = blkmq_neg_back(&ours, &keys, &res);
	ASSERT(!memcmp(&ours, &before, sizeof(ours)));
	ASSERT((unsigned int)err < BLKMQ_NEG_E_NR);
	ASSERT(*blkmq_neg_err_str(err));
	if (err == BLKMQ_NEG_E_PROTOCOL)
		ASSERT(keys.protocol);
	if (err == BLKMQ_NEG_E_PERSISTENT_JUNK)
		ASSERT(keys.persistent);
	if (err == BLKMQ_NEG_E_QUEUES_JUNK || err == BLKMQ_NEG_E_QUEUES_RANGE)
		ASSERT(keys.num_queues);
	if (err == BLKMQ_NEG_E_ORDER_JUNK || err == BLKMQ_NEG_E_ORDER_RANGE)
		ASSERT(keys.ring_page_order);
	if (!err) {
		maxq = ours.max_queues ? ours.max_queues : 1;
		maxo = ours.ring_order < BLKMQ_RING_ORDER_MAX ?
		       ours.ring_order : BLKMQ_RING_ORDER_MAX;
		ASSERT(res.nr_rings >= 1 && res.nr_rings <= maxq);
		ASSERT(keys.num_queues || res.nr_rings == 1);
		ASSERT(res.ring_order <= maxo);
		ASSERT(res.ring_ref_indexed == !!keys.ring_page_order);
		ASSERT(keys.ring_page_order || res.ring_order == 0);
		ASSERT(!res.persistent || ours.persistent);
		ASSERT(!res.persistent || keys.persistent);
		ASSERT(res.layout == BLKMQ_LAYOUT_64 ||
		       res.layout == BLKMQ_LAYOUT_X86_32);
	}
	free(buf);
	return 0;
}
