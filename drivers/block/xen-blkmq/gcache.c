// SPDX-License-Identifier: GPL-2.0-only
/*
 * gcache.c - the backend's persistent-grant cache (pure logic)
 *
 * See gcache.h for the design.  Every entry is in exactly one of three
 * states, and the state says which links are live:
 *
 *   FREE      on the free list (@next)
 *   CACHED    in a hash chain (@hnext); also on the LRU list (@prev, @next)
 *             while @pins is 0
 *   DETACHED  picked as a victim: in no list, still counted in @used until
 *             the caller has unmapped it and called blkmq_gcache_remove()
 */
#include "pure.h"
#include "gcache.h"

enum blkmq_gcache_state {
	BLKMQ_GCACHE_FREE,
	BLKMQ_GCACHE_CACHED,
	BLKMQ_GCACHE_DETACHED,
};

/* Fewest buckets: keeps the hash shift below 32. */
#define BLKMQ_GCACHE_MIN_BITS	1

/* Golden-ratio constant: a good multiplier even when the seed is 0. */
#define BLKMQ_GCACHE_MUL	0x9e3779b1U

static u32 blkmq_gcache_bits(u32 cap)
{
	u32 bits = BLKMQ_GCACHE_MIN_BITS;

	while ((1U << bits) < cap)
		bits++;
	return bits;
}

static u32 blkmq_gcache_bucket(const struct blkmq_gcache *gc, u32 gref)
{
	return (u32)(gref * gc->hash_mul) >> (32 - gc->hash_bits);
}

static u32 blkmq_gcache_idx(const struct blkmq_gcache *gc,
			    const struct blkmq_gcache_entry *e)
{
	return (u32)(e - gc->ents);
}

static void blkmq_gcache_lru_unlink(struct blkmq_gcache *gc,
				    struct blkmq_gcache_entry *e)
{
	if (e->prev != BLKMQ_GCACHE_NIL)
		gc->ents[e->prev].next = e->next;
	else
		gc->lru_head = e->next;
	if (e->next != BLKMQ_GCACHE_NIL)
		gc->ents[e->next].prev = e->prev;
	else
		gc->lru_tail = e->prev;
	e->prev = BLKMQ_GCACHE_NIL;
	e->next = BLKMQ_GCACHE_NIL;
}

static void blkmq_gcache_lru_push(struct blkmq_gcache *gc,
				  struct blkmq_gcache_entry *e)
{
	u32 idx = blkmq_gcache_idx(gc, e);

	e->prev = BLKMQ_GCACHE_NIL;
	e->next = gc->lru_head;
	if (gc->lru_head != BLKMQ_GCACHE_NIL)
		gc->ents[gc->lru_head].prev = idx;
	else
		gc->lru_tail = idx;
	gc->lru_head = idx;
}

static void blkmq_gcache_hash_unlink(struct blkmq_gcache *gc,
				     struct blkmq_gcache_entry *e)
{
	u32 *link = &gc->buckets[blkmq_gcache_bucket(gc, e->gref)];
	u32 idx = blkmq_gcache_idx(gc, e);

	while (*link != idx)
		link = &gc->ents[*link].hnext;
	*link = e->hnext;
	e->hnext = BLKMQ_GCACHE_NIL;
}

static struct blkmq_gcache_entry *
blkmq_gcache_find(const struct blkmq_gcache *gc, u32 gref)
{
	u32 idx = gc->buckets[blkmq_gcache_bucket(gc, gref)];

	while (idx != BLKMQ_GCACHE_NIL) {
		struct blkmq_gcache_entry *e = &gc->ents[idx];

		if (e->gref == gref)
			return e;
		idx = e->hnext;
	}
	return NULL;
}

/* The entries come first in the caller's memory, then the buckets. */
static size_t blkmq_gcache_buckets_off(u32 cap)
{
	/* Entries hold a u64 and a pointer; keep them naturally aligned. */
	BUILD_BUG_ON(sizeof(struct blkmq_gcache_entry) % sizeof(u64));
	return (size_t)cap * sizeof(struct blkmq_gcache_entry);
}

/**
 * blkmq_gcache_mem_size() - memory a cache of a given capacity needs
 * @cap: capacity in entries, 1 to BLKMQ_GCACHE_MAX_CAP
 *
 * Return: bytes to allocate for blkmq_gcache_init(), or 0 if @cap is out of
 * range.
 */
size_t blkmq_gcache_mem_size(u32 cap)
{
	if (!cap || cap > BLKMQ_GCACHE_MAX_CAP)
		return 0;
	return blkmq_gcache_buckets_off(cap) +
	       ((size_t)1 << blkmq_gcache_bits(cap)) * sizeof(u32);
}

