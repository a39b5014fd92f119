/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gcache.h - the backend's persistent-grant cache, one per ring (pure logic)
 *
 * With feature-persistent the frontend keeps reusing the same grants, so
 * the backend keeps them mapped and finds the mapping by grant reference
 * instead of mapping and unmapping for every request.  A hostile frontend
 * can instead send fresh references forever, so the cache has a fixed
 * capacity and evicts the least recently used grants that no request is
 * using ("pinned").
 *
 * Ownership: one ring kthread owns a cache; nothing here takes a lock, and
 * completion context must hand unpins back to that kthread.
 *
 * Memory: the caller embeds a struct blkmq_gcache in its ring, allocates
 * blkmq_gcache_mem_size(cap) bytes for the entries and hash buckets,
 * aligned for a u64 (kvmalloc() does; they need not be zeroed), hands both
 * to blkmq_gcache_init(), and frees the memory (kvfree()) after unmapping
 * every entry.  Nothing is allocated in between, so no operation can fail
 * for lack of memory.
 *
 * Layout: an array of cap entries; open hashing with chains linked by u32
 * index through the entries, in a power-of-two bucket array at least as
 * large as cap; a free list and an LRU list linked the same way.  Lookup,
 * insert and unpin are O(1) expected, eviction O(1) per victim.  The hash
 * multiplier is derived from a seed the caller supplies (random in the
 * kernel), so a guest cannot choose references that share one chain.
 *
 * The LRU list holds only unpinned entries: an entry leaves it when a lookup
 * pins it and rejoins at the most recently used end when its last pin goes,
 * so "recently used" means "recently finished with" (as Linux's xen-blkback
 * stamps last_used when a grant is put), and eviction never has to step
 * over pinned entries.
 *
 * Typical use for one request: blkmq_gcache_lookup() each segment's gref;
 * for the misses, ask blkmq_gcache_evict_want() how many to evict and pick
 * that many with blkmq_gcache_pick_victims() (unpinned LRU
 * entries, unhooked at once so no later lookup finds them), unmap those in
 * one batch and blkmq_gcache_remove() them; map the misses in one batch and
 * blkmq_gcache_insert() each new mapping (when that fails, the cache is
 * full of grants in flight or already holds that grant: unmap the mapping
 * after the I/O, as without persistent grants); after the I/O,
 * blkmq_gcache_unpin() every entry used.  Teardown: once nothing is in
 * flight, every entry is unpinned, so blkmq_gcache_pick_victims() returns
 * them all.
 */
#ifndef XEN_BLKMQ_GCACHE_H
#define XEN_BLKMQ_GCACHE_H

#include "pure.h"

/* Largest capacity; keeps every index below BLKMQ_GCACHE_NIL. */
#define BLKMQ_GCACHE_MAX_CAP	0x100000U /* 2^20 */

/* Victims picked at once when the cache must make room (one unmap call). */
#define BLKMQ_GCACHE_EVICT_BATCH	32U

/* "No entry" in the index links. */
#define BLKMQ_GCACHE_NIL	U32_MAX

/**
 * struct blkmq_gcache_entry - one cached grant mapping
 * @page: the caller's: page the grant is mapped into
 * @dev_bus_addr: the caller's: bus address from the map operation
 * @handle: the caller's: grant handle from the map operation
 * @gref: the grant reference; read-only for the caller
 * @pins: requests in flight using this entry; read-only for the caller
 * @hnext: private: next entry in the hash chain
 * @prev: private: previous entry in the LRU list
 * @next: private: next entry in the LRU list or the free list
 * @state: private: enum blkmq_gcache_state
 *
 * The three payload fields are zero after blkmq_gcache_insert(); the cache
 * never looks at them.
 */
struct blkmq_gcache_entry {
	void *page;
	u64 dev_bus_addr;
	u32 handle;
	u32 gref;
	u32 pins;
	u32 hnext;
	u32 prev;
	u32 next;
	u8 state;
};

/**
 * struct blkmq_gcache - a persistent-grant cache
 * @ents: the entries (in the caller's memory)
 * @buckets: hash chain heads (in the caller's memory, after @ents)
 * @cap: capacity, in entries
 * @hash_bits: log2 of the number of buckets
 * @hash_mul: odd multiplier of the hash, from the seed
 * @used: entries not free: cached ones plus victims not yet removed
 * @pinned: entries with @pins > 0
 * @free_head: first free entry
 * @lru_head: most recently unpinned entry
 * @lru_tail: least recently unpinned entry, the next victim
 * @hits: lookups that found the grant
 * @misses: lookups that did not
 * @inserts: entries inserted
 * @evictions: victims picked
 * @full: inserts refused because the cache was full
 *
 * The counters only grow; the owning thread may read any field directly
 * (others only for statistics, with READ_ONCE()).
 */
struct blkmq_gcache {
	struct blkmq_gcache_entry *ents;
	u32 *buckets;
	u32 cap;
	u32 hash_bits;
	u32 hash_mul;
	u32 used;
	u32 pinned;
	u32 free_head;
	u32 lru_head;
	u32 lru_tail;
	u64 hits;
	u64 misses;
	u64 inserts;
	u64 evictions;
	u64 full;
};

/**
 * blkmq_gcache_count() - entries in use
 * @gc: the cache
 *
 * Return: cached entries plus picked victims not yet removed.
 */
static inline u32 blkmq_gcache_count(const struct blkmq_gcache *gc)
{
	return gc->used;
}

/**
 * blkmq_gcache_room() - entries that can be inserted without evicting
 * @gc: the cache
 *
 * Return: capacity minus blkmq_gcache_count().
 */
static inline u32 blkmq_gcache_room(const struct blkmq_gcache *gc)
{
	return gc->cap - gc->used;
}

size_t blkmq_gcache_mem_size(u32 cap);
int blkmq_gcache_init(struct blkmq_gcache *gc, void *mem, u32 cap, u32 seed);
struct blkmq_gcache_entry *blkmq_gcache_lookup(struct blkmq_gcache *gc,
					       u32 gref);
int blkmq_gcache_insert(struct blkmq_gcache *gc, u32 gref,
			struct blkmq_gcache_entry **out);
int blkmq_gcache_unpin(struct blkmq_gcache *gc, struct blkmq_gcache_entry *e);
u32 blkmq_gcache_pick_victims(struct blkmq_gcache *gc,
			      struct blkmq_gcache_entry **victims, u32 max);
int blkmq_gcache_remove(struct blkmq_gcache *gc, struct blkmq_gcache_entry *e);
u32 blkmq_gcache_evict_want(const struct blkmq_gcache *gc, u32 need, u32 budget);
#ifndef __KERNEL__
/* for the tests only (not in the module) */
struct blkmq_gcache_entry *blkmq_gcache_next(struct blkmq_gcache *gc,
					     struct blkmq_gcache_entry *prev);
const char *blkmq_gcache_check(const struct blkmq_gcache *gc);
#endif

#endif /* XEN_BLKMQ_GCACHE_H */
