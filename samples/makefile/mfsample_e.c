// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include "mfsample.h"

int mfsample_e(int x)
{
	return x * 6 + 5;
}
