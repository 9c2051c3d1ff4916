/* The line drawings of the techniques (data/pictures/ID.svg, drawn by
 * tools/pictures/generate; docs/internals/pictures.md), built in: one per
 * home technique, stretch and session step, found by the technique's id.
 * Each is a whole SVG document of its own, safe to put inline in a page. */
#ifndef TPT_PICTURES_H
#define TPT_PICTURES_H

#include <stddef.h>

/* The picture of a technique id (its bytes, NUL-terminated, and *len), or
 * NULL when there is none. */
const char *tpt_picture(const char *id, size_t *len);

#endif