/**
 * blkmq_gcache_init() - set up an empty cache
 * @gc: the cache (usually embedded in the ring)
 * @mem: blkmq_gcache_mem_size(@cap) bytes, aligned for a u64; used by the
 *	cache until the caller frees it after teardown
 * @cap: capacity in entries, 1 to BLKMQ_GCACHE_MAX_CAP
 * @seed: hash seed; pass a random value (get_random_u32()) so that a guest
 *	cannot predict which references collide
 *
 * Calling it again with the same memory starts over: every entry and
 * counter is reset (unmap the entries first).
 *
 * Return: 0, or -EINVAL if @mem is NULL or @cap is out of range (@gc is
 * then left untouched).
 */
int blkmq_gcache_init(struct blkmq_gcache *gc, void *mem, u32 cap, u32 seed)
{
	u32 i, nbuckets;

	if (!mem || !blkmq_gcache_mem_size(cap))
		return -EINVAL;

	memset(gc, 0, sizeof(*gc));
	gc->ents = mem;
	gc->buckets = (u32 *)((char *)mem + blkmq_gcache_buckets_off(cap));
	gc->cap = cap;
	gc->hash_bits = blkmq_gcache_bits(cap);
	gc->hash_mul = (BLKMQ_GCACHE_MUL ^ seed) | 1;
	gc->lru_head = BLKMQ_GCACHE_NIL;
	gc->lru_tail = BLKMQ_GCACHE_NIL;

	nbuckets = 1U << gc->hash_bits;
	for (i = 0; i < nbuckets; i++)
		gc->buckets[i] = BLKMQ_GCACHE_NIL;

	for (i = 0; i < cap; i++) {
		struct blkmq_gcache_entry *e = &gc->ents[i];

		memset(e, 0, sizeof(*e));
		e->state = BLKMQ_GCACHE_FREE;
		e->hnext = BLKMQ_GCACHE_NIL;
		e->prev = BLKMQ_GCACHE_NIL;
		e->next = i + 1 < cap ? i + 1 : BLKMQ_GCACHE_NIL;
	}
	gc->free_head = 0;
	return 0;
}

/**
 * blkmq_gcache_lookup() - find a cached grant and pin it
 * @gc: the cache
 * @gref: grant reference from a validated request
 *
 * A found entry is pinned (it cannot be picked as a victim) until a
 * matching blkmq_gcache_unpin(); one entry may be pinned by several
 * requests at once.  Counts a hit or a miss.
 *
 * Return: the entry, or NULL if @gref is not cached.
 */
struct blkmq_gcache_entry *blkmq_gcache_lookup(struct blkmq_gcache *gc,
					       u32 gref)
{
	struct blkmq_gcache_entry *e = blkmq_gcache_find(gc, gref);

	if (!e) {
		gc->misses++;
		return NULL;
	}
	if (!e->pins++) {
		blkmq_gcache_lru_unlink(gc, e);
		gc->pinned++;
	}
	gc->hits++;
	return e;
}

/**
 * blkmq_gcache_insert() - cache a newly mapped grant
 * @gc: the cache
 * @gref: its grant reference
 * @out: set to the new entry, or NULL on failure
 *
 * The new entry is pinned once, for the request that mapped it, and its
 * payload is zero for the caller to fill in.  A cache never grows past its
 * capacity: when it is full the insert fails, and the caller either evicts
 * first or uses the mapping once and unmaps it.
 *
 * Return: 0; -ENOSPC if the cache is full (counted in @gc->full); -EEXIST
 * if @gref is already cached (the same grant twice in one request: treat
 * the second mapping as one-shot, or use blkmq_gcache_lookup() instead).
 */
int blkmq_gcache_insert(struct blkmq_gcache *gc, u32 gref,
			struct blkmq_gcache_entry **out)
{
	struct blkmq_gcache_entry *e;
	u32 idx, b;

	*out = NULL;
	if (blkmq_gcache_find(gc, gref))
		return -EEXIST;
	if (gc->free_head == BLKMQ_GCACHE_NIL) {
		gc->full++;
		return -ENOSPC;
	}

	idx = gc->free_head;
	e = &gc->ents[idx];
	gc->free_head = e->next;

	e->page = NULL;
	e->dev_bus_addr = 0;
	e->handle = 0;
	e->gref = gref;
	e->pins = 1;
	e->prev = BLKMQ_GCACHE_NIL;
	e->next = BLKMQ_GCACHE_NIL;
	e->state = BLKMQ_GCACHE_CACHED;

	b = blkmq_gcache_bucket(gc, gref);
	e->hnext = gc->buckets[b];
	gc->buckets[b] = idx;

