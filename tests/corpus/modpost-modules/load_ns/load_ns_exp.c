// SPDX-License-Identifier: GPL-2.0
/* modforge load test: symbols exported into the MODFORGE_LOAD namespace. */
#include <linux/module.h>
#include "load_ns.h"

static atomic_t load_ns_count = ATOMIC_INIT(0);

int load_ns_get(void)
{
	return atomic_inc_return(&load_ns_count);
}
EXPORT_SYMBOL_NS_GPL(load_ns_get, MODFORGE_LOAD);

void load_ns_put(void)
{
	atomic_dec(&load_ns_count);
}
EXPORT_SYMBOL_NS(load_ns_put, MODFORGE_LOAD);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge load test: namespaced exporter");
