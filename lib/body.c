#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpt/body.h"
#include "validate.h"

static const char *const kind_names[TPT_KIND_COUNT] = {"ache", "sharp", "burning", "tingling",
                                                       "numb"};

const char *tpt_kind_name(tpt_kind kind)
{
    return (unsigned)kind < TPT_KIND_COUNT ? kind_names[kind] : "?";
}

int tpt_kind_parse(const char *name, tpt_kind *out)
{
    for (int k = 0; k < TPT_KIND_COUNT; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (tpt_kind)k;
            return 0;
        }
    }
    return TPT_ERR_INPUT;
}

const char *tpt_side_id(tpt_side side)
{
    return side == TPT_LEFT ? "l" : side == TPT_RIGHT ? "r" : "";
}

const char *tpt_side_word(tpt_side side)
{
    return side == TPT_LEFT ? "left" : side == TPT_RIGHT ? "right" : "midline";
}

const char *tpt_side_id_word(const char *id)
{
    tpt_side side;
    return id && tpt_side_parse(id, &side) == 0 ? tpt_side_word(side) : NULL;
}

int tpt_side_parse(const char *text, tpt_side *out)
{
    if (strcmp(text, "l") == 0)
        *out = TPT_LEFT;
    else if (strcmp(text, "r") == 0)
        *out = TPT_RIGHT;
    else
        return TPT_ERR_INPUT;
    return 0;
}

/* ---- loading the region table ---- */

static int parse_views(tpt__validator *v, json_t *entry, tpt_side side, unsigned *out)
{
    json_t *views;
    int rc = tpt__get_array(v, entry, "views", true, &views);
    if (rc) return rc;
    *out = 0;
    tpt__path_key(v, "views");
    size_t i;
    json_t *view;
    json_array_foreach(views, i, view)
    {
        const char *name = json_string_value(view);
        tpt__path_index(v, i);
        if (!name) return tpt__invalid(v, "a view must be a string");
        if (strcmp(name, "front") == 0)
            *out |= TPT_VIEW_FRONT;
        else if (strcmp(name, "back") == 0)
            *out |= TPT_VIEW_BACK;
        else if (strcmp(name, "side") == 0 && side != TPT_MIDLINE)
            *out |= side == TPT_LEFT ? TPT_VIEW_LEFT : TPT_VIEW_RIGHT;
        else if (strcmp(name, "side") == 0)
            *out |= TPT_VIEW_LEFT | TPT_VIEW_RIGHT;
        else
            return tpt__invalid(v, "unknown view \"%s\" (front, back, side)", name);
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    if (*out == 0) return tpt__invalid(v, "a region needs at least one view");
    return 0;
}

static bool valid_name(const char *s)
{
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
            return false;
    }
    return true;
}

