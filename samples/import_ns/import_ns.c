// SPDX-License-Identifier: GPL-2.0
/*
 * modforge sample: uses every kind of export of ../export_ns. The namespaced ones need
 * MODULE_IMPORT_NS (without it modpost errors out, and the kernel would refuse the module);
 * the GPL-only ones need a GPL-compatible MODULE_LICENSE. Loading this module takes a
 * reference on export_ns, so export_ns cannot be removed while this one is loaded.
 */
#include <linux/module.h>
#include "export_ns.h"

static struct export_ns_counter counter;

static int __init import_ns_init(void)
{
	export_ns_add(&counter, 3);
	export_ns_add(&export_ns_global, 1);
	if (export_ns_peek(&counter))
		export_ns_reset(&counter);
	pr_info("import_ns: %u calls\n", export_ns_hits(&counter));
	return 0;
}

static void __exit import_ns_exit(void)
{
}

module_init(import_ns_init);
module_exit(import_ns_exit);
MODULE_IMPORT_NS(MODFORGE_SAMPLE);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: imports export_ns's symbols and namespace");
