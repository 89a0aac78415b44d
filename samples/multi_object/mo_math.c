// SPDX-License-Identifier: GPL-2.0
/* modforge sample: a second object of multi_object.ko (no module_init of its own). */
#include "mo.h"

u32 mo_checksum(const u8 *data, size_t len)
{
	u32 a = 1, b = 0;	/* Adler-32 */
	size_t i;

	for (i = 0; i < len; i++) {
		a = (a + data[i]) % 65521;
		b = (b + a) % 65521;
	}
	return (b << 16) | a;
}
