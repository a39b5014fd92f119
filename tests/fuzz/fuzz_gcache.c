// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_gcache.c - libFuzzer target for the persistent-grant cache
 *
 * The input is a capacity, a hash seed and a sequence of operations, each
 * run on the cache and on a shadow model (per-gref state, pin count and the
 * time its last pin went).  After every operation: the cache's own
 * consistency check passes, it holds no more than its capacity, lookups
 * agree with the model, and every victim was unpinned and the least
 * recently released entry left.  Picked victims wait in a list until an
 * operation removes them, as they would while their unmap is in flight;
 * meanwhile the same gref may be inserted again.
 *
 *   byte  0     capacity - 1 (mod 32)
 *   bytes 1-4   seed
 *   then        pairs (op, arg)
 */
#include "kshim.h"

#include <stdlib.h>

#include "gcache.h"

#define ASSERT(c)	do { if (!(c)) abort(); } while (0)

#define NGREF	64	/* model slots; grefs map onto them one to one */

enum { ABSENT, CACHED };

static struct {
	u8 state[NGREF];
	u32 pins[NGREF];
	u64 released[NGREF];
	struct blkmq_gcache_entry *ent[NGREF];
	struct blkmq_gcache_entry *pend[32];	/* picked, not removed */
	u32 npend;
	u32 used;
	u64 now;
} sh;

/* Low grefs collide often; a few come from the top of the range. */
static u32 slot_gref(unsigned int slot)
{
	return slot < NGREF / 2 ? slot : 0xffffffffU - (slot - NGREF / 2);
}

static unsigned int gref_slot(u32 gref)
{
	return gref < NGREF / 2 ? gref : NGREF / 2 + (0xffffffffU - gref);
}

static void check_victim(struct blkmq_gcache_entry *v)
{
	unsigned int s = gref_slot(v->gref), k;

	ASSERT(s < NGREF);
	ASSERT(sh.state[s] == CACHED && sh.ent[s] == v);
	ASSERT(!sh.pins[s] && !v->pins);
	for (k = 0; k < NGREF; k++)
		if (k != s && sh.state[k] == CACHED && !sh.pins[k])
			ASSERT(sh.released[k] > sh.released[s]);
	sh.state[s] = ABSENT;
	sh.ent[s] = NULL;
	ASSERT(sh.npend < ARRAY_SIZE(sh.pend));
	sh.pend[sh.npend++] = v;
}

static bool pending(const struct blkmq_gcache_entry *e)
{
	u32 i;

	for (i = 0; i < sh.npend; i++)
		if (sh.pend[i] == e)
			return true;
	return false;
}

