/* SPDX-License-Identifier: MIT */
/*
 * Export every record of one kind, in id order, as CSV (a header row of
 * vocabulary names) or JSON Lines (one object per record, keys in
 * vocabulary order, absent fields as null).  hw_import() reads both back:
 * export -> import -> export gives the same bytes.
 */
#ifndef HOMEWARD_EXPORT_H
#define HOMEWARD_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "homeward/import.h"

/*
 * Write kind k of store `s` to `out` (borrowed) in format `fmt`.  *rows
 * (if not NULL) is the number of records written.
 */
hw_code hw_export(hw_store *s, hw_kind k, hw_format fmt, FILE *out, uint64_t *rows, hw_err *e);

#endif
