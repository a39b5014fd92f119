// SPDX-License-Identifier: GPL-2.0-only
/*
 * gcache_test.c - the backend's persistent-grant cache (gcache.c)
 *
 * Checks the promises gcache.h makes: never more than the capacity, a
 * pinned entry is never a victim, victims come least recently unpinned
 * first and vanish from lookups at once, a flood of fresh references stays
 * bounded, and the internal lists stay consistent (blkmq_gcache_check())
 * through a long random run compared against a simple shadow model.
 */
#include "kshim.h"

#include <stdlib.h>

#include "gcache.h"
#include "check.h"

static void *mem;
static struct blkmq_gcache cache;

static struct blkmq_gcache *new_cache(u32 cap, u32 seed)
{
	free(mem);
	mem = malloc(blkmq_gcache_mem_size(cap));
	/* Garbage, to show init needs neither zeroed memory nor struct. */
	memset(mem, 0x5a, blkmq_gcache_mem_size(cap));
	memset(&cache, 0x5a, sizeof(cache));
	if (blkmq_gcache_init(&cache, mem, cap, seed))
		return NULL;
	return &cache;
}

/* Insert, for tests that only care whether it worked. */
static struct blkmq_gcache_entry *ins(struct blkmq_gcache *gc, u32 gref)
{
	struct blkmq_gcache_entry *e = (void *)1;
	int err = blkmq_gcache_insert(gc, gref, &e);

	CHECK(err ? !e : !!e);
	return e;
}

/* The data path's pattern for one fresh grant: evict if full, insert. */
static struct blkmq_gcache_entry *get(struct blkmq_gcache *gc, u32 gref)
{
	struct blkmq_gcache_entry *e = blkmq_gcache_lookup(gc, gref);
	struct blkmq_gcache_entry *v;

	if (e)
		return e;
	if (!blkmq_gcache_room(gc) && blkmq_gcache_pick_victims(gc, &v, 1))
		blkmq_gcache_remove(gc, v);
	blkmq_gcache_insert(gc, gref, &e);
	return e;
}

static void test_sizes(void)
{
	CHECK_EQ(blkmq_gcache_mem_size(0), 0);
	CHECK_EQ(blkmq_gcache_mem_size(BLKMQ_GCACHE_MAX_CAP + 1), 0);
	/* Entries, then a power-of-two bucket array, at least 2 buckets. */
	CHECK_EQ(blkmq_gcache_mem_size(1),
		 sizeof(struct blkmq_gcache_entry) + 2 * sizeof(u32));
	CHECK_EQ(blkmq_gcache_mem_size(1056),
		 1056 * sizeof(struct blkmq_gcache_entry) + 2048 * sizeof(u32));
	CHECK_EQ(blkmq_gcache_mem_size(1024),
		 1024 * sizeof(struct blkmq_gcache_entry) + 1024 * sizeof(u32));
	CHECK(blkmq_gcache_mem_size(BLKMQ_GCACHE_MAX_CAP) > 0);
	CHECK_EQ(blkmq_gcache_init(&cache, NULL, 16, 0), -EINVAL);
	mem = malloc(64);
	CHECK_EQ(blkmq_gcache_init(&cache, mem, 0, 0), -EINVAL);
	CHECK_EQ(blkmq_gcache_init(&cache, mem, BLKMQ_GCACHE_MAX_CAP + 1, 0),
		 -EINVAL);
	free(mem);
	mem = NULL;
}

