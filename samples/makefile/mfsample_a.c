// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include "mfsample.h"

int mfsample_a(int x)
{
	return x * 2 + 1;
}
