// SPDX-License-Identifier: GPL-2.0
/* modforge load test: exports a plain and a GPL-only symbol for load_pair_imp. */
#include <linux/module.h>
#include "load_pair.h"

static struct load_pair_stats stats;

int load_pair_add(int a, int b)
{
	stats.calls++;
	stats.last = a + b;
	return stats.last;
}
EXPORT_SYMBOL(load_pair_add);

const struct load_pair_stats *load_pair_stats(void)
{
	return &stats;
}
EXPORT_SYMBOL_GPL(load_pair_stats);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge load test: exporter");
