// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include "mfsample.h"

int mfsample_c(int x)
{
	return x * 4 + 3;
}
