/* SPDX-License-Identifier: GPL-2.0-only */
/* The counter module's own header: counter_main.c includes it, counter_ops.c does not. */
#ifndef MFS_COUNTER_LOCAL_H
#define MFS_COUNTER_LOCAL_H

#define MFS_COUNTER_GREETING "mfs_counter: ready"

void mfs_counter_reset(void);

#endif
