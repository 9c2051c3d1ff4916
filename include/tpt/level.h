/* How urgently a person should see a clinician, shared by the warnings a
 * drawing raises and the red-flag screen. */
#ifndef TPT_LEVEL_H
#define TPT_LEVEL_H

typedef enum tpt_level {
    TPT_LEVEL_NONE = 0,
    TPT_LEVEL_SOON,     /* see a doctor within a week or two */
    TPT_LEVEL_URGENT,   /* see a doctor within a day or two */
    TPT_LEVEL_EMERGENCY /* go to an emergency department now */
} tpt_level;

const char *tpt_level_name(tpt_level level); /* "none", "soon", "urgent", "emergency" */
int tpt_level_parse(const char *name, tpt_level *out);
/* Whether self-treatment may go on: "stop" (emergency, urgent), "with-caution"
 * (soon) or "allowed" (none). */
const char *tpt_self_care_name(tpt_level level);
/* Self-treatment guidance may be shown only below urgent. */
#define TPT_SELF_CARE_ALLOWED(level) ((level) < TPT_LEVEL_URGENT)

#endif
