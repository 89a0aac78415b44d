// SPDX-License-Identifier: GPL-2.0
/* modforge load test: exporter for load_extra_b, built in another directory. */
#include <linux/module.h>
#include <linux/string.h>

size_t load_extra_a_len(const char *s);
extern int load_extra_a_version;

size_t load_extra_a_len(const char *s)
{
	return strlen(s);
}
EXPORT_SYMBOL(load_extra_a_len);

int load_extra_a_version = 7;
EXPORT_SYMBOL_GPL(load_extra_a_version);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge load test: exporter of a two-directory build");
