// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include "mfsample.h"

int mfsample_b(int x)
{
	return x * 3 + 2;
}
