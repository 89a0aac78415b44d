// SPDX-License-Identifier: GPL-2.0
/* modforge load test: the arithmetic half of load_multi; exports one symbol. */
#include <linux/module.h>
#include "load_multi.h"

void load_multi_feed(struct load_multi_acc *acc, long v)
{
	acc->sum += v;
	acc->n++;
}

long load_multi_mean(const struct load_multi_acc *acc)
{
	return acc->n ? acc->sum / (long)acc->n : 0;
}
EXPORT_SYMBOL_GPL(load_multi_mean);
