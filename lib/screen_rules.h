/* The screen's rules inside libtpt: loading them (screen.c calls this once
 * the questions are loaded) and the three-valued reading of a condition. */
#ifndef TPT_SCREEN_RULES_H
#define TPT_SCREEN_RULES_H

#include "tpt/screen.h"
#include "validate.h"

/* Loads root's "conditions" (named, optional) and "rules" into def, whose
 * questions are already loaded, and works out each question's own level. */
int tpt__screen_rules_load(tpt__validator *v, tpt_screen_def *def, json_t *root);

#endif
