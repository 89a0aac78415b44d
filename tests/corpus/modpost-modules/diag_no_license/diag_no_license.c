// SPDX-License-Identifier: GPL-2.0-only
/* A module without MODULE_LICENSE(). */
#include <linux/module.h>

static int __init diag_no_license_init(void)
{
	return 0;
}
module_init(diag_no_license_init);

MODULE_DESCRIPTION("modforge: missing MODULE_LICENSE");
