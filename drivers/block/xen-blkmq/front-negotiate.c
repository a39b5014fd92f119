// SPDX-License-Identifier: GPL-2.0-only
/*
 * front-negotiate.c - the frontend's own copy of negotiate.c
 *
 * Each module links its own object of the shared XenStore parsers, so that
 * no object file is part of two modules (Kbuild warns about that since
 * Linux 6.2).  The functions are not exported; the two copies never meet.
 */
#include "negotiate.c"
