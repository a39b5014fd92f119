// SPDX-License-Identifier: GPL-2.0-only
/*
 * abi_test.c - compare xen-blkmq's wire header with Xen's public blkif.h
 *
 * Both headers are included here, so this also proves they coexist.  For
 * every structure, each field's offset and size is compared with Xen's,
 * and the fields we name must cover every byte (no hidden padding).  Then
 * the constants, the protocol names, the ring sizes for orders 0..10, the
 * XenStore key names (each must appear in Xen's header text), the vdevice
 * helpers and the x86_32 layout (against xen32_layout.c).
 *
 * Prints "ok   <group>" per group, "FAIL <group>: <what>: ours=X xen=Y" per
 * mismatch, and "abi: N checks, M failed" last.  Exits 1 on any failure.
 */
#include "kshim.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/blkif.h>
#include <xen/io/protocols.h>

#include <xen/interface/io/blkmq-if.h>
#include "common.h"
#include "xen32_layout.h"

#ifndef XEN_BLKIF_H_PATH
#define XEN_BLKIF_H_PATH "/usr/include/xen/io/blkif.h"
#endif

static unsigned int total_checks, total_failed;

static struct {
	const char *name;
	unsigned int checks;
	unsigned int failed;
	unsigned long covered;	/* bytes of our struct named by fields */
} grp;

static void group_begin(const char *name)
{
	memset(&grp, 0, sizeof(grp));
	grp.name = name;
}

static void group_end(void)
{
	if (!grp.failed)
		printf("ok   %s (%u checks)\n", grp.name, grp.checks);
}

static void count(int good)
{
	grp.checks++;
	total_checks++;
	if (!good) {
		grp.failed++;
		total_failed++;
	}
}

static void expect(const char *what, long long ours, long long xen)
{
	count(ours == xen);
	if (ours != xen)
		printf("FAIL %s: %s: ours=%lld xen=%lld\n",
		       grp.name, what, ours, xen);
}

static void expect_field_size(const char *what, size_t ours, size_t xen)
{
	grp.covered += ours;
	expect(what, ours, xen);
}

static void expect_str(const char *what, const char *ours, const char *xen)
{
	int good = strcmp(ours, xen) == 0;

	count(good);
	if (!good)
		printf("FAIL %s: %s: ours=\"%s\" xen=\"%s\"\n",
		       grp.name, what, ours, xen);
}

