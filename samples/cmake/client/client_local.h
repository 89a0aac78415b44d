/* SPDX-License-Identifier: GPL-2.0-only */
/* The client module's own header. */
#ifndef MFS_CLIENT_LOCAL_H
#define MFS_CLIENT_LOCAL_H

#define MFS_CLIENT_SLOT 3
#define MFS_CLIENT_STEP 5

#endif
