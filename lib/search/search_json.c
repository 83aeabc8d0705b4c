/*
** search_json.c — search results as JSON (search_json.h).
*/
#include "search/search_json.h"

#include "kb/kb_internal.h"
#include "util/jsonw.h"

const char *mt_search_name_kind_name(unsigned kind)
{
    static const char *const names[] = {
        "", "ingredient", "synonym", "brand", "product", "international", "salt"
    };
    return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "";
}

/* One hit as a JSON object. */
static void hit_json(mt_jsonw *j, const mt_kb *kb, const mt_search_hit *h)
{
    const kb_drug *d = mt_kb_drug(kb, h->drug);
    mt_jsonw_obj_begin(j);
    mt_jsonw_kstr(j, "drug", h->drug_name);
    mt_jsonw_kuint(j, "drug_id", h->drug);
    if (d && d->rxcui)
        mt_jsonw_kuint(j, "rxcui", d->rxcui);
    else {
        mt_jsonw_key(j, "rxcui");
        mt_jsonw_null(j);
    }
    mt_jsonw_kstr(j, "tier", mt_search_tier_name(h->tier));
    mt_jsonw_kstr(j, "matched", h->name);
    mt_jsonw_kstr(j, "name_kind", mt_search_name_kind_name(h->name_kind));
    if (h->code_type)
        mt_jsonw_kstr(j, "code_type", mt_search_code_name(h->code_type));
    if (h->name_drug != h->drug) {
        const kb_drug *via = mt_kb_drug(kb, h->name_drug);
        mt_jsonw_kstr(j, "via", via ? mt_kb_str(kb, via->name) : "");
    }
    mt_jsonw_kstr(j, "source", h->source);
    mt_jsonw_kuint(j, "distance", h->distance);
    mt_jsonw_kuint(j, "prior", h->prior);
    mt_jsonw_obj_end(j);
}

int mt_search_json(const mt_kb *kb, const char *query, const mt_search_results *r,
                   const mt_search_results *sug, int pretty, mt_buf *out)
{
    mt_jsonw j;
    uint32_t i;
    int rc;

    mt_jsonw_init(&j, out, pretty);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kstr(&j, "query", query);
    mt_jsonw_kuint(&j, "count", r->count);
    mt_jsonw_key(&j, "results");
    mt_jsonw_arr_begin(&j);
    for (i = 0; i < r->count; i++)
        hit_json(&j, kb, &r->hits[i]);
    mt_jsonw_arr_end(&j);
    if (r->count == 0) {
        mt_jsonw_key(&j, "suggestions");
        mt_jsonw_arr_begin(&j);
        for (i = 0; sug && i < sug->count; i++)
            hit_json(&j, kb, &sug->hits[i]);
        mt_jsonw_arr_end(&j);
    }
    mt_jsonw_obj_end(&j);
    rc = mt_jsonw_finish(&j);
    return rc;
}
