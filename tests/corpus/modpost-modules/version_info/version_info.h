/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VERSION_INFO_H
#define VERSION_INFO_H

#define VERSION_INFO_MAGIC 42

int version_info_answer(void);

#endif
