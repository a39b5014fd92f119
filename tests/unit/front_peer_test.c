// SPDX-License-Identifier: GPL-2.0-only
/*
 * front_peer_test.c - the frontend's checks of backend input (front-peer.c)
 *
 * Response producer indices (including wrap-around of the free-running
 * u32), single responses against the table of requests in flight, and the
 * backend's description of the disk key by key.
 */
#include "kshim.h"

#include "front-peer.h"
#include "check.h"

static void test_rsp_avail(void)
{
	u32 n = 77;

	CHECK_EQ(blkmq_front_rsp_avail(0, 0, 0, &n), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(blkmq_front_rsp_avail(5, 2, 9, &n), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(blkmq_front_rsp_avail(9, 2, 9, &n), 0);
	CHECK_EQ(n, 7);
	n = 77;
	/* past what was issued, and behind what was consumed */
	CHECK_EQ(blkmq_front_rsp_avail(10, 2, 9, &n), -ERANGE);
	CHECK_EQ(blkmq_front_rsp_avail(1, 2, 9, &n), -ERANGE);
	CHECK_EQ(blkmq_front_rsp_avail(0x80000000U, 0, 32, &n), -ERANGE);
	CHECK_EQ(n, 77);
	/* across the u32 wrap */
	CHECK_EQ(blkmq_front_rsp_avail(3, 0xfffffffeU, 10, &n), 0);
	CHECK_EQ(n, 5);
	CHECK_EQ(blkmq_front_rsp_avail(11, 0xfffffffeU, 10, &n), -ERANGE);
}

static void test_rsp_check(void)
{
	struct blkmq_front_slot slots[4] = {
		{ .busy = 1, .rsp_op = BLKMQ_OP_READ },
		{ .busy = 0, .rsp_op = BLKMQ_OP_WRITE },
		{ .busy = 1, .rsp_op = BLKMQ_OP_DISCARD },
		{ .busy = 1, .rsp_op = BLKMQ_OP_FLUSH_DISKCACHE },
	};
	struct blkmq_response r = { .id = 0, .operation = BLKMQ_OP_READ };

	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_OK);
	r.status = BLKMQ_RSP_ERROR;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_OK);
	r.status = BLKMQ_RSP_EOPNOTSUPP;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_OK);
	r.status = 1;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_STATUS);
	r.status = -3;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_STATUS);
	r.status = S16_MIN;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_STATUS);
	r.status = 0;
	r.operation = BLKMQ_OP_WRITE;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_OP);
	/* an indirect request is answered with its indirect_op */
	r.operation = BLKMQ_OP_INDIRECT;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_OP);
	r.id = 1;
	r.operation = BLKMQ_OP_WRITE;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_IDLE);
	r.id = 4;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_ID);
	r.id = 1ULL << 32;	/* would alias id 0 if truncated to u32 */
	r.operation = BLKMQ_OP_READ;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_ID);
	r.id = U64_MAX;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_ID);
	r.id = 2;
	r.operation = BLKMQ_OP_DISCARD;
	r.status = BLKMQ_RSP_EOPNOTSUPP;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_OK);
	r.id = 3;
	r.operation = BLKMQ_OP_WRITE_BARRIER;
	CHECK_EQ(blkmq_front_rsp_check(&r, slots, 4), BLKMQ_FRSP_E_OP);
	CHECK(blkmq_front_rsp_err_str(BLKMQ_FRSP_E_OP)[0] != '\0');
	CHECK(blkmq_front_rsp_err_str((enum blkmq_front_rsp_err)99)[0]);
}

static struct blkmq_back_keys base_keys(void)
{
	struct blkmq_back_keys k = {
		.sectors = "2097152",
		.sector_size = "512",
	};
	return k;
}

static void test_disk_minimal(void)
{
	struct blkmq_back_keys k = base_keys();
	struct blkmq_front_disk d;

	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.sectors, 2097152);
	CHECK_EQ(d.sector_size, 512);
	CHECK_EQ(d.physical_sector_size, 512);
	CHECK_EQ(d.info, 0);
	CHECK(!d.feat.persistent && !d.feat.flush && !d.feat.barrier);
	CHECK(!d.feat.discard && !d.feat.discard_secure);
	CHECK_EQ(d.feat.max_indirect_segs, 0);
}

