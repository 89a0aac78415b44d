/* SPDX-License-Identifier: GPL-2.0 */
/* modforge load test: what the two objects of load_multi share. */
#ifndef LOAD_MULTI_H
#define LOAD_MULTI_H

struct load_multi_acc {
	long sum;
	unsigned int n;
};

void load_multi_feed(struct load_multi_acc *acc, long v);
long load_multi_mean(const struct load_multi_acc *acc);

#endif
