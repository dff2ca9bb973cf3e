/* SPDX-License-Identifier: MIT */
/*
 * One record as a JSON object, and back: what the API reads and writes.
 * A JSON object becomes a row exactly as the importer reads a JSON Lines
 * record, so a field the importer refuses the API refuses with the same
 * words.
 */
#ifndef HOMEWARD_RECORD_H
#define HOMEWARD_RECORD_H

#include <jansson.h>

#include "homeward/arena.h"
#include "homeward/buf.h"
#include "homeward/store.h"
#include "homeward/vocab.h"

/* Row (kind k's nfields values) as an object in vocabulary order; NULL when out of memory. */
json_t *hw_record_to_json(hw_kind k, const hw_value *row);

/*
 * The same object as text, appended to b: what a page of many records is
 * written with, without a tree of every value first.
 */
hw_code hw_record_write_json(hw_buf *b, hw_kind k, const hw_value *row, hw_err *e);

/*
 * Parse object `obj` as a record of kind k into row[nfields]: every field
 * validated (absent ones are null; keys starting with '_' are ignored), then
 * the row's own checks.  Text lives in arena `a` and in `obj`, which must
 * outlive the row.  A problem is HW_EINVAL with e->field naming the field.
 */
hw_code hw_record_from_json(hw_kind k, json_t *obj, hw_arena *a, hw_value *row, hw_err *e);

/*
 * The text the CSV importer would have read for JSON value v of field `key`
 * (null is empty), appended to b.  Refuses fractions, objects and arrays.
 */
hw_code hw_record_json_text(json_t *v, const char *key, hw_buf *b, hw_err *e);

#endif