static void remove_slot(struct blkmq_gcache *gc, unsigned int s)
{
	ASSERT(!blkmq_gcache_remove(gc, sh.ent[s]));
	sh.state[s] = ABSENT;
	sh.ent[s] = NULL;
	sh.used--;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct blkmq_gcache_entry *e, *v[8];
	struct blkmq_gcache cache, *gc = &cache;
	u32 cap, seed = 0, n, i, visited;
	unsigned int s;
	void *mem;
	int err;

	if (size < 5)
		return 0;
	cap = 1 + data[0] % 32;
	for (i = 1; i < 5; i++)
		seed = seed << 8 | data[i];
	data += 5;
	size -= 5;

	mem = malloc(blkmq_gcache_mem_size(cap));
	ASSERT(!blkmq_gcache_init(gc, mem, cap, seed));
	memset(&sh, 0, sizeof(sh));

	for (; size >= 2; data += 2, size -= 2) {
		u8 op = data[0] % 8, arg = data[1];

		s = arg % NGREF;
		sh.now++;
		switch (op) {
		case 0:
			e = blkmq_gcache_lookup(gc, slot_gref(s));
			ASSERT(!!e == (sh.state[s] == CACHED));
			if (e) {
				ASSERT(e == sh.ent[s]);
				sh.pins[s]++;
				ASSERT(e->pins == sh.pins[s]);
			}
			break;
		case 1:
			err = blkmq_gcache_insert(gc, slot_gref(s), &e);
			if (sh.state[s] == CACHED) {
				ASSERT(err == -EEXIST && !e);
				break;
			}
			if (sh.used == cap) {
				ASSERT(err == -ENOSPC && !e);
				break;
			}
			ASSERT(!err && e);
			ASSERT(e->gref == slot_gref(s) && e->pins == 1);
			ASSERT(!e->page && !e->handle && !e->dev_bus_addr);
			e->page = e;
			e->handle = s;
			sh.state[s] = CACHED;
			sh.pins[s] = 1;
			sh.ent[s] = e;
			sh.used++;
			break;
		case 2:
		case 3:
			if (sh.state[s] != CACHED) {
				break;
			} else if (!sh.pins[s]) {
				ASSERT(blkmq_gcache_unpin(gc, sh.ent[s]) ==
				       -EINVAL);
				break;
			}
			ASSERT(!blkmq_gcache_unpin(gc, sh.ent[s]));
			if (!--sh.pins[s])
				sh.released[s] = sh.now;
			break;
		case 4:
			n = blkmq_gcache_pick_victims(gc, v, 1 + arg % 8);
			ASSERT(n <= 1 + arg % 8u);
			for (i = 0; i < n; i++)
				check_victim(v[i]);
			/* Fewer than asked: nothing unpinned is left. */
			if (n < 1 + arg % 8u)
				for (i = 0; i < NGREF; i++)
					ASSERT(sh.state[i] != CACHED ||
					       sh.pins[i]);
			break;
		case 5:
			/* Remove a picked victim, or a cached entry. */
			if (arg & 0x80 && sh.npend) {
				i = arg % sh.npend;
				ASSERT(!blkmq_gcache_remove(gc, sh.pend[i]));
				ASSERT(blkmq_gcache_remove(gc, sh.pend[i]) ==
				       -EINVAL);
				sh.pend[i] = sh.pend[--sh.npend];
				sh.used--;
			} else if (sh.state[s] == CACHED) {
				if (sh.pins[s])
					ASSERT(blkmq_gcache_remove(gc,
								   sh.ent[s]) ==
					       -EBUSY);
				else
					remove_slot(gc, s);
			}
			break;
		case 6:
			visited = 0;
			for (e = blkmq_gcache_next(gc, NULL); e;
			     e = blkmq_gcache_next(gc, e)) {
				unsigned int es = gref_slot(e->gref);

				ASSERT(es < NGREF);
				ASSERT(sh.ent[es] == e || pending(e));
				ASSERT(e->handle == es && e->page == e);
				visited++;
			}
			ASSERT(visited == sh.used);
			break;
		default:
			ASSERT(blkmq_gcache_room(gc) == cap - sh.used);
			break;
		}
		ASSERT(blkmq_gcache_count(gc) == sh.used);
		ASSERT(sh.used <= cap);
		ASSERT(!blkmq_gcache_check(gc));
	}

	/* Teardown as the data path does it: victims until none is left. */
	while (sh.npend)
		ASSERT(!blkmq_gcache_remove(gc, sh.pend[--sh.npend]));
	for (s = 0; s < NGREF; s++) {
		while (sh.state[s] == CACHED && sh.pins[s]) {
			ASSERT(!blkmq_gcache_unpin(gc, sh.ent[s]));
			sh.pins[s]--;
		}
	}
	while ((n = blkmq_gcache_pick_victims(gc, v, 8)))
		for (i = 0; i < n; i++)
			ASSERT(!blkmq_gcache_remove(gc, v[i]));
	for (e = blkmq_gcache_next(gc, NULL); e; e = blkmq_gcache_next(gc, e))
		ASSERT(!blkmq_gcache_remove(gc, e));
	ASSERT(blkmq_gcache_count(gc) == 0);
	ASSERT(!blkmq_gcache_check(gc));
	free(mem);
	return 0;
}
