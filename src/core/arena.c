/* SPDX-License-Identifier: MIT */
/* The bump allocator of arena.h. */
#include "core/common.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/arena.h"

struct hw_arena_block {
    struct hw_arena_block *next;
    size_t size; /* usable bytes in data[] */
    size_t off;  /* bytes used in data[] */
    alignas(max_align_t) unsigned char data[];
};

void hw_arena_init(hw_arena *a, size_t block_size, size_t limit)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 4096;
    a->limit = limit;
    a->used = 0;
}

void *hw_arena_alloc(hw_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    struct hw_arena_block *b = a->head;
    size_t need = (size + align - 1) & ~(align - 1);

    if (need < size || (a->limit && need > a->limit - a->used))
        return NULL; /* overflow, or over the budget */
    if (!b || b->size - b->off < need) {
        size_t bsize = need > a->block_size ? need : a->block_size;

        if (bsize > SIZE_MAX - sizeof(*b))
            return NULL;
        b = malloc(sizeof(*b) + bsize);
        if (!b)
            return NULL;
        b->next = a->head;
        b->size = bsize;
        b->off = 0;
        a->head = b;
    }
    a->used += need;
    b->off += need;
    return b->data + b->off - need;
}

char *hw_arena_strndup(hw_arena *a, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX)
        return NULL;
    p = hw_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void hw_arena_reset(hw_arena *a)
{
    struct hw_arena_block *b = a->head;

    /* Keep the oldest block: it is the one every reset cycle starts in. */
    while (b && b->next) {
        struct hw_arena_block *next = b->next;

        free(b);
        b = next;
    }
    a->head = b;
    if (b)
        b->off = 0;
    a->used = 0;
}

void hw_arena_release(hw_arena *a)
{
    struct hw_arena_block *b = a->head;

    while (b) {
        struct hw_arena_block *next = b->next;

        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}