static void test_insert_lookup_unpin(void)
{
	struct blkmq_gcache *gc = new_cache(8, 0);
	struct blkmq_gcache_entry *a, *b;

	CHECK(gc);
	if (!gc)
		return;
	CHECK(!blkmq_gcache_check(gc));
	CHECK_EQ(blkmq_gcache_count(gc), 0);
	CHECK(!blkmq_gcache_lookup(gc, 5));
	CHECK_EQ(gc->misses, 1);

	CHECK_EQ(blkmq_gcache_insert(gc, 5, &a), 0);
	CHECK(a);
	if (!a)
		return;
	CHECK_EQ(a->gref, 5);
	CHECK_EQ(a->pins, 1);
	CHECK(!a->page && !a->handle && !a->dev_bus_addr);
	a->page = &a;
	a->handle = 77;
	a->dev_bus_addr = 0x1000;
	CHECK_EQ(gc->pinned, 1);
	CHECK_EQ(blkmq_gcache_count(gc), 1);
	CHECK_EQ(gc->inserts, 1);

	/* Already cached: refused, and not counted as full. */
	CHECK_EQ(blkmq_gcache_insert(gc, 5, &b), -EEXIST);
	CHECK(!b);
	CHECK_EQ(gc->full, 0);
	CHECK_EQ(blkmq_gcache_count(gc), 1);

	b = blkmq_gcache_lookup(gc, 5);
	CHECK(b == a);
	CHECK_EQ(a->pins, 2);
	CHECK_EQ(gc->hits, 1);
	CHECK_EQ(gc->pinned, 1);
	CHECK(a->page == &a && a->handle == 77 && a->dev_bus_addr == 0x1000);

	CHECK_EQ(blkmq_gcache_unpin(gc, a), 0);
	CHECK_EQ(a->pins, 1);
	CHECK_EQ(gc->pinned, 1);
	CHECK_EQ(blkmq_gcache_unpin(gc, a), 0);
	CHECK_EQ(a->pins, 0);
	CHECK_EQ(gc->pinned, 0);
	/* A caller bug is refused and changes nothing. */
	CHECK_EQ(blkmq_gcache_unpin(gc, a), -EINVAL);
	CHECK_EQ(a->pins, 0);
	CHECK(!blkmq_gcache_check(gc));

	/* Unpinned entries stay cached. */
	CHECK(blkmq_gcache_lookup(gc, 5) == a);
	CHECK_EQ(blkmq_gcache_unpin(gc, a), 0);
	CHECK(!blkmq_gcache_check(gc));
}

static void test_full_all_pinned(void)
{
	struct blkmq_gcache *gc = new_cache(4, 1);
	struct blkmq_gcache_entry *e, *v[8];
	u32 i;

	for (i = 0; i < 4; i++)
		CHECK(ins(gc, 100 + i));
	CHECK_EQ(blkmq_gcache_room(gc), 0);
	CHECK_EQ(blkmq_gcache_insert(gc, 200, &e), -ENOSPC);
	CHECK(!e);
	CHECK_EQ(gc->full, 1);
	CHECK_EQ(blkmq_gcache_count(gc), 4);
	/* Everything is in flight: nothing may be evicted. */
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 8), 0);
	CHECK_EQ(gc->evictions, 0);
	for (i = 0; i < 4; i++)
		CHECK(blkmq_gcache_lookup(gc, 100 + i));
	CHECK(!blkmq_gcache_check(gc));

	/* Each has two pins now; only dropping all of them frees one. */
	e = blkmq_gcache_lookup(gc, 102);
	CHECK(e && e->pins == 3);
	if (!e)
		return;
	CHECK_EQ(blkmq_gcache_unpin(gc, e), 0);
	CHECK_EQ(blkmq_gcache_unpin(gc, e), 0);
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 8), 0);
	CHECK_EQ(blkmq_gcache_unpin(gc, e), 0);
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 8), 1);
	CHECK(v[0] == e);
	CHECK(!blkmq_gcache_check(gc));
}

static void test_victims_unpinned_only(void)
{
	struct blkmq_gcache *gc = new_cache(4, 2);
	struct blkmq_gcache_entry *e[4], *v[8];
	u32 i;

	for (i = 0; i < 4; i++)
		e[i] = ins(gc, 100 + i);
	/* Pinned twice (insert + lookup), unpinned once: still pinned. */
	CHECK(blkmq_gcache_lookup(gc, 102) == e[2]);
	CHECK_EQ(blkmq_gcache_unpin(gc, e[2]), 0);
	CHECK_EQ(blkmq_gcache_unpin(gc, e[1]), 0);
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 8), 1);
	CHECK(v[0] == e[1]);
	CHECK_EQ(gc->evictions, 1);
	/* A victim is gone for lookups at once, but still counted. */
	CHECK(!blkmq_gcache_lookup(gc, 101));
	CHECK_EQ(blkmq_gcache_count(gc), 4);
	CHECK_EQ(blkmq_gcache_room(gc), 0);
	CHECK(!ins(gc, 101));
	CHECK(!blkmq_gcache_check(gc));
	/* Removing it makes room, and the gref can come back. */
	CHECK_EQ(blkmq_gcache_remove(gc, v[0]), 0);
	CHECK_EQ(blkmq_gcache_count(gc), 3);
	CHECK_EQ(blkmq_gcache_remove(gc, v[0]), -EINVAL);
	CHECK(ins(gc, 101));
	CHECK(!blkmq_gcache_check(gc));
	/* A pinned entry cannot be removed either. */
	CHECK_EQ(blkmq_gcache_remove(gc, e[0]), -EBUSY);
	CHECK(blkmq_gcache_lookup(gc, 100) == e[0]);
	CHECK(!blkmq_gcache_check(gc));
}

