// SPDX-License-Identifier: GPL-2.0
/* modforge sample: a third object of multi_object.ko, using a kernel export (snprintf). */
#include <linux/kernel.h>
#include "mo.h"

size_t mo_describe(char *buf, size_t size, u32 sum)
{
	return snprintf(buf, size, "adler32 %08x", sum);
}