/* Both sides have the field at the same offset. */
#define SAME_OFF(ot, of, xt, xf) \
	expect(#of " offset", offsetof(ot, of), offsetof(xt, xf))

/* Both sides give the field the same size; counts towards coverage. */
#define SAME_SIZE(ot, of, xt, xf)				\
	expect_field_size(#of " size", sizeof_field(ot, of),	\
			  sizeof_field(xt, xf))

/* A padding field only we name; counts towards coverage. */
#define PAD_FIELD(ot, of) (grp.covered += sizeof_field(ot, of))

/* The fields named so far must account for every byte of @ot. */
#define FULLY_COVERED(ot) \
	expect("bytes named by fields", grp.covered, sizeof(ot))

static void check_segment(void)
{
	group_begin("struct blkmq_segment vs blkif_request_segment");
	expect("sizeof", sizeof(struct blkmq_segment),
	       sizeof(struct blkif_request_segment));
	SAME_OFF(struct blkmq_segment, gref,
		 struct blkif_request_segment, gref);
	SAME_SIZE(struct blkmq_segment, gref,
		  struct blkif_request_segment, gref);
	SAME_OFF(struct blkmq_segment, first_sect,
		 struct blkif_request_segment, first_sect);
	SAME_SIZE(struct blkmq_segment, first_sect,
		  struct blkif_request_segment, first_sect);
	SAME_OFF(struct blkmq_segment, last_sect,
		 struct blkif_request_segment, last_sect);
	SAME_SIZE(struct blkmq_segment, last_sect,
		  struct blkif_request_segment, last_sect);
	PAD_FIELD(struct blkmq_segment, _pad0);
	FULLY_COVERED(struct blkmq_segment);
	group_end();
}

static void check_request(void)
{
	group_begin("struct blkmq_request vs blkif_request");
	expect("sizeof", sizeof(struct blkmq_request),
	       sizeof(struct blkif_request));
	SAME_OFF(struct blkmq_request, operation,
		 struct blkif_request, operation);
	SAME_SIZE(struct blkmq_request, operation,
		  struct blkif_request, operation);
	SAME_OFF(struct blkmq_request, nr_segments,
		 struct blkif_request, nr_segments);
	SAME_SIZE(struct blkmq_request, nr_segments,
		  struct blkif_request, nr_segments);
	SAME_OFF(struct blkmq_request, handle,
		 struct blkif_request, handle);
	SAME_SIZE(struct blkmq_request, handle,
		  struct blkif_request, handle);
	PAD_FIELD(struct blkmq_request, _pad0);
	SAME_OFF(struct blkmq_request, id, struct blkif_request, id);
	SAME_SIZE(struct blkmq_request, id, struct blkif_request, id);
	SAME_OFF(struct blkmq_request, sector_number,
		 struct blkif_request, sector_number);
	SAME_SIZE(struct blkmq_request, sector_number,
		  struct blkif_request, sector_number);
	SAME_OFF(struct blkmq_request, seg, struct blkif_request, seg);
	SAME_SIZE(struct blkmq_request, seg, struct blkif_request, seg);
	FULLY_COVERED(struct blkmq_request);
	group_end();
}

static void check_discard(void)
{
	group_begin("struct blkmq_request_discard vs blkif_request_discard");
	expect("sizeof", sizeof(struct blkmq_request_discard),
	       sizeof(struct blkif_request_discard));
	SAME_OFF(struct blkmq_request_discard, operation,
		 struct blkif_request_discard, operation);
	SAME_SIZE(struct blkmq_request_discard, operation,
		  struct blkif_request_discard, operation);
	SAME_OFF(struct blkmq_request_discard, flag,
		 struct blkif_request_discard, flag);
	SAME_SIZE(struct blkmq_request_discard, flag,
		  struct blkif_request_discard, flag);
	SAME_OFF(struct blkmq_request_discard, handle,
		 struct blkif_request_discard, handle);
	SAME_SIZE(struct blkmq_request_discard, handle,
		  struct blkif_request_discard, handle);
	PAD_FIELD(struct blkmq_request_discard, _pad0);
	SAME_OFF(struct blkmq_request_discard, id,
		 struct blkif_request_discard, id);
	SAME_SIZE(struct blkmq_request_discard, id,
		  struct blkif_request_discard, id);
	SAME_OFF(struct blkmq_request_discard, sector_number,
		 struct blkif_request_discard, sector_number);
	SAME_SIZE(struct blkmq_request_discard, sector_number,
		  struct blkif_request_discard, sector_number);
	SAME_OFF(struct blkmq_request_discard, nr_sectors,
		 struct blkif_request_discard, nr_sectors);
	SAME_SIZE(struct blkmq_request_discard, nr_sectors,
		  struct blkif_request_discard, nr_sectors);
	FULLY_COVERED(struct blkmq_request_discard);
	group_end();
}

/* Xen's public header has no "other" view; it is blkif_request's prefix. */
static void check_other(void)
{
	group_begin("struct blkmq_request_other vs blkif_request prefix");
	expect("sizeof", sizeof(struct blkmq_request_other),
	       offsetof(struct blkif_request, id) +
	       sizeof_field(struct blkif_request, id));
	SAME_OFF(struct blkmq_request_other, operation,
		 struct blkif_request, operation);
	SAME_SIZE(struct blkmq_request_other, operation,
		  struct blkif_request, operation);
	PAD_FIELD(struct blkmq_request_other, _pad0);
	PAD_FIELD(struct blkmq_request_other, _pad1);
	PAD_FIELD(struct blkmq_request_other, _pad2);
	SAME_OFF(struct blkmq_request_other, id, struct blkif_request, id);
	SAME_SIZE(struct blkmq_request_other, id, struct blkif_request, id);
	FULLY_COVERED(struct blkmq_request_other);
	/* The prefix is common to every request Xen defines. */
	expect("discard id offset", offsetof(struct blkmq_request_other, id),
	       offsetof(struct blkif_request_discard, id));
	expect("indirect id offset", offsetof(struct blkmq_request_other, id),
	       offsetof(struct blkif_request_indirect, id));
	group_end();
}

static void check_indirect(void)
{
	group_begin("struct blkmq_request_indirect vs blkif_request_indirect");
	expect("sizeof", sizeof(struct blkmq_request_indirect),
	       sizeof(struct blkif_request_indirect));
	SAME_OFF(struct blkmq_request_indirect, operation,
		 struct blkif_request_indirect, operation);
	SAME_SIZE(struct blkmq_request_indirect, operation,
		  struct blkif_request_indirect, operation);
	SAME_OFF(struct blkmq_request_indirect, indirect_op,
		 struct blkif_request_indirect, indirect_op);
	SAME_SIZE(struct blkmq_request_indirect, indirect_op,
		  struct blkif_request_indirect, indirect_op);
	SAME_OFF(struct blkmq_request_indirect, nr_segments,
		 struct blkif_request_indirect, nr_segments);
	SAME_SIZE(struct blkmq_request_indirect, nr_segments,
		  struct blkif_request_indirect, nr_segments);
	PAD_FIELD(struct blkmq_request_indirect, _pad0);
	SAME_OFF(struct blkmq_request_indirect, id,
		 struct blkif_request_indirect, id);
	SAME_SIZE(struct blkmq_request_indirect, id,
		  struct blkif_request_indirect, id);
	SAME_OFF(struct blkmq_request_indirect, sector_number,
		 struct blkif_request_indirect, sector_number);
	SAME_SIZE(struct blkmq_request_indirect, sector_number,
		  struct blkif_request_indirect, sector_number);
	SAME_OFF(struct blkmq_request_indirect, handle,
		 struct blkif_request_indirect, handle);
	SAME_SIZE(struct blkmq_request_indirect, handle,
		  struct blkif_request_indirect, handle);
	PAD_FIELD(struct blkmq_request_indirect, _pad1);
	SAME_OFF(struct blkmq_request_indirect, indirect_grefs,
		 struct blkif_request_indirect, indirect_grefs);
	SAME_SIZE(struct blkmq_request_indirect, indirect_grefs,
		  struct blkif_request_indirect, indirect_grefs);
	PAD_FIELD(struct blkmq_request_indirect, _pad2);
	FULLY_COVERED(struct blkmq_request_indirect);
	group_end();
}

static void check_response(void)
{
	__typeof__(((struct blkmq_response *)0)->status) ours_status;
	__typeof__(((struct blkif_response *)0)->status) xen_status;

	group_begin("struct blkmq_response vs blkif_response");
	expect("sizeof", sizeof(struct blkmq_response),
	       sizeof(struct blkif_response));
	SAME_OFF(struct blkmq_response, id, struct blkif_response, id);
	SAME_SIZE(struct blkmq_response, id, struct blkif_response, id);
	SAME_OFF(struct blkmq_response, operation,
		 struct blkif_response, operation);
	SAME_SIZE(struct blkmq_response, operation,
		  struct blkif_response, operation);
	PAD_FIELD(struct blkmq_response, _pad0);
	SAME_OFF(struct blkmq_response, status,
		 struct blkif_response, status);
	SAME_SIZE(struct blkmq_response, status,
		  struct blkif_response, status);
	PAD_FIELD(struct blkmq_response, _pad1);
	FULLY_COVERED(struct blkmq_response);
	/* Both must be signed: -1 has to survive the round trip. */
	ours_status = (__typeof__(ours_status))(-1);
	xen_status = (__typeof__(xen_status))(-1);
	expect("status signedness", ours_status, xen_status);
	group_end();
}

static void check_sring(void)
{
	group_begin("struct blkmq_sring vs blkif_sring");
	expect("request union sizeof", sizeof(union blkmq_request_any),
	       sizeof(struct blkif_request));
	expect("entry sizeof", sizeof(union blkmq_sring_entry),
	       sizeof(union blkif_sring_entry));
	expect("BLKMQ_SRING_ENTRY_SIZE", BLKMQ_SRING_ENTRY_SIZE,
	       sizeof(union blkif_sring_entry));
	SAME_OFF(struct blkmq_sring, req_prod, struct blkif_sring, req_prod);
	SAME_SIZE(struct blkmq_sring, req_prod, struct blkif_sring, req_prod);
	SAME_OFF(struct blkmq_sring, req_event,
		 struct blkif_sring, req_event);
	SAME_SIZE(struct blkmq_sring, req_event,
		  struct blkif_sring, req_event);
	SAME_OFF(struct blkmq_sring, rsp_prod, struct blkif_sring, rsp_prod);
	SAME_SIZE(struct blkmq_sring, rsp_prod, struct blkif_sring, rsp_prod);
	SAME_OFF(struct blkmq_sring, rsp_event,
		 struct blkif_sring, rsp_event);
	SAME_SIZE(struct blkmq_sring, rsp_event,
		  struct blkif_sring, rsp_event);
	SAME_OFF(struct blkmq_sring, _pvt, struct blkif_sring, pvt);
	SAME_SIZE(struct blkmq_sring, _pvt, struct blkif_sring, pvt);
	SAME_OFF(struct blkmq_sring, _pad0, struct blkif_sring, __pad);
	SAME_SIZE(struct blkmq_sring, _pad0, struct blkif_sring, __pad);
	expect("ring offset", offsetof(struct blkmq_sring, ring),
	       offsetof(struct blkif_sring, ring));
	expect("BLKMQ_SRING_HDR_SIZE", BLKMQ_SRING_HDR_SIZE,
	       offsetof(struct blkif_sring, ring));
	expect("ring[0] size", sizeof_field(struct blkmq_sring, ring[0]),
	       sizeof_field(struct blkif_sring, ring[0]));
	FULLY_COVERED(struct blkmq_sring);
	group_end();
}

static void check_constants(void)
{
	group_begin("constants vs BLKIF_* / VDISK_*");
	expect("OP_READ", BLKMQ_OP_READ, BLKIF_OP_READ);
	expect("OP_WRITE", BLKMQ_OP_WRITE, BLKIF_OP_WRITE);
	expect("OP_WRITE_BARRIER", BLKMQ_OP_WRITE_BARRIER,
	       BLKIF_OP_WRITE_BARRIER);
	expect("OP_FLUSH_DISKCACHE", BLKMQ_OP_FLUSH_DISKCACHE,
	       BLKIF_OP_FLUSH_DISKCACHE);
	expect("OP_RESERVED_1", BLKMQ_OP_RESERVED_1, BLKIF_OP_RESERVED_1);
	expect("OP_DISCARD", BLKMQ_OP_DISCARD, BLKIF_OP_DISCARD);
	expect("OP_INDIRECT", BLKMQ_OP_INDIRECT, BLKIF_OP_INDIRECT);
	expect("MAX_SEGMENTS_PER_REQUEST", BLKMQ_MAX_SEGMENTS_PER_REQUEST,
	       BLKIF_MAX_SEGMENTS_PER_REQUEST);
	expect("MAX_INDIRECT_PAGES", BLKMQ_MAX_INDIRECT_PAGES,
	       BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
	expect("SEGS_PER_INDIRECT_PAGE", BLKMQ_SEGS_PER_INDIRECT_PAGE,
	       4096 / sizeof(struct blkif_request_segment));
	expect("MAX_INDIRECT_SEGMENTS", BLKMQ_MAX_INDIRECT_SEGMENTS,
	       BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST *
	       (4096 / sizeof(struct blkif_request_segment)));
	expect("DISCARD_SECURE", BLKMQ_DISCARD_SECURE, BLKIF_DISCARD_SECURE);
	expect("RSP_OKAY", BLKMQ_RSP_OKAY, BLKIF_RSP_OKAY);
	expect("RSP_ERROR", BLKMQ_RSP_ERROR, BLKIF_RSP_ERROR);
	expect("RSP_EOPNOTSUPP", BLKMQ_RSP_EOPNOTSUPP, BLKIF_RSP_EOPNOTSUPP);
	expect("VDISK_CDROM", BLKMQ_VDISK_CDROM, VDISK_CDROM);
	expect("VDISK_REMOVABLE", BLKMQ_VDISK_REMOVABLE, VDISK_REMOVABLE);
	expect("VDISK_READONLY", BLKMQ_VDISK_READONLY, VDISK_READONLY);
	/* No Xen macro for these; the protocol fixes them. */
	expect("SECTOR_SHIFT", BLKMQ_SECTOR_SHIFT, 9);
	expect("SECTOR_SIZE", BLKMQ_SECTOR_SIZE, 512);
	expect("PAGE_SIZE", BLKMQ_PAGE_SIZE, 4096);
	expect("SECTORS_PER_PAGE", BLKMQ_SECTORS_PER_PAGE, 8);
	group_end();

	group_begin("protocol names vs XEN_IO_PROTO_ABI_*");
	expect_str("X86_32", BLKMQ_PROTO_X86_32, XEN_IO_PROTO_ABI_X86_32);
	expect_str("X86_64", BLKMQ_PROTO_X86_64, XEN_IO_PROTO_ABI_X86_64);
	expect_str("ARM", BLKMQ_PROTO_ARM, XEN_IO_PROTO_ABI_ARM);
	/* BLKMQ_PROTO_NATIVE needs CONFIG_*; abi.h pins it in the kernel. */
	group_end();
}

static void check_rings(void)
{
	static const unsigned long want[] = { 32, 64, 128, 256, 512 };
	char what[64];
	unsigned int o;

	group_begin("ring entries vs __CONST_RING_SIZE, orders 0..10");
	for (o = 0; o <= 10; o++) {
		snprintf(what, sizeof(what), "order %u", o);
		expect(what, BLKMQ_RING_ENTRIES(o),
		       __CONST_RING_SIZE(blkif, 4096UL << o));
	}
	group_end();

	group_begin("ring entries vs 32/64/128/256/512, orders 0..4");
	for (o = 0; o < ARRAY_SIZE(want); o++) {
		snprintf(what, sizeof(what), "order %u", o);
		expect(what, BLKMQ_RING_ENTRIES(o), want[o]);
	}
	expect("BLKMQ_RING_ORDER_MAX", BLKMQ_RING_ORDER_MAX, 4);
	group_end();
}

/*
 * Each key must appear in Xen's header as a whole token (not as part of a
 * longer key).  Format keys are checked through an expansion that Xen's
 * header spells out.
 */
static const char *const xs_keys[] = {
	BLKMQ_XS_MODE, BLKMQ_XS_PHYSICAL_DEVICE, BLKMQ_XS_DISCARD_ENABLE,
	BLKMQ_XS_VIRTUAL_DEVICE, BLKMQ_XS_DEVICE_TYPE, BLKMQ_XS_TRUSTED,
	BLKMQ_XS_DEVICE_TYPE_CDROM,
	BLKMQ_XS_MQ_MAX_QUEUES, BLKMQ_XS_MQ_NUM_QUEUES,
	BLKMQ_XS_MAX_RING_PAGE_ORDER, BLKMQ_XS_RING_PAGE_ORDER,
	BLKMQ_XS_RING_REF, BLKMQ_XS_RING_REF_FMT, BLKMQ_XS_EVENT_CHANNEL,
	BLKMQ_XS_PROTOCOL,
	BLKMQ_XS_FEATURE_PERSISTENT, BLKMQ_XS_FEATURE_MAX_INDIRECT,
	BLKMQ_XS_FEATURE_FLUSH_CACHE, BLKMQ_XS_FEATURE_BARRIER,
	BLKMQ_XS_FEATURE_DISCARD, BLKMQ_XS_DISCARD_GRANULARITY,
	BLKMQ_XS_DISCARD_ALIGNMENT, BLKMQ_XS_DISCARD_SECURE,
	BLKMQ_XS_SECTORS, BLKMQ_XS_INFO, BLKMQ_XS_SECTOR_SIZE,
	BLKMQ_XS_PHYSICAL_SECTOR_SIZE,
	"\"" BLKMQ_XS_MODE_RO "\"", "\"" BLKMQ_XS_MODE_RW "\"",
};

static int is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int has_token(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p;

	for (p = strstr(text, key); p; p = strstr(p + 1, key)) {
		int left_ok = p == text || !is_key_char(p[-1]) ||
			      !is_key_char(key[0]);
		int right_ok = !is_key_char(p[len]) ||
			       !is_key_char(key[len - 1]);

		if (left_ok && right_ok)
			return 1;
	}
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long len = -1;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0)
		len = ftell(f);
	if (len > 0 && fseek(f, 0, SEEK_SET) == 0)
		buf = calloc(1, len + 1);
	if (buf && fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void check_xs_keys(void)
{
	char *text = slurp(XEN_BLKIF_H_PATH);
	char queue0[32];
	unsigned int i;

	group_begin("XenStore key names found in Xen's blkif.h");
	count(!!text);
	if (!text) {
		printf("FAIL %s: cannot read %s\n", grp.name, XEN_BLKIF_H_PATH);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(xs_keys); i++)
		expect(xs_keys[i], has_token(text, xs_keys[i]), 1);
	snprintf(queue0, sizeof(queue0), BLKMQ_XS_QUEUE_FMT, 0U);
	expect(queue0, has_token(text, queue0), 1);
	free(text);
	group_end();
}

/* Expected values follow 202 << 8 | d << 4 | p and 1 << 28 | d << 8 | p. */
static void check_vdev(void)
{
	group_begin("vdevice encoding");
	expect("xvda", blkmq_vdev_xvd(0, 0), 51712);
	expect("xvda1", blkmq_vdev_xvd(0, 1), 51713);
	expect("xvdb", blkmq_vdev_xvd(1, 0), 51728);
	expect("xvdp15", blkmq_vdev_xvd(15, 15), 51967);
	expect("ext disk 0", blkmq_vdev_ext(0, 0), 268435456);
	expect("ext disk 16 part 1", blkmq_vdev_ext(16, 1), 268439553);
	expect("ext max", blkmq_vdev_ext(BLKMQ_VDEV_EXT_DISKS - 1,
					 BLKMQ_VDEV_EXT_PARTS - 1),
	       (1LL << 28) | 0x0fffffffLL);
	expect("is_xvd(xvdb)", blkmq_vdev_is_xvd(51728), 1);
	expect("is_ext(xvdb)", blkmq_vdev_is_ext(51728), 0);
	expect("is_xvd(ext)", blkmq_vdev_is_xvd(268439553), 0);
	expect("is_ext(ext)", blkmq_vdev_is_ext(268439553), 1);
	expect("disk(xvdp15)", blkmq_vdev_disk(51967), 15);
	expect("part(xvdp15)", blkmq_vdev_part(51967), 15);
	expect("disk(ext 16/1)", blkmq_vdev_disk(268439553), 16);
	expect("part(ext 16/1)", blkmq_vdev_part(268439553), 1);
	expect("disk(ext max)", blkmq_vdev_disk(0x1fffffff),
	       BLKMQ_VDEV_EXT_DISKS - 1);
	expect("part(ext max)", blkmq_vdev_part(0x1fffffff),
	       BLKMQ_VDEV_EXT_PARTS - 1);
	group_end();
}

static void check_x86_32(void)
{
	const struct xen32_layout *x = &xen32_layout;
	char what[64];
	unsigned int o;

	group_begin("x86_32 structs vs blkif.h under i386 rules");
	expect("request sizeof", sizeof(struct blkmq_x86_32_request),
	       x->req_size);
	expect("request nr_segments",
	       offsetof(struct blkmq_x86_32_request, nr_segments),
	       x->req_nr_segments);
	expect("request handle",
	       offsetof(struct blkmq_x86_32_request, handle), x->req_handle);
	expect("request id", offsetof(struct blkmq_x86_32_request, id_lo),
	       x->req_id);
	expect("request sector_number",
	       offsetof(struct blkmq_x86_32_request, sector_lo),
	       x->req_sector_number);
	expect("request seg", offsetof(struct blkmq_x86_32_request, seg),
	       x->req_seg);
	expect("discard sizeof", sizeof(struct blkmq_x86_32_request_discard),
	       x->discard_size);
	expect("discard flag",
	       offsetof(struct blkmq_x86_32_request_discard, flag),
	       x->discard_flag);
	expect("discard handle",
	       offsetof(struct blkmq_x86_32_request_discard, handle),
	       x->discard_handle);
	expect("discard id",
	       offsetof(struct blkmq_x86_32_request_discard, id_lo),
	       x->discard_id);
	expect("discard sector_number",
	       offsetof(struct blkmq_x86_32_request_discard, sector_lo),
	       x->discard_sector_number);
	expect("discard nr_sectors",
	       offsetof(struct blkmq_x86_32_request_discard, nr_sectors_lo),
	       x->discard_nr_sectors);
	expect("other id", offsetof(struct blkmq_x86_32_request_other, id_lo),
	       x->req_id);
	expect("indirect sizeof", sizeof(struct blkmq_x86_32_request_indirect),
	       x->indirect_size);
	expect("indirect indirect_op",
	       offsetof(struct blkmq_x86_32_request_indirect, indirect_op),
	       x->indirect_indirect_op);
	expect("indirect nr_segments",
	       offsetof(struct blkmq_x86_32_request_indirect, nr_segments),
	       x->indirect_nr_segments);
	expect("indirect id",
	       offsetof(struct blkmq_x86_32_request_indirect, id_lo),
	       x->indirect_id);
	expect("indirect sector_number",
	       offsetof(struct blkmq_x86_32_request_indirect, sector_lo),
	       x->indirect_sector_number);
	expect("indirect handle",
	       offsetof(struct blkmq_x86_32_request_indirect, handle),
	       x->indirect_handle);
	expect("indirect indirect_grefs",
	       offsetof(struct blkmq_x86_32_request_indirect, indirect_grefs),
	       x->indirect_grefs);
	expect("response sizeof", sizeof(struct blkmq_x86_32_response),
	       x->rsp_size);
	expect("response id", offsetof(struct blkmq_x86_32_response, id_lo),
	       x->rsp_id);
	expect("response operation",
	       offsetof(struct blkmq_x86_32_response, operation),
	       x->rsp_operation);
	expect("response status",
	       offsetof(struct blkmq_x86_32_response, status), x->rsp_status);
	expect("entry sizeof", sizeof(union blkmq_x86_32_sring_entry),
	       x->entry_size);
	expect("BLKMQ_X86_32_SRING_ENTRY_SIZE", BLKMQ_X86_32_SRING_ENTRY_SIZE,
	       x->entry_size);
	expect("ring offset", offsetof(struct blkmq_x86_32_sring, ring),
	       x->sring_ring);
	for (o = 0; o < ARRAY_SIZE(x->ring); o++) {
		snprintf(what, sizeof(what), "ring entries order %u", o);
		expect(what, BLKMQ_X86_32_RING_ENTRIES(o), x->ring[o]);
	}
	expect("u64 join", blkmq_x86_32_u64(0x89abcdefU, 0x01234567U),
	       0x0123456789abcdefLL);
	group_end();
}

int main(void)
{
	check_segment();
	check_request();
	check_discard();
	check_other();
	check_indirect();
	check_response();
	check_sring();
	check_constants();
	check_rings();
	check_xs_keys();
	check_vdev();
	check_x86_32();

	printf("abi: %u checks, %u failed\n", total_checks, total_failed);
	return total_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
