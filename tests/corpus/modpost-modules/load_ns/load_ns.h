/* SPDX-License-Identifier: GPL-2.0 */
/* modforge load test: what load_ns_exp exports into the MODFORGE_LOAD namespace. */
#ifndef LOAD_NS_H
#define LOAD_NS_H

int load_ns_get(void);
void load_ns_put(void);

#endif
