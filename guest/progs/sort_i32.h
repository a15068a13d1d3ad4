/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Heapsort of 32-bit integers and its checks, shared by nbench's numeric
 * sort (small arrays) and heapsort (one large array).
 */
#ifndef GUEST_PROGS_SORT_I32_H
#define GUEST_PROGS_SORT_I32_H

#include <stddef.h>
#include <stdint.h>

void heapsort_i32(int32_t *a, size_t n);

/* Order-independent hash: equal for any permutation of the same values. */
uint64_t multiset_hash_i32(const int32_t *a, size_t n);

int is_sorted_i32(const int32_t *a, size_t n);

#endif
