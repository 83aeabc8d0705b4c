/*
** search_json.h — search results as JSON, the one shape that `materia search
** --json` and GET /api/v1/search and /api/v1/autocomplete all write
** (docs/reference/json-shapes.md, "search").
*/
#ifndef MT_SEARCH_JSON_H
#define MT_SEARCH_JSON_H

#include "materia/search.h"
#include "util/buf.h"

/* Appends {"query", "count", "results": [...]} and, when nothing matched and
** sug is given, "suggestions": [...] to out (no trailing newline).
** MT_OK, MT_ENOMEM, MT_ELIMIT. */
int mt_search_json(const mt_kb *kb, const char *query, const mt_search_results *r,
                   const mt_search_results *sug, int pretty, mt_buf *out);

/* "ingredient", "synonym", "brand", "product", "international", "salt"
** for an mt_name_kind; "" for anything else. */
const char *mt_search_name_kind_name(unsigned kind);

#endif /* MT_SEARCH_JSON_H */
