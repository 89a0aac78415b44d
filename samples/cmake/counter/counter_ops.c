// SPDX-License-Identifier: GPL-2.0-only
/* The counter's exported operations. */
#include <linux/export.h>
#include <linux/spinlock.h>
#include <mfs_shared.h>

static DEFINE_SPINLOCK(mfs_lock);
static s64 mfs_slots[MFS_COUNTER_SLOTS];

void mfs_counter_reset(void);
void mfs_counter_reset(void)
{
	spin_lock(&mfs_lock);
	memset(mfs_slots, 0, sizeof(mfs_slots));
	spin_unlock(&mfs_lock);
}

long mfs_counter_add(const struct mfs_sample *sample)
{
	if (sample->id >= MFS_COUNTER_SLOTS)
		return -EINVAL;
	spin_lock(&mfs_lock);
	mfs_slots[sample->id] += sample->value;
	spin_unlock(&mfs_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(mfs_counter_add);

s64 mfs_counter_read(u32 id)
{
	return id < MFS_COUNTER_SLOTS ? mfs_slots[id] : 0;
}
EXPORT_SYMBOL(mfs_counter_read);
