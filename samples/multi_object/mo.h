/* SPDX-License-Identifier: GPL-2.0 */
/* modforge sample: what the objects of multi_object.ko call in each other. */
#ifndef MODFORGE_SAMPLE_MO_H
#define MODFORGE_SAMPLE_MO_H

#include <linux/types.h>

u32 mo_checksum(const u8 *data, size_t len);	/* mo_math.c */
size_t mo_describe(char *buf, size_t size, u32 sum);	/* mo_text.c */

#endif
