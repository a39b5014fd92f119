// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_front_peer.c - libFuzzer target for the frontend's checks of
 *	backend input: response indices, responses, the disk description
 *
 * Input byte 0 picks the part:
 *   even: a ring session.  The rest is a script of 12-byte steps against
 *	a model of a 32-slot ring: "issue" steps put a request with some
 *	operation in flight, "answer" steps move rsp_prod and present a
 *	response (id, operation, status straight from the input).  Whatever
 *	front-peer.c accepts must be true of the model: the producer never
 *	passes the requests issued, an accepted response names a request in
 *	flight with its operation and a defined status.  Accepted responses
 *	retire their request, as the driver does.
 *   odd: a disk description: up to 12 NUL-separated strings, the backend
 *	keys in struct blkmq_back_keys order (byte 1 says which are absent).
 *	An accepted description must obey every documented bound.
 */
#include "kshim.h"

#include <stdlib.h>

#include "front-peer.h"

#define ASSERT(c)	do { if (!(c)) abort(); } while (0)
#define NR		32

static void ring_session(const u8 *p, size_t n)
{
	struct blkmq_front_slot slots[NR] = { 0 };
	u32 req_prod = 0, rsp_cons = 0, inflight = 0;

	/* start anywhere in u32 space, to cover the wrap */
	if (n >= 4) {
		memcpy(&req_prod, p, 4);
		rsp_cons = req_prod;
		p += 4;
		n -= 4;
	}
	for (; n >= 12; p += 12, n -= 12) {
		struct blkmq_response rsp;
		enum blkmq_front_rsp_err e;
		u32 prod, avail;
		int err;

		if (p[0] & 1) {
			/* issue: first free id gets operation p[1] % 7 */
			unsigned int id;

			if (inflight == NR)
				continue;
			for (id = 0; slots[id].busy; id++)
				;
			slots[id].busy = 1;
			slots[id].rsp_op = p[1] % 7;
			req_prod++;
			inflight++;
			continue;
		}
		/* answer: the backend claims rsp_prod = rsp_cons + p[1] - 64 */
		prod = rsp_cons + (u32)p[1] - 64;
		err = blkmq_front_rsp_avail(prod, rsp_cons, req_prod, &avail);
		if (err) {
			ASSERT(prod - rsp_cons > req_prod - rsp_cons);
			continue;
		}
		ASSERT(avail <= req_prod - rsp_cons);
		ASSERT(avail == prod - rsp_cons);
		if (!avail)
			continue;
		memset(&rsp, 0, sizeof(rsp));
		memcpy(&rsp.id, p + 2, 8);
		if (p[0] & 2)
			rsp.id %= NR + 2;	/* mostly plausible ids */
		rsp.operation = p[10] % 9;
		rsp.status = (s16)((s8)p[11]);
		e = blkmq_front_rsp_check(&rsp, slots, NR);
		if (e == BLKMQ_FRSP_OK || e == BLKMQ_FRSP_E_STATUS) {
			ASSERT(rsp.id < NR);
			ASSERT(slots[rsp.id].busy);
			ASSERT(slots[rsp.id].rsp_op == rsp.operation);
			ASSERT((e == BLKMQ_FRSP_OK) ==
			       (rsp.status == BLKMQ_RSP_OKAY ||
				rsp.status == BLKMQ_RSP_ERROR ||
				rsp.status == BLKMQ_RSP_EOPNOTSUPP));
			slots[rsp.id].busy = 0;
			inflight--;
			rsp_cons++;
		} else {
			ASSERT(rsp.id >= NR || !slots[rsp.id].busy ||
			       slots[rsp.id].rsp_op != rsp.operation);
		}
		ASSERT(blkmq_front_rsp_err_str(e) != NULL);
	}
}

static bool pow2(u32 v)
{
	return v && !(v & (v - 1));
}

static void disk(const u8 *p, size_t n)
{
	const char *s[12] = { 0 };
	struct blkmq_front_disk d;
	struct blkmq_back_keys k;
	enum blkmq_front_disk_err e;
	u16 absent;
	char *buf, *c;
	size_t i;

	if (n < 3)
		return;
	absent = p[1] | (p[2] << 8);
	p += 3;
	n -= 3;
	buf = malloc(n + 1);
	memcpy(buf, p, n);
	buf[n] = '\0';
	for (i = 0, c = buf; i < 12; i++) {
		if (!(absent & (1U << i)))
			s[i] = c;
		c += strlen(c);
		if (c < buf + n)
			c++;
	}
	k.sectors = s[0];
	k.info = s[1];
	k.sector_size = s[2];
	k.physical_sector_size = s[3];
	k.persistent = s[4];
	k.max_indirect = s[5];
	k.flush = s[6];
	k.barrier = s[7];
	k.discard = s[8];
	k.discard_granularity = s[9];
	k.discard_alignment = s[10];
	k.discard_secure = s[11];
	e = blkmq_front_disk_parse(&k, &d);
	ASSERT(blkmq_front_disk_err_str(e) != NULL);
	if (e == BLKMQ_FDISK_OK) {
		ASSERT(k.sectors && k.sector_size);
		ASSERT(d.sectors <= (U64_MAX >> 9));
		ASSERT(pow2(d.sector_size) && d.sector_size >= 512 &&
		       d.sector_size <= 4096);
		ASSERT(pow2(d.physical_sector_size) &&
		       d.physical_sector_size >= d.sector_size);
		ASSERT(!(d.info & ~7U));
		ASSERT(d.feat.max_indirect_segs == 0 ||
		       (d.feat.max_indirect_segs > 11 &&
			d.feat.max_indirect_segs <= BLKMQ_MAX_INDIRECT_SEGMENTS));
		ASSERT(d.feat.discard || !d.feat.discard_secure);
		ASSERT(!d.discard_alignment ||
		       d.discard_alignment < d.discard_granularity);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		disk(data, size);
	else
		ring_session(data + 1, size - 1);
	return 0;
}
