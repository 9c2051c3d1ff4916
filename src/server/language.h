/* The language of an answer: what the request asks for (?lang=, else its
 * Accept-Language), among those tpt speaks (tpt/words.h), English when
 * none; and the answer's texts put into it. */
#ifndef TPT_SERVER_LANGUAGE_H
#define TPT_SERVER_LANGUAGE_H

#include "context.h"

/* The catalogues of every language, into data->words; 0, or an error. */
int srv_languages_load(srv_data *data, tpt_error *err);
void srv_languages_free(srv_data *data);
/* The catalogue the request asks for (English's when it asks for none tpt has). */
const tpt_words *srv_words(const srv_data *data, const srv_request *req);
/* The language a field of the request's body names: the id of one tpt
 * speaks ("de"), or "" when `none` allows it; *out NULL when the field is
 * not there. 0, or a 400 naming the languages. */
int srv_language_field(srv_ctx *c, const char *key, bool none, const char **out);
/* Puts the JSON answer of c->res into the request's language. */
void srv_translate_answer(srv_ctx *c);

/* GET /api/v1/languages and GET /api/v1/messages/LANG (the pages' words). */
void srv_languages(srv_ctx *c);
void srv_messages(srv_ctx *c);

#endif