static void test_disk_full(void)
{
	struct blkmq_back_keys k = {
		.sectors = "0", .info = "7", .sector_size = "4096",
		.physical_sector_size = "4096", .persistent = "1",
		.max_indirect = "256", .flush = "1", .barrier = "0",
		.discard = "1", .discard_granularity = "8192",
		.discard_alignment = "4096", .discard_secure = "1",
	};
	struct blkmq_front_disk d;

	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.sectors, 0);
	CHECK_EQ(d.info, BLKMQ_VDISK_CDROM | BLKMQ_VDISK_REMOVABLE |
		 BLKMQ_VDISK_READONLY);
	CHECK_EQ(d.sector_size, 4096);
	CHECK(d.feat.persistent && d.feat.flush && !d.feat.barrier);
	CHECK(d.feat.discard && d.feat.discard_secure);
	CHECK_EQ(d.feat.max_indirect_segs, 256);
	CHECK_EQ(d.discard_granularity, 8192);
	CHECK_EQ(d.discard_alignment, 4096);

	/* unknown info bits dropped; alignment not below granularity */
	k.info = "4294967295";
	k.discard_alignment = "8192";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.info, 7);
	CHECK_EQ(d.discard_alignment, 0);
	/* a granularity or alignment in part-blocks (4096 here) is dropped */
	k.discard_granularity = "6144";
	k.discard_alignment = "4096";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.discard_granularity, 0);
	CHECK_EQ(d.discard_alignment, 0);
	k.discard_granularity = "16384";
	k.discard_alignment = "512";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.discard_granularity, 16384);
	CHECK_EQ(d.discard_alignment, 0);
	k.discard_alignment = "12288";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.discard_alignment, 12288);
	/* discard-secure without discard means nothing */
	k.discard = "0";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK(!d.feat.discard_secure);
	CHECK_EQ(d.discard_granularity, 0);
}

static void test_disk_indirect(void)
{
	struct blkmq_back_keys k = base_keys();
	struct blkmq_front_disk d;

	k.max_indirect = "11";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.feat.max_indirect_segs, 0);
	k.max_indirect = "12";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.feat.max_indirect_segs, 12);
	k.max_indirect = "4294967295";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);
	CHECK_EQ(d.feat.max_indirect_segs, BLKMQ_MAX_INDIRECT_SEGMENTS);
	k.max_indirect = "4294967296";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_NUMBER);
	k.max_indirect = "-1";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_NUMBER);
}

static void test_disk_refused(void)
{
	static const char *const bad_sizes[] = {
		"0", "256", "511", "513", "1000", "8192", "65536", "", "512 ",
		"0x200", "4294967808",
	};
	struct blkmq_back_keys k = base_keys();
	struct blkmq_front_disk d;
	unsigned int i;

	k.sectors = NULL;
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_SECTORS);
	k.sectors = "1x";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_SECTORS);
	k.sectors = "36028797018963968";	/* 2^55: bytes overflow */
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_SECTORS);
	k.sectors = "36028797018963967";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);

	k = base_keys();
	k.sector_size = NULL;
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_SECTOR_SIZE);
	for (i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
		k.sector_size = bad_sizes[i];
		CHECK_EQ(blkmq_front_disk_parse(&k, &d),
			 BLKMQ_FDISK_E_SECTOR_SIZE);
	}

	k = base_keys();
	k.sector_size = "4096";
	k.physical_sector_size = "512";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_PHYS_SIZE);
	k.physical_sector_size = "12288";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_PHYS_SIZE);
	k.physical_sector_size = "x";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_PHYS_SIZE);
	k.physical_sector_size = "65536";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_OK);

	k = base_keys();
	k.flush = "yes";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_NUMBER);
	k = base_keys();
	k.info = " 4";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_NUMBER);
	k = base_keys();
	k.discard_granularity = "4k";
	CHECK_EQ(blkmq_front_disk_parse(&k, &d), BLKMQ_FDISK_E_NUMBER);
	CHECK(blkmq_front_disk_err_str(BLKMQ_FDISK_E_NUMBER)[0] != '\0');
	CHECK(blkmq_front_disk_err_str(BLKMQ_FDISK_E_NR)[0] != '\0');
}

int main(void)
{
	RUN(test_rsp_avail);
	RUN(test_rsp_check);
	RUN(test_disk_minimal);
	RUN(test_disk_full);
	RUN(test_disk_indirect);
	RUN(test_disk_refused);
	return check_done("front_peer_test");
}
