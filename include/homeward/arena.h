/* SPDX-License-Identifier: MIT */
/*
 * A bump allocator for memory that dies together: one CSV row, one
 * generated person, one evaluation.  Nothing taken from an arena is freed on
 * its own; hw_arena_reset() gives it all back at once and keeps the first
 * block, so steady-state use does no malloc at all.
 */
#ifndef HOMEWARD_ARENA_H
#define HOMEWARD_ARENA_H

#include <stddef.h>

struct hw_arena_block;

typedef struct hw_arena {
    struct hw_arena_block *head; /* newest block first */
    size_t block_size;           /* minimum size of a new block */
    size_t limit;                /* most bytes handed out; 0 = no limit */
    size_t used;                 /* bytes handed out since the last reset */
} hw_arena;

/* Set up an empty arena; allocates nothing until the first hw_arena_alloc(). */
void hw_arena_init(hw_arena *a, size_t block_size, size_t limit);

/* `size` bytes aligned for any type, or NULL when out of memory or over the limit. */
void *hw_arena_alloc(hw_arena *a, size_t size);

/* A NUL-terminated copy of s[0..len) in the arena, or NULL. */
char *hw_arena_strndup(hw_arena *a, const char *s, size_t len);

/* Forget everything handed out; keep the oldest block for reuse. */
void hw_arena_reset(hw_arena *a);

/* Free every block.  The arena may be initialised again afterwards. */
void hw_arena_release(hw_arena *a);

#endif