	gc->used++;
	gc->pinned++;
	gc->inserts++;
	*out = e;
	return 0;
}

/**
 * blkmq_gcache_unpin() - a request has finished with an entry
 * @gc: the cache
 * @e: an entry from blkmq_gcache_lookup() or blkmq_gcache_insert()
 *
 * When the last pin goes the entry becomes the most recently used one that
 * may be evicted.
 *
 * Return: 0, or -EINVAL if @e was not pinned (a caller bug; nothing is
 * changed).
 */
int blkmq_gcache_unpin(struct blkmq_gcache *gc, struct blkmq_gcache_entry *e)
{
	if (e->state != BLKMQ_GCACHE_CACHED || !e->pins)
		return -EINVAL;
	if (!--e->pins) {
		gc->pinned--;
		blkmq_gcache_lru_push(gc, e);
	}
	return 0;
}

/**
 * blkmq_gcache_pick_victims() - choose entries to evict
 * @gc: the cache
 * @victims: array of at least @max entries to fill
 * @max: most victims wanted
 *
 * Picks the least recently used unpinned entries, oldest first, and unhooks
 * them at once: no lookup finds them any more, but they keep their place in
 * the cache (and in blkmq_gcache_count()) until the caller has unmapped them
 * and called blkmq_gcache_remove() on each.  A pinned entry is never
 * picked, so fewer than @max may come back, even none when every entry is
 * in flight.
 *
 * Return: the number of victims stored in @victims.
 */
u32 blkmq_gcache_pick_victims(struct blkmq_gcache *gc,
			      struct blkmq_gcache_entry **victims, u32 max)
{
	u32 n = 0;

	while (n < max && gc->lru_tail != BLKMQ_GCACHE_NIL) {
		struct blkmq_gcache_entry *e = &gc->ents[gc->lru_tail];

		blkmq_gcache_lru_unlink(gc, e);
		blkmq_gcache_hash_unlink(gc, e);
		e->state = BLKMQ_GCACHE_DETACHED;
		victims[n++] = e;
	}
	gc->evictions += n;
	return n;
}

/**
 * blkmq_gcache_evict_want() - how many victims to pick before inserting
 * @gc: the cache
 * @need: grants about to be inserted (one request's fresh mappings)
 * @budget: evictions the caller still allows itself in this period
 *
 * Nothing while @need fits.  Otherwise the shortfall, but at least a whole
 * batch (BLKMQ_GCACHE_EVICT_BATCH, at most the capacity), so a working set
 * larger than the cache costs one unmap call per batch instead of one per
 * miss; and never more than @budget or the unpinned entries: what does not
 * fit is mapped one-shot.  With a budget refilled at a fixed rate, the
 * cache keeps a stable part of an oversized working set (which then hits)
 * instead of cycling through all of it (which, least recently used first,
 * never hits).
 *
 * Return: the number of victims to pick; 0 means insert what fits.
 */
u32 blkmq_gcache_evict_want(const struct blkmq_gcache *gc, u32 need, u32 budget)
{
	u32 room = blkmq_gcache_room(gc);
	u32 want, batch = gc->cap < BLKMQ_GCACHE_EVICT_BATCH ? gc->cap : BLKMQ_GCACHE_EVICT_BATCH;

	if (need <= room)
		return 0;
	want = need - room > batch ? need - room : batch;
	if (want > budget)
		want = budget;
	if (want > gc->used - gc->pinned)
		want = gc->used - gc->pinned;
	return want;
}

/**
 * blkmq_gcache_remove() - return an entry's slot to the free list
 * @gc: the cache
 * @e: a victim from blkmq_gcache_pick_victims(), or an unpinned cached
 *	entry; the caller has already unmapped its grant
 *
 * Return: 0; -EBUSY if @e is pinned; -EINVAL if @e is already free.
 * Nothing is changed on failure.
 */
int blkmq_gcache_remove(struct blkmq_gcache *gc, struct blkmq_gcache_entry *e)
{
	switch (e->state) {
	case BLKMQ_GCACHE_CACHED:
		if (e->pins)
			return -EBUSY;
		blkmq_gcache_lru_unlink(gc, e);
		blkmq_gcache_hash_unlink(gc, e);
		break;
	case BLKMQ_GCACHE_DETACHED:
		break;
	default:
		return -EINVAL;
	}
	e->state = BLKMQ_GCACHE_FREE;
	e->next = gc->free_head;
	gc->free_head = blkmq_gcache_idx(gc, e);
	gc->used--;
	return 0;
}

