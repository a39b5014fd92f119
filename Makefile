# xen-blkmq top-level Makefile.
#
#   make            build the kernel objects against KDIR (Debian 6.1 headers)
#   make W=1 / C=2  the same with extra warnings / sparse
#   make check      unit tests + lint + rig scenarios; ends "N passed, N failed"
#   make demo       boot the rig once and print what was negotiated and measured
#   make lint       checkpatch --strict, sparse, W=1 -Werror, kernel-doc, shellcheck
#   make unit       userspace unit tests only
#   make rig S="a b" [K=stock|debug|stock612|debug612] [G=…] run chosen rig scenarios in one boot (G: the guests' kernel)
#   make debug-kernel                  build (or find cached) the lockdep kernel
#   make soak [N=50] [K=debug]         N save/restore cycles, ours and stock blkfront
#   make bench [ROUNDS=2] [SECS=3] [K="stock stock612"]
#                                      the speed matrix and profiles in counted time (build/bench/)
#   make bench MT=1 [ROUNDS=5]         the same under multi-threaded TCG (medians of the rounds)
#   make bench PCPUS=1                 counted time on one physical CPU: exact guest/dom0/Xen split
#   make compare                       hostile cases against ours and stock xen-blkback
#   make install [KDIR=...]            the two modules into /lib/modules/<release>/updates, then depmod
#   make dkms                          add, build and install through DKMS (every installed kernel)

KVER ?= 6.1.0-56-amd64
KDIR ?= /usr/src/linux-headers-$(KVER)
K ?= stock
S ?= baseline

N ?= 10

# What `make install` and `make dkms` ship: the two drivers, never the
# test-only hostile modules.
SHIP := xen-blkmq-front.ko xen-blkmq-back.ko
VERSION := $(shell cat VERSION)
KREL = $(shell cat $(KDIR)/include/config/kernel.release)
DKMS_SRC := /usr/src/xen-blkmq-$(VERSION)

.PHONY: all modules clean check demo lint unit rig debug-kernel deps soak bench compare install dkms

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Not modules_install: on Debian's headers it takes every .ko in the tree,
# tries to sign them and skips depmod.
install: modules
	install -d $(DESTDIR)/lib/modules/$(KREL)/updates
	install -m 644 $(wildcard $(SHIP)) $(DESTDIR)/lib/modules/$(KREL)/updates/
	$(if $(DESTDIR),,depmod -a $(KREL))

dkms:
	tools/dkms.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/unit clean
	rm -rf build

deps:
	tools/deps.sh

check: deps
	tools/check.sh

demo: deps
	K=$(K) tools/demo.sh

lint: deps
	tools/lint.sh

unit: deps
	$(MAKE) -C tests/unit check

rig: deps
	tools/rig/rig.sh -k $(K) $(if $(G),-g $(G)) $(S)

debug-kernel: deps
	tools/kernel/build-debug-kernel.sh

soak: deps
	RIG_SOAK_CYCLES=$(N) tools/rig/rig.sh -k $(if $(filter command line,$(origin K)),$(K),debug) -o $(CURDIR)/build/soak front-soak

# Counted time (RIG_ICOUNT=1, tools/rig/rig.sh): instructions per I/O,
# repeatable to under 1 %; MT=1 for wall-clock throughput instead.
bench: deps
	MT=$(MT) RIG_PCPUS=$(or $(PCPUS),2) K="$(if $(filter command line environment,$(origin K)),$(K),stock stock612)" tools/bench/bench.sh $(or $(ROUNDS),$(if $(MT),5,2)) $(or $(SECS),$(if $(MT),20,3))

compare: deps
	tools/rig/rig.sh -k debug -o $(CURDIR)/build/compare hostile-front-cmp
