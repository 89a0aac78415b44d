// SPDX-License-Identifier: GPL-2.0-only
/*
 * Second half of a two-directory build: imports extra_exporter's symbols (one of them
 * namespaced), which modpost only knows from the KBUILD_EXTRA_SYMBOLS symvers file.
 */
#include <linux/module.h>
#include <linux/list.h>

struct extra_counter {
	struct list_head node;
	long value;
};

long extra_add(struct extra_counter *c, long n);
void extra_reset(struct extra_counter *c);
int extra_ns_peek(const struct extra_counter *c);

static struct extra_counter counter;

static int __init extra_importer_init(void)
{
	extra_add(&counter, 3);
	if (extra_ns_peek(&counter))
		extra_reset(&counter);
	return 0;
}
module_init(extra_importer_init);

static void __exit extra_importer_exit(void)
{
}
module_exit(extra_importer_exit);

MODULE_IMPORT_NS(MODFORGE_EXTRA);
MODULE_DESCRIPTION("modforge: importer for a KBUILD_EXTRA_SYMBOLS build");
MODULE_LICENSE("GPL v2");
