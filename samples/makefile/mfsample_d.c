// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include "mfsample.h"

int mfsample_d(int x)
{
	return x * 5 + 4;
}
