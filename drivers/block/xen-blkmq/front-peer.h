/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * front-peer.h - the frontend's checks of what its backend wrote (pure logic)
 *
 * Everything the backend controls reaches the frontend through these
 * functions: the response producer index, each response (copied out of the
 * ring once, by the caller), and the XenStore keys that describe the disk.
 * They build in the kernel and in userspace (unit tests, fuzzers), so they
 * hold no kernel state: the caller passes the little it needs, such as the
 * table of ring slots in flight.
 */
#ifndef XEN_BLKMQ_FRONT_PEER_H
#define XEN_BLKMQ_FRONT_PEER_H

#include "pure.h"
#include "common.h"

/**
 * struct blkmq_front_slot - what the response checker knows of one request id
 * @busy: a request with this id is on the ring, waiting for its response
 * @rsp_op: the operation its response must carry (for an indirect request,
 *	the indirect_op)
 */
struct blkmq_front_slot {
	u8 busy;
	u8 rsp_op;
};

/**
 * enum blkmq_front_rsp_err - what is wrong with a response
 * @BLKMQ_FRSP_OK: nothing; the status is OKAY, ERROR or EOPNOTSUPP
 * @BLKMQ_FRSP_E_ID: the id is not a slot of this ring
 * @BLKMQ_FRSP_E_IDLE: no request with this id is waiting (never issued, or
 *	answered already)
 * @BLKMQ_FRSP_E_OP: the operation is not the request's
 * @BLKMQ_FRSP_E_STATUS: the status is none of the three defined values; the
 *	request is failed but the ring stays usable
 */
enum blkmq_front_rsp_err {
	BLKMQ_FRSP_OK = 0,
	BLKMQ_FRSP_E_ID,
	BLKMQ_FRSP_E_IDLE,
	BLKMQ_FRSP_E_OP,
	BLKMQ_FRSP_E_STATUS,
};

/**
 * struct blkmq_front_disk - the backend's description of the disk, checked
 * @sectors: size in 512-byte sectors
 * @info: BLKMQ_VDISK_* bits (unknown bits dropped)
 * @sector_size: logical block size, a power of two from 512 to 4096
 * @physical_sector_size: a power of two, at least @sector_size (absent
 *	means @sector_size)
 * @discard_granularity: bytes, whole logical blocks; 0 means "use the
 *	physical sector size"
 * @discard_alignment: bytes, whole logical blocks, below
 *	@discard_granularity (or 0)
 * @feat: the features and limits the backend offers; max_queues and
 *	ring_order are not filled here (they are read at InitWait)
 */
struct blkmq_front_disk {
	u64 sectors;
	u32 info;
	u32 sector_size;
	u32 physical_sector_size;
	u32 discard_granularity;
	u32 discard_alignment;
	struct blkmq_features feat;
};

/**
 * struct blkmq_back_keys - backend keys read at Connected, NULL when absent
 * @sectors: "sectors"
 * @info: "info"
 * @sector_size: "sector-size"
 * @physical_sector_size: "physical-sector-size"
 * @persistent: "feature-persistent"
 * @max_indirect: "feature-max-indirect-segments"
 * @flush: "feature-flush-cache"
 * @barrier: "feature-barrier"
 * @discard: "feature-discard"
 * @discard_granularity: "discard-granularity"
 * @discard_alignment: "discard-alignment"
 * @discard_secure: "discard-secure"
 */
struct blkmq_back_keys {
	const char *sectors;
	const char *info;
	const char *sector_size;
	const char *physical_sector_size;
	const char *persistent;
	const char *max_indirect;
	const char *flush;
	const char *barrier;
	const char *discard;
	const char *discard_granularity;
	const char *discard_alignment;
	const char *discard_secure;
};

/**
 * enum blkmq_front_disk_err - why the backend's disk description is refused
 * @BLKMQ_FDISK_OK: it is not
 * @BLKMQ_FDISK_E_SECTORS: "sectors" absent, not a number, or so large that
 *	the byte size overflows 64 bits
 * @BLKMQ_FDISK_E_SECTOR_SIZE: "sector-size" absent, not a number, not a
 *	power of two or outside 512..4096
 * @BLKMQ_FDISK_E_PHYS_SIZE: "physical-sector-size" not a number, not a
 *	power of two or below sector-size
 * @BLKMQ_FDISK_E_NUMBER: another key holds something that is not a number
 *	(info, feature-*, discard-*)
 * @BLKMQ_FDISK_E_NR: number of codes, not a code
 */
enum blkmq_front_disk_err {
	BLKMQ_FDISK_OK = 0,
	BLKMQ_FDISK_E_SECTORS,
	BLKMQ_FDISK_E_SECTOR_SIZE,
	BLKMQ_FDISK_E_PHYS_SIZE,
	BLKMQ_FDISK_E_NUMBER,
	BLKMQ_FDISK_E_NR,
};

int blkmq_front_rsp_avail(u32 rsp_prod, u32 rsp_cons, u32 req_pushed,
			  u32 *avail);
enum blkmq_front_rsp_err blkmq_front_rsp_check(const struct blkmq_response *rsp,
					       const struct blkmq_front_slot *slots,
					       u32 nr_slots);
enum blkmq_front_disk_err blkmq_front_disk_parse(const struct blkmq_back_keys *k,
						 struct blkmq_front_disk *out);
const char *blkmq_front_disk_err_str(enum blkmq_front_disk_err err);
const char *blkmq_front_rsp_err_str(enum blkmq_front_rsp_err err);

#endif /* XEN_BLKMQ_FRONT_PEER_H */
