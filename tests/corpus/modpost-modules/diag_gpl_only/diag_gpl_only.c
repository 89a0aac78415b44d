// SPDX-License-Identifier: GPL-2.0-only
/* MODULE_LICENSE("Proprietary") and a call to ktime_get(), exported with _GPL. */
#include <linux/module.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

static int __init diag_gpl_only_init(void)
{
	pr_info("now %lld\n", ktime_to_ns(ktime_get()));
	return 0;
}
module_init(diag_gpl_only_init);

MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("modforge: GPL-only symbol in a non-GPL module");
