/* SPDX-License-Identifier: MIT */
/* Internal to funds and the planner. */
#ifndef HW_FUNDS_INT_H
#define HW_FUNDS_INT_H

#include "homeward/error.h"
#include "homeward/logic.h"

/* Called with each var path a restriction reads; "" when it reads all, or a path computed at run
 * time. */
typedef void (*hw_path_fn)(void *ud, const char *path);

/*
 * Compile a fund's restriction (JSON Logic text over {person, obligation});
 * NULL text gives *out NULL, which admits everything.  A path that names no
 * field is HW_EINVAL with field "restrict".  `seen` (may be NULL) hears
 * every path read, so a caller learns what to give it from the one parse.
 */
hw_code hw__restriction_compile(const char *text, hw_logic **out, hw_path_fn seen, void *ud,
                                hw_err *e);

#endif
