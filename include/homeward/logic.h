/* SPDX-License-Identifier: MIT */
/*
 * JSON Logic (jsonlogic.com): rules as data.  A rule is compiled once into
 * an immutable tree of operations, then evaluated against many records
 * without walking JSON again.  Semantics follow json-logic-js, the reference
 * implementation: truthiness, loose and strict equality, string-to-number
 * coercion, `var` with dotted paths and defaults, and every standard
 * operator.  tests/data/jsonlogic/tests.json is the shared conformance suite.
 *
 * A bad rule is an error value, never a crash: compiling reports it, and
 * evaluating reports what went wrong for that record alone.
 */
#ifndef HOMEWARD_LOGIC_H
#define HOMEWARD_LOGIC_H

#include <jansson.h>

#include "homeward/arena.h"
#include "homeward/error.h"

typedef struct hw_logic hw_logic;

/*
 * Compile `rule` (borrowed).  Returns a new rule in *out; free with
 * hw_logic_free().  An unknown operator or a malformed argument list is
 * HW_EINVAL, with the JSON path of the offending part in the message.
 */
hw_code hw_logic_compile(const json_t *rule, hw_logic **out, hw_err *e);

/* Free a compiled rule.  Accepts NULL. */
void hw_logic_free(hw_logic *l);

/*
 * Evaluate `l` against `data` (borrowed; NULL is JSON null).  Scratch memory
 * comes from arena `a`, which the caller may reset afterwards.  Returns a new
 * JSON value in *out (json_decref() it).  A compiled rule may be evaluated
 * from several threads at once, each with its own arena.
 */
hw_code hw_logic_eval_json(const hw_logic *l, const json_t *data, hw_arena *a, json_t **out,
                           hw_err *e);

#endif