/*
 * A grant may come back while its old mapping, picked as a victim, is still
 * being unmapped.  fuzz_gcache reached this first (its model lacked it).
 */
static void test_reinsert_while_victim_pending(void)
{
	struct blkmq_gcache *gc = new_cache(8, 6);
	struct blkmq_gcache_entry *a, *b, *v;

	a = ins(gc, 7);
	CHECK_EQ(blkmq_gcache_unpin(gc, a), 0);
	CHECK_EQ(blkmq_gcache_pick_victims(gc, &v, 1), 1);
	CHECK(v == a);
	b = ins(gc, 7);
	CHECK(b && b != a);
	CHECK_EQ(blkmq_gcache_count(gc), 2);
	CHECK(!blkmq_gcache_check(gc));
	CHECK(blkmq_gcache_lookup(gc, 7) == b);
	CHECK_EQ(blkmq_gcache_remove(gc, a), 0);
	CHECK(blkmq_gcache_lookup(gc, 7) == b);
	CHECK_EQ(b->pins, 3);
	CHECK_EQ(blkmq_gcache_count(gc), 1);
	CHECK(!blkmq_gcache_check(gc));
}

static void test_lru_order(void)
{
	struct blkmq_gcache *gc = new_cache(8, 3);
	struct blkmq_gcache_entry *a, *b, *c, *v[8];

	a = ins(gc, 1);
	b = ins(gc, 2);
	c = ins(gc, 3);
	/* Recency is when the last pin went: b, then a, then c. */
	blkmq_gcache_unpin(gc, b);
	blkmq_gcache_unpin(gc, a);
	blkmq_gcache_unpin(gc, c);
	/* Using b again makes it the most recent: a, c, b. */
	CHECK(blkmq_gcache_lookup(gc, 2) == b);
	blkmq_gcache_unpin(gc, b);
	CHECK(!blkmq_gcache_check(gc));

	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 1), 1);
	CHECK(v[0] == a);
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v + 1, 8), 2);
	CHECK(v[1] == c);
	CHECK(v[2] == b);
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 8), 0);
	CHECK_EQ(gc->evictions, 3);
	CHECK(!blkmq_gcache_check(gc));
	CHECK_EQ(blkmq_gcache_remove(gc, v[0]), 0);
	CHECK_EQ(blkmq_gcache_remove(gc, v[1]), 0);
	CHECK_EQ(blkmq_gcache_remove(gc, v[2]), 0);
	CHECK_EQ(blkmq_gcache_count(gc), 0);

	/* Removing a cached entry in the middle of the LRU list. */
	a = ins(gc, 1);
	b = ins(gc, 2);
	c = ins(gc, 3);
	blkmq_gcache_unpin(gc, a);
	blkmq_gcache_unpin(gc, b);
	blkmq_gcache_unpin(gc, c);
	CHECK_EQ(blkmq_gcache_remove(gc, b), 0);
	CHECK(!blkmq_gcache_lookup(gc, 2));
	CHECK(!blkmq_gcache_check(gc));
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 8), 2);
	CHECK(v[0] == a && v[1] == c);
	CHECK(!blkmq_gcache_check(gc));
}