static int load_entry(tpt__validator *v, tpt_regions *r, json_t *entry, tpt_side side, int key,
                      tpt_region *out)
{
    static const char *const sided_keys[] = {"part", "label", "views", "leg", "level", NULL};
    static const char *const midline_keys[] = {"id", "label", "views", "level", NULL};
    static const char *const levels[] = {"back", "hip", "thigh", "knee", "leg", "foot", NULL};
    const char *name, *label;
    int rc;
    if (!json_is_object(entry)) return tpt__invalid(v, "a region must be an object");
    if ((rc = tpt__only_keys(v, entry, side == TPT_MIDLINE ? midline_keys : sided_keys))) return rc;
    if ((rc = tpt__get_string(v, entry, side == TPT_MIDLINE ? "id" : "part", true, &name)))
        return rc;
    if ((rc = tpt__get_string(v, entry, "label", true, &label))) return rc;
    if (!valid_name(name))
        return tpt__invalid(v, "region name \"%s\" may use only a-z, 0-9, '-' and '.'", name);

    char id[TPT_MARK_TEXT_MAX];
    if (side == TPT_MIDLINE)
        snprintf(id, sizeof id, "%s", name);
    else
        snprintf(id, sizeof id, "%s.%s", tpt_side_id(side), name);
    if (tpt_region_find(r, id) >= 0) return tpt__invalid(v, "duplicate region \"%s\"", id);

    out->id = tpt__arena_strdup(r->arena, id);
    out->label = tpt__arena_strdup(r->arena, label);
    if (!out->id || !out->label) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    out->side = side;
    out->key = key;
    json_t *leg = json_object_get(entry, "leg");
    if (leg && !json_is_boolean(leg)) {
        tpt__path_key(v, "leg");
        return tpt__invalid(v, "\"leg\" must be true or false");
    }
    out->leg = json_is_true(leg);
    const char *level;
    if ((rc = tpt__get_string(v, entry, "level", false, &level))) return rc;
    out->limb = TPT_LIMB_NONE;
    for (int k = 0; level && levels[k]; k++)
        out->limb = strcmp(level, levels[k]) ? out->limb : (tpt_limb_level)(k + 1);
    bool leg_level = out->limb >= TPT_LIMB_HIP;
    if (level && (out->limb == TPT_LIMB_NONE || leg_level != out->leg)) {
        tpt__path_key(v, "level");
        return tpt__invalid(v, out->limb == TPT_LIMB_NONE
                                   ? "\"level\" is back, hip, thigh, knee, leg or foot"
                                   : "a leg region's level is hip to foot, and only a leg's is");
    }
    return parse_views(v, entry, side, &out->views);
}

static int load_regions(tpt__validator *v, json_t *root, tpt_regions *r)
{
    static const char *const top_keys[] = {"format",  "version",      "note", "sided",
                                           "midline", "translations", NULL};
    json_t *sided, *midline;
    const char *format;
    int rc;
    if (!json_is_object(root)) return tpt__invalid(v, "the region file must be a JSON object");
    if ((rc = tpt__only_keys(v, root, top_keys))) return rc;
    if ((rc = tpt__get_string(v, root, "format", true, &format))) return rc;
    if (strcmp(format, "tpt-regions") != 0) {
        tpt__path_key(v, "format");
        return tpt__invalid(v, "\"format\" must be \"tpt-regions\"");
    }
    if ((rc = tpt__get_array(v, root, "sided", true, &sided))) return rc;
    if ((rc = tpt__get_array(v, root, "midline", true, &midline))) return rc;

    r->nparts = json_array_size(sided);
    r->nmidline = json_array_size(midline);
    r->count = 2 * r->nparts + r->nmidline;
    if (r->count == 0 || r->count > TPT_MAX_REGIONS)
        return tpt__invalid(v, "the file must define between 1 and %d regions", TPT_MAX_REGIONS);
    r->region = tpt__arena_alloc(r->arena, r->count * sizeof *r->region);
    if (!r->region) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");

    /* Fill in order of index so that duplicate checks see only earlier regions. */
    size_t filled = 0;
    for (int s = TPT_LEFT; s <= TPT_RIGHT; s++) {
        tpt__path_key(v, "sided");
        for (size_t i = 0; i < r->nparts; i++) {
            tpt__path_index(v, i);
            r->count = filled;
            rc =
                load_entry(v, r, json_array_get(sided, i), (tpt_side)s, (int)i, &r->region[filled]);
            if (rc) return rc;
            filled++;
            tpt__path_pop(v);
        }
        tpt__path_pop(v);
    }
    tpt__path_key(v, "midline");
    for (size_t i = 0; i < r->nmidline; i++) {
        tpt__path_index(v, i);
        r->count = filled;
        rc = load_entry(v, r, json_array_get(midline, i), TPT_MIDLINE, (int)(r->nparts + i),
                        &r->region[filled]);
        if (rc) return rc;
        filled++;
        tpt__path_pop(v);
    }
    tpt__path_pop(v);
    r->count = filled;
    r->by_id = tpt__arena_alloc(r->arena, r->count * sizeof *r->by_id);
    if (!r->by_id) return tpt__fail(v->err, TPT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->count; i++) { /* insertion sort: at most a few hundred ids */
        size_t pos = i;
        while (pos > 0 && strcmp(r->region[r->by_id[pos - 1]].id, r->region[i].id) > 0) {
            r->by_id[pos] = r->by_id[pos - 1];
            pos--;
        }
        r->by_id[pos] = (int)i;
    }
    /* The cauda equina warning depends on this region: a table without it is unsafe. */
    r->perineum = tpt_region_find(r, "perineum");
    if (r->perineum < 0 || r->region[r->perineum].side != TPT_MIDLINE)
        return tpt__invalid(v, "the midline region \"perineum\" is required");
    return 0;
}

