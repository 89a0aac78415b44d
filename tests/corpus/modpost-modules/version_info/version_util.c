// SPDX-License-Identifier: GPL-2.0-only
#include "version_info.h"

int version_info_answer(void)
{
	return VERSION_INFO_MAGIC;	/* the comment is part of the srcversion too */
}