static void test_flood(void)
{
	struct blkmq_gcache *gc = new_cache(64, 0x12345678);
	struct blkmq_gcache_entry *held[10];
	u32 i, bad = 0;

	/* Ten grants stay in flight for the whole flood. */
	for (i = 0; i < 10; i++)
		held[i] = get(gc, i);
	for (i = 0; i < 100000; i++) {
		struct blkmq_gcache_entry *e = get(gc, 1000 + i);

		if (!e || blkmq_gcache_count(gc) > 64)
			bad++;
		if (e)
			blkmq_gcache_unpin(gc, e);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(blkmq_gcache_count(gc), 64);
	CHECK_EQ(gc->inserts, 100010);
	CHECK_EQ(gc->evictions, 100010 - 64);
	CHECK_EQ(gc->full, 0);
	for (i = 0; i < 10; i++) {
		CHECK(blkmq_gcache_lookup(gc, i) == held[i]);
		CHECK_EQ(held[i]->pins, 2);
	}
	CHECK(!blkmq_gcache_check(gc));

	/* The most recent 54 of the flood are the ones still cached. */
	CHECK(blkmq_gcache_lookup(gc, 1000 + 100000 - 54));
	CHECK(!blkmq_gcache_lookup(gc, 1000 + 100000 - 55));
}

static void test_collisions(void)
{
	struct blkmq_gcache *gc = new_cache(1, 0);
	struct blkmq_gcache_entry *e, *v = NULL;
	u32 i, inv;

	/* Capacity 1: two buckets; any gref, including 0 and ~0. */
	e = ins(gc, 0);
	CHECK(e);
	CHECK_EQ(blkmq_gcache_insert(gc, U32_MAX, &v), -ENOSPC);
	CHECK_EQ(blkmq_gcache_unpin(gc, e), 0);
	CHECK_EQ(blkmq_gcache_pick_victims(gc, &v, 1), 1);
	CHECK(v == e);
	CHECK_EQ(blkmq_gcache_remove(gc, e), 0);
	CHECK(ins(gc, U32_MAX));
	CHECK(blkmq_gcache_lookup(gc, U32_MAX));
	CHECK(!blkmq_gcache_check(gc));

	/*
	 * Knowing the seed (a guest does not), pick 256 grefs that all hash
	 * to bucket 0: g * mul < 2^24, i.e. g = t * mul^-1 for small t.  One
	 * long chain must still behave, just slower.
	 */
	gc = new_cache(256, 0x1234);
	inv = gc->hash_mul;
	for (i = 0; i < 5; i++)
		inv *= 2 - gc->hash_mul * inv;	/* Newton: mul * inv == 1 */
	CHECK_EQ((u32)(gc->hash_mul * inv), 1);
	for (i = 0; i < 256; i++)
		CHECK(ins(gc, i * inv));
	CHECK_EQ(gc->buckets[0] != BLKMQ_GCACHE_NIL, 1);
	for (i = 1; i < 1U << gc->hash_bits; i++)
		if (gc->buckets[i] != BLKMQ_GCACHE_NIL)
			break;
	CHECK_EQ(i, 1U << gc->hash_bits);
	for (i = 0; i < 256; i++) {
		e = blkmq_gcache_lookup(gc, i * inv);
		CHECK(e && e->gref == i * inv);
		blkmq_gcache_unpin(gc, e);
		blkmq_gcache_unpin(gc, e);
	}
	CHECK(!blkmq_gcache_check(gc));
	CHECK_EQ(blkmq_gcache_pick_victims(gc, &v, 1), 1);
	CHECK_EQ(blkmq_gcache_remove(gc, v), 0);
	CHECK(!blkmq_gcache_check(gc));
	CHECK_EQ(blkmq_gcache_count(gc), 255);
}

static void test_iterate_teardown(void)
{
	struct blkmq_gcache *gc = new_cache(16, 4);
	struct blkmq_gcache_entry *e, *v[4];
	u32 i, seen = 0, sum = 0;

	for (i = 0; i < 10; i++)
		blkmq_gcache_unpin(gc, ins(gc, 50 + i));
	CHECK_EQ(blkmq_gcache_pick_victims(gc, v, 3), 3);
	/* Cached and picked-but-not-removed entries are both visited. */
	for (e = blkmq_gcache_next(gc, NULL); e; e = blkmq_gcache_next(gc, e)) {
		seen++;
		sum += e->gref;
		CHECK_EQ(blkmq_gcache_remove(gc, e), 0);
	}
	CHECK_EQ(seen, 10);
	CHECK_EQ(sum, 10 * 50 + 45);
	CHECK_EQ(blkmq_gcache_count(gc), 0);
	CHECK(!blkmq_gcache_next(gc, NULL));
	CHECK(!blkmq_gcache_check(gc));

	/* Init on the same memory starts over. */
	ins(gc, 1);
	CHECK_EQ(blkmq_gcache_init(gc, mem, 16, 5), 0);
	CHECK_EQ(blkmq_gcache_count(gc), 0);
	CHECK_EQ(gc->inserts, 0);
	CHECK(!blkmq_gcache_lookup(gc, 1));
	CHECK(!blkmq_gcache_check(gc));
}

/* A plain model of the cache: arrays indexed by slot, LRU by timestamp. */
#define SH_CAP	24
#define SH_GREFS	40

static struct {
	bool cached[SH_GREFS];
	u32 pins[SH_GREFS];
	u64 released[SH_GREFS];	/* time the last pin went */
	struct blkmq_gcache_entry *ent[SH_GREFS];
	u32 used;
	u64 now;
} sh;

static u64 rng_state = 88172645463325252ULL;

static u32 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)rng_state;
}

