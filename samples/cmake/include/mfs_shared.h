/* SPDX-License-Identifier: GPL-2.0-only */
/* What both sample modules share: the counter's interface (an include directory of both). */
#ifndef MFS_SHARED_H
#define MFS_SHARED_H

#include <linux/types.h>

#define MFS_SHARED_VERSION 1

struct mfs_sample {
	u32 id;
	s64 value;
};

long mfs_counter_add(const struct mfs_sample *sample);
s64 mfs_counter_read(u32 id);

#endif
