// SPDX-License-Identifier: GPL-2.0
/*
 * xen-cputime - where the machine's time has gone so far, from Xen's own
 * accounting, as "name value" lines (nanoseconds) for the bench's counter
 * snapshots (counters_snap):
 *
 *   x_now   dom0's monotonic clock (Xen's system time: virtual time in
 *           counted mode)
 *   x_idle  the physical CPUs' idle time, summed (Xen's idle vCPUs)
 *   x_dom0  dom0's vCPUs' running time (hypercalls and traps included)
 *   x_domu  every other domain's, summed
 *
 * Over a measured run, physical CPUs x elapsed time minus the rest is the
 * time Xen spent on no vCPU's behalf.  dom0's /proc/stat samples at ticks;
 * this is Xen's runstate accounting, exact to the nanosecond.
 *
 * Built on the host against Debian's libxen-dev (tools/rig/rig.sh), run
 * in dom0 as /rig/xen-cputime.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <xenctrl.h>

#define MAX_CPUS 64
#define MAX_DOMS 64

int main(void)
{
	static xc_cpuinfo_t cpus[MAX_CPUS];
	static xc_dominfo_t doms[MAX_DOMS];
	uint64_t idle = 0, dom0 = 0, domu = 0;
	struct timespec now;
	xc_interface *xch;
	int ncpus = 0, ndoms, i;

	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		perror("xen-cputime: xc_interface_open");
		return 1;
	}
	if (xc_getcpuinfo(xch, MAX_CPUS, cpus, &ncpus) < 0) {
		perror("xen-cputime: xc_getcpuinfo");
		return 1;
	}
	ndoms = xc_domain_getinfo(xch, 0, MAX_DOMS, doms);
	if (ndoms < 1) {
		perror("xen-cputime: xc_domain_getinfo");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < ncpus; i++)
		idle += cpus[i].idletime;
	for (i = 0; i < ndoms; i++) {
		if (doms[i].domid == 0)
			dom0 += doms[i].cpu_time;
		else
			domu += doms[i].cpu_time;
	}
	xc_interface_close(xch);
	printf("x_now %llu\n",
	       (unsigned long long)now.tv_sec * 1000000000ULL + now.tv_nsec);
	printf("x_idle %llu\nx_dom0 %llu\nx_domu %llu\n",
	       (unsigned long long)idle, (unsigned long long)dom0,
	       (unsigned long long)domu);
	return 0;
}