static void test_random_vs_model(void)
{
	struct blkmq_gcache *gc = new_cache(SH_CAP, 0xdeadbeef);
	struct blkmq_gcache_entry *v[8];
	u32 step, bad_model = 0, bad_check = 0;
	int err;

	memset(&sh, 0, sizeof(sh));
	for (step = 0; step < 200000; step++) {
		u32 g = rng() % SH_GREFS;
		u32 op = rng() % 8, n, i;
		struct blkmq_gcache_entry *e;

		sh.now++;
		switch (op) {
		case 0:
		case 1:
			e = blkmq_gcache_lookup(gc, g);
			if (!!e != sh.cached[g] || (e && e != sh.ent[g]))
				bad_model++;
			if (e)
				sh.pins[g]++;
			break;
		case 2:
			err = blkmq_gcache_insert(gc, g, &e);
			if (sh.cached[g]) {
				bad_model += err != -EEXIST || e;
				break;
			}
			if (sh.used == SH_CAP) {
				bad_model += err != -ENOSPC || e;
				break;
			}
			if (err || !e || e->gref != g) {
				bad_model++;
				break;
			}
			sh.cached[g] = true;
			sh.pins[g] = 1;
			sh.ent[g] = e;
			sh.used++;
			break;
		case 3:
		case 4:
			if (!sh.cached[g] || !sh.pins[g])
				break;
			if (blkmq_gcache_unpin(gc, sh.ent[g]))
				bad_model++;
			if (!--sh.pins[g])
				sh.released[g] = sh.now;
			break;
		case 5:
			n = blkmq_gcache_pick_victims(gc, v, 1 + rng() % 4);
			for (i = 0; i < n; i++) {
				u32 vg = v[i]->gref, k;

				/* Must be unpinned and the oldest left. */
				if (vg >= SH_GREFS || !sh.cached[vg] ||
				    sh.pins[vg])
					bad_model++;
				for (k = 0; k < SH_GREFS; k++)
					if (k != vg && sh.cached[k] &&
					    !sh.pins[k] &&
					    sh.released[k] < sh.released[vg])
						bad_model++;
				if (vg < SH_GREFS) {
					sh.cached[vg] = false;
					sh.ent[vg] = NULL;
				}
				if (blkmq_gcache_remove(gc, v[i]))
					bad_model++;
				sh.used--;
			}
			break;
		case 6:
			if (!sh.cached[g])
				break;
			if (blkmq_gcache_remove(gc, sh.ent[g]) !=
			    (sh.pins[g] ? -EBUSY : 0))
				bad_model++;
			if (!sh.pins[g]) {
				sh.cached[g] = false;
				sh.ent[g] = NULL;
				sh.used--;
			}
			break;
		default:
			if (blkmq_gcache_count(gc) != sh.used ||
			    blkmq_gcache_count(gc) > SH_CAP)
				bad_model++;
			break;
		}
		if ((step % 97 == 0) && blkmq_gcache_check(gc))
			bad_check++;
	}
	CHECK_EQ(bad_model, 0);
	CHECK_EQ(bad_check, 0);
	CHECK(!blkmq_gcache_check(gc));
	CHECK(gc->hits > 0 && gc->misses > 0 && gc->evictions > 0);
}

static void test_evict_want(void)
{
	struct blkmq_gcache *gc = new_cache(64, 3);
	u32 i;

	CHECK(gc);
	if (!gc)
		return;
	/* room for what comes: nothing to evict */
	CHECK_EQ(blkmq_gcache_evict_want(gc, 11, 1000), 0);
	for (i = 0; i < 60; i++)
		blkmq_gcache_unpin(gc, ins(gc, 100 + i));
	CHECK_EQ(blkmq_gcache_evict_want(gc, 4, 1000), 0);
	/* 7 short: a whole batch, not 7 */
	CHECK_EQ(blkmq_gcache_evict_want(gc, 11, 1000), BLKMQ_GCACHE_EVICT_BATCH);
	/* never more than the budget, nor than the unpinned entries */
	CHECK_EQ(blkmq_gcache_evict_want(gc, 11, 5), 5);
	CHECK_EQ(blkmq_gcache_evict_want(gc, 11, 0), 0);
	for (i = 0; i < 50; i++)
		blkmq_gcache_lookup(gc, 100 + i);	/* pins 50 */
	CHECK_EQ(blkmq_gcache_evict_want(gc, 11, 1000), 10);
	/* a shortfall above a batch is taken whole */
	gc = new_cache(256, 3);
	CHECK(gc);
	if (!gc)
		return;
	for (i = 0; i < 256; i++)
		blkmq_gcache_unpin(gc, ins(gc, i));
	CHECK_EQ(blkmq_gcache_evict_want(gc, 40, 1000), 40);
	/* a tiny cache: a batch is at most the capacity */
	gc = new_cache(4, 3);
	CHECK(gc);
	if (!gc)
		return;
	for (i = 0; i < 4; i++)
		blkmq_gcache_unpin(gc, ins(gc, i));
	CHECK_EQ(blkmq_gcache_evict_want(gc, 1, 1000), 4);
}

