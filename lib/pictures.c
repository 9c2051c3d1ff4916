/* The pictures of the techniques (tpt/pictures.h): a table made at build
 * time by tools/embed_table.c, sorted by id. */
#include "tpt/pictures.h"

#include <string.h>

struct tpt__embedded {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct tpt__embedded tpt__pictures[];
extern const size_t tpt__pictures_count;

const char *tpt_picture(const char *id, size_t *len)
{
    size_t lo = 0, hi = tpt__pictures_count;
    while (id && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(id, tpt__pictures[mid].name);
        if (cmp == 0) {
            if (len) *len = tpt__pictures[mid].len;
            return (const char *)tpt__pictures[mid].data;
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
