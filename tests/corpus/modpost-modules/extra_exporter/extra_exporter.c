// SPDX-License-Identifier: GPL-2.0-only
/*
 * First half of a two-directory build: exports symbols that extra_importer, built in
 * another M= directory, finds through KBUILD_EXTRA_SYMBOLS=<this dir>/Module.symvers.
 */
#include <linux/module.h>
#include <linux/list.h>

struct extra_counter {
	struct list_head node;
	long value;
};

long extra_add(struct extra_counter *c, long n)
{
	c->value += n;
	return c->value;
}
EXPORT_SYMBOL(extra_add);

void extra_reset(struct extra_counter *c)
{
	c->value = 0;
}
EXPORT_SYMBOL_GPL(extra_reset);

int extra_ns_peek(const struct extra_counter *c)
{
	return c->value != 0;
}
EXPORT_SYMBOL_NS_GPL(extra_ns_peek, MODFORGE_EXTRA);

MODULE_DESCRIPTION("modforge: exporter for a KBUILD_EXTRA_SYMBOLS build");
MODULE_LICENSE("GPL");
