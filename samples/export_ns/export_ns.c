// SPDX-License-Identifier: GPL-2.0
/*
 * modforge sample: exporting symbols to other modules. EXPORT_SYMBOL makes a symbol usable
 * by any module; EXPORT_SYMBOL_GPL only by GPL-compatible ones; the _NS forms put it into a
 * namespace, which a user must import (MODULE_IMPORT_NS, see ../import_ns) or the kernel
 * refuses it. With CONFIG_MODVERSIONS each export gets a CRC of its type (genksyms), kept in
 * Module.symvers for the importer's build.
 *
 * The namespace is a bare token here: <linux/export.h> and MODULE_IMPORT_NS stringify it in
 * both 6.1 and 6.12 (from 6.13 on the macros take a string, "MODFORGE_SAMPLE").
 */
#include <linux/module.h>
#include "export_ns.h"

struct export_ns_counter export_ns_global;
EXPORT_SYMBOL(export_ns_global);

long export_ns_add(struct export_ns_counter *c, long n)
{
	c->hits++;
	c->value += n;
	return c->value;
}
EXPORT_SYMBOL(export_ns_add);

void export_ns_reset(struct export_ns_counter *c)
{
	c->hits++;
	c->value = 0;
}
EXPORT_SYMBOL_GPL(export_ns_reset);

int export_ns_peek(const struct export_ns_counter *c)
{
	return c->value != 0;
}
EXPORT_SYMBOL_NS(export_ns_peek, MODFORGE_SAMPLE);

unsigned int export_ns_hits(const struct export_ns_counter *c)
{
	return c->hits;
}
EXPORT_SYMBOL_NS_GPL(export_ns_hits, MODFORGE_SAMPLE);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: EXPORT_SYMBOL, _GPL, _NS and _NS_GPL");