/*
 * A frontend cycling through 1.5 times the capacity in 11-segment requests,
 * played through the data path's two policies; unmap calls counted as the
 * backend makes them: one per eviction call, one per request that mapped
 * something one-shot (its completion unmaps in one call).
 *   old: evict one victim per miss (an unmap call each), always insert;
 *   new: blkmq_gcache_evict_want() with a budget of cap/8 refilled every
 *        cap/11 requests, what does not fit is one-shot.
 */
static void play_cycle(bool batched, u32 cap, u32 nreq, u64 *calls, u64 *hits)
{
	struct blkmq_gcache *gc = new_cache(cap, 9);
	u32 set = cap + cap / 2, next = 0, budget = 0, r, s;

	*calls = 0;
	*hits = 0;
	if (!gc)
		return;
	for (r = 0; r < nreq; r++) {
		struct blkmq_gcache_entry *e[11], *v[64];
		u32 miss = 0, oneshot = 0, want, got, k;

		if (r % (cap / 11) == 0)
			budget = cap / 8;
		for (s = 0; s < 11; s++) {
			e[s] = blkmq_gcache_lookup(gc, 1 + (next + s) % set);
			if (e[s])
				(*hits)++;
			else
				miss++;
		}
		if (batched) {
			want = blkmq_gcache_evict_want(gc, miss, budget);
			while (want) {
				got = blkmq_gcache_pick_victims(gc, v, want < 64 ? want : 64);
				if (!got)
					break;
				(*calls)++;
				for (k = 0; k < got; k++)
					blkmq_gcache_remove(gc, v[k]);
				want -= got;
				budget -= got;
			}
		}
		for (s = 0; s < 11; s++) {
			if (e[s])
				continue;
			if (!batched && !blkmq_gcache_room(gc) &&
			    blkmq_gcache_pick_victims(gc, v, 1)) {
				(*calls)++;
				blkmq_gcache_remove(gc, v[0]);
			}
			if (blkmq_gcache_insert(gc, 1 + (next + s) % set, &e[s]))
				oneshot++;
		}
		*calls += oneshot > 0;
		for (s = 0; s < 11; s++)
			if (e[s])
				blkmq_gcache_unpin(gc, e[s]);
		next = (next + 11) % set;
	}
	CHECK(!blkmq_gcache_check(gc));
}

static void test_oversized_working_set(void)
{
	u64 old_calls, old_hits, new_calls, new_hits;
	u32 nreq = 20000;

	play_cycle(false, 1056, nreq, &old_calls, &old_hits);
	play_cycle(true, 1056, nreq, &new_calls, &new_hits);
	printf("  working set 1.5 x 1056, %u requests of 11 segments: unmap calls per request %.3f -> %.3f, hit rate %.1f%% -> %.1f%%\n",
	       nreq, (double)old_calls / nreq, (double)new_calls / nreq,
	       100.0 * old_hits / (11.0 * nreq), 100.0 * new_hits / (11.0 * nreq));
	/* LRU over a cycle larger than the cache never hits */
	CHECK(old_calls >= 10ULL * nreq);
	/* batched: at most about one call per request, and a stable part hits */
	CHECK(new_calls <= 1ULL * nreq + nreq / 10);
	CHECK(new_hits * 4 >= 11ULL * nreq);
}

int main(void)
{
	RUN(test_sizes);
	RUN(test_insert_lookup_unpin);
	RUN(test_full_all_pinned);
	RUN(test_victims_unpinned_only);
	RUN(test_reinsert_while_victim_pending);
	RUN(test_lru_order);
	RUN(test_flood);
	RUN(test_collisions);
	RUN(test_iterate_teardown);
	RUN(test_random_vs_model);
	RUN(test_evict_want);
	RUN(test_oversized_working_set);
	free(mem);
	return check_done("gcache");
}
