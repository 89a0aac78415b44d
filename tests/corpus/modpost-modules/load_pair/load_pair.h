/* SPDX-License-Identifier: GPL-2.0 */
/* modforge load test: the interface load_pair_exp exports to load_pair_imp. */
#ifndef LOAD_PAIR_H
#define LOAD_PAIR_H

struct load_pair_stats {
	unsigned long calls;
	int last;
};

int load_pair_add(int a, int b);
const struct load_pair_stats *load_pair_stats(void);

#endif
