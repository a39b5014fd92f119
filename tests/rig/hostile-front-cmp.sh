#!/bin/bash
# hostile-front-cmp: hostile-front against our backend, then the same cases
# against stock xen-blkback, and a table of where the two differ.  The
# stock half checks nothing of ours, so it runs in `make compare`, not in
# `make check`.
# requires: as hostile-front, and stock xen-blkback in dom0.
# checks: as hostile-front; the table's "cases_differing_from_stock" count
#   is reported, not judged.
# timeout: 1500
export HF_BACKENDS="ours stock"
# shellcheck source=hostile-front.sh
. /rig/tests/hostile-front.sh
