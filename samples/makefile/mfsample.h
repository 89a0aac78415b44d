/* SPDX-License-Identifier: GPL-2.0 */
/* The parts of a six-object module (built in parallel under make -jN). */
#ifndef MFSAMPLE_H
#define MFSAMPLE_H
int mfsample_a(int x);
int mfsample_b(int x);
int mfsample_c(int x);
int mfsample_d(int x);
int mfsample_e(int x);
#endif
