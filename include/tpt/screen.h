/* The red-flag screen: questions that must come before any self-treatment,
 * read from data/screen.json, and the level and advice their answers give
 * (spec/interface.md, `tpt screen`). */
#ifndef TPT_SCREEN_H
#define TPT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "tpt/error.h"
#include "tpt/level.h"
#include "tpt/sourced.h"

#define TPT_SCREEN_MAX_QUESTIONS 64
#define TPT_ANSWERS_FILE_MAX (64u << 10) /* bytes of an answers file */

typedef enum tpt_question_type { TPT_QUESTION_BOOLEAN = 0, TPT_QUESTION_INTEGER } tpt_question_type;

/* An integer question is a flag when the answer is below `below`, above
 * `above`, or at least `at_least` (each optional). */
typedef struct tpt_threshold {
    bool set;
    tpt_number limit;
} tpt_threshold;

typedef struct tpt_question {
    const char *key;      /* the answer key of the interface */
    const char *question; /* asked in plain words */
    const char *flag;     /* what a yes (or a number past a threshold) means */
    tpt_question_type type;
    tpt_level level;    /* the level a flag raises */
    bool unsure_is_yes; /* "not sure" counts as yes (every emergency question) */
    long min, max;      /* integer answers accepted */
    tpt_threshold below, above, at_least;
    tpt_strings source;
} tpt_question;

typedef struct tpt_screen_def {
    tpt_sources sources;
    struct {
        const char *advice;
        tpt_strings source;
    } levels[TPT_LEVEL_EMERGENCY + 1];
    size_t nquestions;
    tpt_question *questions; /* in the order they are asked: the most serious first */
    struct tpt__arena *arena;
} tpt_screen_def;

/* Loads the questions from JSON text; name is used as name:line:column in
 * messages. The caller owns the result (tpt_screen_def_free). */
tpt_screen_def *tpt_screen_def_load(const char *json, size_t len, const char *name, tpt_error *err);
tpt_screen_def *tpt_screen_def_default(tpt_error *err);
void tpt_screen_def_free(tpt_screen_def *def);
/* Index of a question key, or -1. */
int tpt_screen_find(const tpt_screen_def *def, const char *key);

typedef enum tpt_answer_state {
    TPT_UNANSWERED = 0,
    TPT_ANSWER_NO,
    TPT_ANSWER_YES,
    TPT_ANSWER_UNSURE,
    TPT_ANSWER_NUMBER
} tpt_answer_state;

typedef struct tpt_answer {
    tpt_answer_state state;
    long number; /* for TPT_ANSWER_NUMBER */
} tpt_answer;

typedef struct tpt_answers {
    tpt_answer answer[TPT_SCREEN_MAX_QUESTIONS]; /* by question index */
} tpt_answers;

/* Reads answers as a JSON object: true/false for yes/no questions, whole
 * numbers for the others, "not-sure" for either. An unknown key, a wrong type
 * or a number out of range is an input error naming it (name:line:column). */
int tpt_answers_parse(const tpt_screen_def *def, const char *json, size_t len, const char *name,
                      tpt_answers *out, tpt_error *err);
/* Reads a typed reply to question q: y/yes, n/no, ?/not sure (and a whole
 * number for integer questions). */
int tpt_answer_reply(const tpt_screen_def *def, size_t q, const char *reply, tpt_answer *out,
                     tpt_error *err);

typedef struct tpt_screen_result {
    tpt_level level;
    size_t nflags, nunanswered, nunsure;
    int flags[TPT_SCREEN_MAX_QUESTIONS]; /* question indexes, most serious first */
    int unanswered[TPT_SCREEN_MAX_QUESTIONS];
    int unsure[TPT_SCREEN_MAX_QUESTIONS];
    /* Every emergency and urgent question has an answer: without that, no
     * screen can clear self-treatment. */
    bool complete;
} tpt_screen_result;

void tpt_screen_evaluate(const tpt_screen_def *def, const tpt_answers *answers,
                         tpt_screen_result *out);
/* Whether the answer to question q raises its flag. */
bool tpt_question_flagged(const tpt_question *q, const tpt_answer *a);

#endif
