#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Blocks are chained; a request larger than a block gets a block of its own. */
#define ARENA_BLOCK_SIZE 16384

struct block {
    struct block *next;
    size_t used, size;
    max_align_t data[];
};

struct tpt__arena {
    struct block *head;
};

tpt__arena *tpt__arena_new(void)
{
    return calloc(1, sizeof(tpt__arena));
}

void *tpt__arena_alloc(tpt__arena *arena, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    struct block *b = arena->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
        b = calloc(1, sizeof *b + cap);
        if (!b) return NULL;
        b->size = cap;
        b->next = arena->head;
        arena->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

char *tpt__arena_strdup(tpt__arena *arena, const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = tpt__arena_alloc(arena, n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

void tpt__arena_free(tpt__arena *arena)
{
    if (!arena) return;
    struct block *b = arena->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(arena);
}