tpt_regions *tpt_regions_load(const char *json, size_t len, const char *name, tpt_error *err)
{
    tpt__validator v = {.name = name, .text = json, .len = len, .err = err};
    tpt_regions *r = calloc(1, sizeof *r);
    if (!r || !(r->arena = tpt__arena_new())) {
        free(r);
        tpt__fail(err, TPT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    json_t *root = tpt__parse_json(&v);
    int rc = root ? load_regions(&v, root, r) : TPT_ERR_DATA;
    json_decref(root);
    if (rc) {
        tpt_regions_free(r);
        return NULL;
    }
    return r;
}

tpt_regions *tpt_regions_default(tpt_error *err)
{
    return tpt_regions_load((const char *)tpt__data_regions, tpt__data_regions_len,
                            "data/regions.json", err);
}

void tpt_regions_free(tpt_regions *regions)
{
    if (!regions) return;
    tpt__arena_free(regions->arena);
    free(regions);
}

/* ---- lookups ---- */

int tpt_region_find(const tpt_regions *regions, const char *id)
{
    if (!regions->by_id) { /* while loading: the index is built at the end */
        for (size_t i = 0; i < regions->count; i++) {
            if (strcmp(regions->region[i].id, id) == 0) return (int)i;
        }
        return -1;
    }
    size_t lo = 0, hi = regions->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(regions->region[regions->by_id[mid]].id, id);
        if (cmp == 0) return regions->by_id[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int tpt_region_at(const tpt_regions *regions, int key, tpt_side side)
{
    if (key < 0 || (size_t)key >= regions->nparts + regions->nmidline) return -1;
    if ((size_t)key >= regions->nparts) return (int)regions->nparts + key;
    return (side == TPT_RIGHT ? (int)regions->nparts : 0) + key;
}

size_t tpt__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > TPT_MARK_TEXT_MAX || lb > TPT_MARK_TEXT_MAX) return cap;
    size_t row[TPT_MARK_TEXT_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] < cap ? row[lb] : cap;
}

size_t tpt_region_suggest(const tpt_regions *regions, const char *text, int *out, size_t max)
{
    /* Only ids within a third of the text's length (at least 2 edits) count as close. */
    size_t cap = strlen(text) / 3;
    if (cap < 2) cap = 2;
    size_t dist[8];
    size_t n = 0;
    if (max > 8) max = 8;
    /* Ids are lower case; a shouted id should still find its match. */
    char lower[TPT_MARK_TEXT_MAX];
    size_t len = strlen(text) < sizeof lower - 1 ? strlen(text) : sizeof lower - 1;
    for (size_t i = 0; i < len; i++)
        lower[i] = (char)tolower((unsigned char)text[i]);
    lower[len] = '\0';
    for (size_t i = 0; i < regions->count; i++) {
        size_t d = tpt__edit_distance(lower, regions->region[i].id, cap + 1);
        if (d > cap) continue;
        size_t pos = n < max ? n++ : max;
        while (pos > 0 && dist[pos - 1] > d) {
            if (pos < max) {
                dist[pos] = dist[pos - 1];
                out[pos] = out[pos - 1];
            }
            pos--;
        }
        if (pos < max) {
            dist[pos] = d;
            out[pos] = (int)i;
        }
    }
    return n;
}

/* ---- marks ---- */

static int unknown_region(const tpt_regions *regions, const char *region, const char *mark,
                          tpt_error *err)
{
    int near[3];
    size_t n = tpt_region_suggest(regions, region, near, 3);
    char hint[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof hint; i++) {
        used += (size_t)snprintf(hint + used, sizeof hint - used, "%s%s", i ? ", " : "",
                                 regions->region[near[i]].id);
    }
    const char *in_mark = strcmp(region, mark) == 0 ? "" : " in mark '";
    return tpt__fail(err, TPT_ERR_INPUT, "unknown region '%s'%s%s%s; %s%s", region, in_mark,
                     *in_mark ? mark : "", *in_mark ? "'" : "",
                     n ? "closest valid ids: " : "no id is close (tpt regions lists them all)",
                     hint);
}

static int parse_intensity(const char *text, int *out)
{
    if (!*text || strlen(text) > 2) return -1;
    int value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        value = value * 10 + (*p - '0');
    }
    if (value < 1 || value > 10) return -1;
    *out = value;
    return 0;
}

int tpt_mark_parse(const tpt_regions *regions, const char *text, tpt_mark *out, tpt_error *err)
{
    size_t len = strlen(text);
    out->region = -1;
    if (len == 0) return tpt__fail(err, TPT_ERR_INPUT, "empty mark");
    if (len >= TPT_MARK_TEXT_MAX)
        return tpt__fail(err, TPT_ERR_INPUT, "mark '%.40s...' is longer than %d characters", text,
                         TPT_MARK_TEXT_MAX - 1);

    char buf[TPT_MARK_TEXT_MAX];
    memcpy(buf, text, len + 1);
    char *fields[4];
    size_t n = 0;
    for (char *p = buf;; p++) {
        if (n == 4) break;
        fields[n++] = p;
        p = strchr(p, ':');
        if (!p) break;
        *p = '\0';
    }
    if (n > 3)
        return tpt__fail(err, TPT_ERR_INPUT,
                         "mark '%s' has too many parts (region[:kind][:intensity])", text);

    out->region = tpt_region_find(regions, fields[0]);
    if (out->region < 0) return unknown_region(regions, fields[0], text, err);
    out->kind = TPT_ACHE;
    out->intensity = 0;

    size_t next = 1;
    /* The kind may be left out before an intensity: "r.calf.upper:6". */
    if (next < n && !(fields[next][0] >= '0' && fields[next][0] <= '9')) {
        if (tpt_kind_parse(fields[next], &out->kind) != 0)
            return tpt__fail(err, TPT_ERR_INPUT,
                             "unknown symptom kind '%s' in mark '%s' (kinds: ache, sharp, "
                             "burning, tingling, numb)",
                             fields[next], text);
        next++;
    }
    if (next < n) {
        if (parse_intensity(fields[next], &out->intensity) != 0)
            return tpt__fail(err, TPT_ERR_INPUT,
                             "intensity '%s' in mark '%s' must be a whole number from 1 to 10",
                             fields[next], text);
        next++;
    }
    if (next < n)
        return tpt__fail(err, TPT_ERR_INPUT,
                         "mark '%s' has an unexpected part '%s' (region[:kind][:intensity])", text,
                         fields[next]);
    return 0;
}

int tpt_drawing_add(tpt_drawing *drawing, const tpt_regions *regions, const tpt_mark *mark,
                    tpt_error *err)
{
    for (size_t i = 0; i < drawing->count; i++) {
        if (drawing->marks[i].region == mark->region)
            return tpt__fail(err, TPT_ERR_INPUT,
                             "region %s is marked twice; give each region one mark",
                             regions->region[mark->region].id);
    }
    if (drawing->count >= TPT_MAX_REGIONS)
        return tpt__fail(err, TPT_ERR_INPUT, "a drawing has at most %d marks", TPT_MAX_REGIONS);
    drawing->marks[drawing->count++] = *mark;
    return 0;
}