#ifndef __KERNEL__
/*
 * For the unit tests and the fuzzer only: the backend walks its entries
 * itself at teardown, and checks nothing at run time.
 */

/**
 * blkmq_gcache_next() - iterate over the entries in use
 * @gc: the cache
 * @prev: the entry last returned, or NULL to start
 *
 * For teardown: for (e = blkmq_gcache_next(gc, NULL); e;
 * e = blkmq_gcache_next(gc, e)) visits every cached entry and every picked
 * victim not yet removed, in no particular order; the loop body may
 * blkmq_gcache_remove() @e.
 *
 * Return: the next cached or picked entry after @prev, or NULL at the end.
 */
struct blkmq_gcache_entry *blkmq_gcache_next(struct blkmq_gcache *gc,
					     struct blkmq_gcache_entry *prev)
{
	u32 i = prev ? blkmq_gcache_idx(gc, prev) + 1 : 0;

	for (; i < gc->cap; i++)
		if (gc->ents[i].state != BLKMQ_GCACHE_FREE)
			return &gc->ents[i];
	return NULL;
}

/**
 * blkmq_gcache_check() - verify the cache's internal consistency
 * @gc: the cache
 *
 * For tests, fuzzers and debugging: walks every list (each bounded by the
 * capacity, so a corrupted list cannot loop) and recounts everything.
 * O(capacity + buckets).
 *
 * Return: NULL if consistent, else a description of the first problem.
 */
const char *blkmq_gcache_check(const struct blkmq_gcache *gc)
{
	u32 nbuckets = 1U << gc->hash_bits;
	u32 cached = 0, detached = 0, pinned = 0, unpinned = 0;
	u32 i, idx, prev, steps;

	for (i = 0; i < gc->cap; i++) {
		const struct blkmq_gcache_entry *e = &gc->ents[i];

		switch (e->state) {
		case BLKMQ_GCACHE_FREE:
			if (e->pins)
				return "free entry pinned";
			break;
		case BLKMQ_GCACHE_CACHED:
			cached++;
			if (e->pins)
				pinned++;
			else
				unpinned++;
			break;
		case BLKMQ_GCACHE_DETACHED:
			detached++;
			if (e->pins)
				return "victim pinned";
			break;
		default:
			return "bad entry state";
		}
	}
	if (cached + detached != gc->used)
		return "used count wrong";
	if (pinned != gc->pinned)
		return "pinned count wrong";
	if (gc->used > gc->cap)
		return "more entries used than capacity";

	/* Chains: only cached entries, in their own bucket, no cycle. */
	steps = 0;
	for (i = 0; i < nbuckets; i++) {
		for (idx = gc->buckets[i]; idx != BLKMQ_GCACHE_NIL;
		     idx = gc->ents[idx].hnext) {
			if (idx >= gc->cap || ++steps > cached)
				return "hash chain corrupt";
			if (gc->ents[idx].state != BLKMQ_GCACHE_CACHED)
				return "non-cached entry in hash chain";
			if (blkmq_gcache_bucket(gc, gc->ents[idx].gref) != i)
				return "entry in wrong bucket";
		}
	}
	if (steps != cached)
		return "cached entry missing from hash";
	for (i = 0; i < gc->cap; i++)
		if (gc->ents[i].state == BLKMQ_GCACHE_CACHED &&
		    blkmq_gcache_find(gc, gc->ents[i].gref) != &gc->ents[i])
			return "cached gref duplicated or not found";

	/* LRU: exactly the unpinned cached entries, links both ways. */
	steps = 0;
	prev = BLKMQ_GCACHE_NIL;
	for (idx = gc->lru_head; idx != BLKMQ_GCACHE_NIL;
	     idx = gc->ents[idx].next) {
		const struct blkmq_gcache_entry *e;

		if (idx >= gc->cap || ++steps > unpinned)
			return "LRU list corrupt";
		e = &gc->ents[idx];
		if (e->state != BLKMQ_GCACHE_CACHED || e->pins)
			return "pinned or uncached entry on LRU list";
		if (e->prev != prev)
			return "LRU back link wrong";
		prev = idx;
	}
	if (steps != unpinned || gc->lru_tail != prev)
		return "LRU list incomplete";

	steps = 0;
	for (idx = gc->free_head; idx != BLKMQ_GCACHE_NIL;
	     idx = gc->ents[idx].next) {
		if (idx >= gc->cap || ++steps > gc->cap - gc->used)
			return "free list corrupt";
		if (gc->ents[idx].state != BLKMQ_GCACHE_FREE)
			return "used entry on free list";
	}
	if (steps != gc->cap - gc->used)
		return "free list incomplete";
	return NULL;
}
#endif /* !__KERNEL__ */
