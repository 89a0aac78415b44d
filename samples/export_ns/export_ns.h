/* SPDX-License-Identifier: GPL-2.0 */
/* modforge sample: what export_ns exports (import_ns includes this header). */
#ifndef MODFORGE_SAMPLE_EXPORT_NS_H
#define MODFORGE_SAMPLE_EXPORT_NS_H

struct export_ns_counter {
	long value;
	unsigned int hits;
};

long export_ns_add(struct export_ns_counter *c, long n);		/* EXPORT_SYMBOL */
void export_ns_reset(struct export_ns_counter *c);			/* EXPORT_SYMBOL_GPL */
int export_ns_peek(const struct export_ns_counter *c);			/* EXPORT_SYMBOL_NS */
unsigned int export_ns_hits(const struct export_ns_counter *c);	/* EXPORT_SYMBOL_NS_GPL */
extern struct export_ns_counter export_ns_global;			/* a variable: EXPORT_SYMBOL */

#endif
