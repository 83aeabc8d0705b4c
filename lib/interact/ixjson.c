/*
** ixjson.c — a check result as JSON (mt_check_json, materia/interact.h), in
** the shape docs/reference/interactions-api.md documents field by field, following the
** conventions of docs/json-shapes.md: every documented key is present (null
** or [] when empty), every cited fact carries "source" and "record", and the
** top-level "sources" map describes every source the document names.
** t/interact/test_interact_json.c checks the output against the document.
*/
#include "materia/interact.h"

#include <string.h>

#include "kb/kb_internal.h"
#include "util/buf.h"
#include "util/jsonw.h"

static void w_sev(mt_jsonw *j, const char *key, int sev)
{
    mt_jsonw_key(j, key);
    if (sev == MT_CHECK_SEV_NONE)
        mt_jsonw_null(j);
    else
        mt_jsonw_str(j, mt_check_severity_name(sev));
}

/* "source" and "record" of a cited fact, flattened into the current object. */
static void w_cite(mt_jsonw *j, const char *skey, const char *rkey, const mt_check_cite *c)
{
    mt_jsonw_kstr(j, skey, c->source);
    mt_jsonw_kstr(j, rkey, c->record);
}

static void w_indices(mt_jsonw *j, const char *key, const uint32_t *v, uint32_t n)
{
    uint32_t i;
    mt_jsonw_key(j, key);
    mt_jsonw_arr_begin(j);
    for (i = 0; i < n; i++)
        mt_jsonw_uint(j, v[i]);
    mt_jsonw_arr_end(j);
}

static void w_drug(mt_jsonw *j, uint32_t id, const char *name)
{
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "id", id);
    mt_jsonw_kstr(j, "name", name);
    mt_jsonw_obj_end(j);
}

static const char *drug_kind_name(int kind)
{
    switch (kind) {
    case MT_DRUG_INGREDIENT: return "ingredient";
    case MT_DRUG_PRECISE:    return "precise_ingredient";
    case MT_DRUG_MULTI:      return "multiple_ingredients";
    case MT_DRUG_SUBSTANCE:  return "substance";
    case MT_DRUG_NONDRUG:    return "non_drug";
    default:                 return "unknown";
    }
}

static void w_input(mt_jsonw *j, const mt_check_input *in, uint32_t index)
{
    uint32_t i;
    int resolved = in->how != MT_CHECK_UNRESOLVED;

    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "index", index);
    mt_jsonw_kstr(j, "text", in->text);
    mt_jsonw_kbool(j, "resolved", resolved);
    mt_jsonw_kstr(j, "how", mt_check_how_name(in->how));
    mt_jsonw_kstr(j, "match", in->tier);
    mt_jsonw_kstr(j, "matched", in->matched);
    mt_jsonw_kstr(j, "matched_kind", in->match_kind);
    mt_jsonw_kbool(j, "ambiguous", in->ambiguous);
    w_cite(j, "source", "record", &in->cite);
    mt_jsonw_key(j, "product");
    if (in->product == MT_CHECK_NONE) {
        mt_jsonw_null(j);
    } else {
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", in->product);
        mt_jsonw_kstr(j, "name", in->product_name);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_key(j, "ingredients");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < in->ning; i++) {
        const mt_check_ing *g = &in->ings[i];
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", g->base);
        mt_jsonw_kstr(j, "name", g->name);
        mt_jsonw_key(j, "as");
        if (g->drug != g->base)
            w_drug(j, g->drug, g->via_name);
        else
            mt_jsonw_null(j);
        mt_jsonw_kstr(j, "kind", drug_kind_name(g->kind));
        mt_jsonw_kbool(j, "covered", g->covered);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_kbool(j, "covered", in->covered);
    mt_jsonw_kstr(j, "why", resolved ? NULL : in->why);
    mt_jsonw_key(j, "suggestions");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < in->nsuggestions; i++)
        mt_jsonw_str(j, in->suggestions[i]);
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
}

static void w_evidence(mt_jsonw *j, const mt_check_evidence *e)
{
    mt_jsonw_obj_begin(j);
    w_cite(j, "source", "record", &e->cite);
    mt_jsonw_kuint(j, "rule", e->rule);
    mt_jsonw_kstr(j, "kind", mt_check_kind_name(e->kind));
    mt_jsonw_kstr(j, "level", e->level);
    mt_jsonw_kstr(j, "severity", mt_check_severity_name(e->severity));
    mt_jsonw_kstr(j, "tier", mt_check_tier_name(e->tier));
    mt_jsonw_key(j, "drugs");
    mt_jsonw_arr_begin(j);
    w_drug(j, e->drug_a, e->name_a);
    w_drug(j, e->drug_b, e->name_b);
    mt_jsonw_arr_end(j);
    mt_jsonw_key(j, "labels");
    mt_jsonw_arr_begin(j);
    mt_jsonw_str(j, e->a_label);
    mt_jsonw_str(j, e->b_label);
    mt_jsonw_arr_end(j);
    mt_jsonw_kstr(j, "dur", e->dur);
    mt_jsonw_kstr(j, "effect", e->effect);
    mt_jsonw_kstr(j, "mechanism", e->mechanism);
    mt_jsonw_kstr(j, "management", e->management);
    mt_jsonw_kstr(j, "lang", e->lang);
    w_cite(j, "text_source", "text_record", &e->text_cite);
    mt_jsonw_obj_end(j);
}

static void w_dup(mt_jsonw *j, const mt_check_dup *d)
{
    mt_jsonw_obj_begin(j);
    mt_jsonw_kstr(j, "type", d->type == MT_DUP_INGREDIENT ? "ingredient" : "class");
    mt_jsonw_kstr(j, "code", d->type == MT_DUP_INGREDIENT ? "ID" : "TD");
    mt_jsonw_key(j, "drugs");
    mt_jsonw_arr_begin(j);
    w_drug(j, d->drug_a, d->name_a);
    w_drug(j, d->drug_b, d->name_b);
    mt_jsonw_arr_end(j);
    mt_jsonw_key(j, "class");
    if (d->cls == MT_CHECK_NONE) {
        mt_jsonw_null(j);
    } else {
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", d->cls);
        mt_jsonw_kstr(j, "type", d->class_type);
        mt_jsonw_kstr(j, "name", d->class_name);
        mt_jsonw_kstr(j, "code", d->class_code);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_key(j, "evidence");
    mt_jsonw_arr_begin(j);
    mt_jsonw_obj_begin(j);
    w_cite(j, "source", "record", &d->cite_a);
    mt_jsonw_obj_end(j);
    mt_jsonw_obj_begin(j);
    w_cite(j, "source", "record", &d->cite_b);
    mt_jsonw_obj_end(j);
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
}

static void w_finding(mt_jsonw *j, const mt_check_finding *f)
{
    uint32_t i;
    mt_jsonw_obj_begin(j);
    mt_jsonw_key(j, "inputs");
    mt_jsonw_arr_begin(j);
    mt_jsonw_uint(j, f->input_a);
    mt_jsonw_uint(j, f->input_b);
    mt_jsonw_arr_end(j);
    w_sev(j, "severity", f->severity);
    w_sev(j, "harm_reduction_severity", f->hr_severity);
    w_sev(j, "rank", f->rank);
    mt_jsonw_kbool(j, "harm_reduction_only", f->severity == MT_CHECK_SEV_NONE && f->hr_severity != MT_CHECK_SEV_NONE);
    mt_jsonw_kstr(j, "tier", mt_check_tier_name(f->tier));
    mt_jsonw_kbool(j, "disagreement", f->disagreement);
    mt_jsonw_key(j, "dur");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < f->ndur; i++)
        mt_jsonw_str(j, f->dur[i]);
    mt_jsonw_arr_end(j);
    mt_jsonw_key(j, "evidence");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < f->nev; i++)
        w_evidence(j, &f->ev[i]);
    mt_jsonw_arr_end(j);
    mt_jsonw_key(j, "duplications");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < f->ndups; i++)
        w_dup(j, &f->dups[i]);
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
}

static void w_member(mt_jsonw *j, const mt_check_member *m, int scored)
{
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "input", m->input);
    mt_jsonw_kuint(j, "id", m->drug);
    mt_jsonw_kstr(j, "name", m->name);
    if (scored) {
        mt_jsonw_kint(j, "score", m->score);
        mt_jsonw_kstr(j, "scale", m->scale);
    }
    w_cite(j, "source", "record", &m->cite);
    mt_jsonw_obj_end(j);
}

/* --- the sources map: every source id the document names ----------------------- */

typedef struct srcset {
    uint8_t used[1024];
} srcset;

static void mark(const mt_kb *kb, srcset *s, const char *id)
{
    uint32_t n, i;
    const kb_source *src;
    if (!kb || !id)
        return;
    src = mt_kb_sources(kb, &n);
    for (i = 0; i < n && i < sizeof(s->used); i++)
        if (strcmp(mt_kb_str(kb, src[i].id), id) == 0) {
            s->used[i] = 1;
            return;
        }
}

static void mark_all(const mt_check_result *r, srcset *s)
{
    uint32_t i, k;
    memset(s, 0, sizeof(*s));
    for (i = 0; i < r->ninputs; i++)
        mark(r->kb, s, r->inputs[i].cite.source);
    for (i = 0; i < r->nfindings; i++) {
        const mt_check_finding *f = &r->findings[i];
        for (k = 0; k < f->nev; k++) {
            mark(r->kb, s, f->ev[k].cite.source);
            mark(r->kb, s, f->ev[k].text_cite.source);
        }
        for (k = 0; k < f->ndups; k++) {
            mark(r->kb, s, f->dups[k].cite_a.source);
            mark(r->kb, s, f->dups[k].cite_b.source);
        }
    }
    for (i = 0; i < r->neffects; i++) {
        mark(r->kb, s, r->effects[i].class_cite.source);
        for (k = 0; k < r->effects[i].nmembers; k++)
            mark(r->kb, s, r->effects[i].members[k].cite.source);
    }
    for (i = 0; i < r->acb.nitems; i++)
        mark(r->kb, s, r->acb.items[i].cite.source);
    for (i = 0; i < r->nsources; i++)
        mark(r->kb, s, r->sources[i].id);
}

static void w_sources(mt_jsonw *j, const mt_check_result *r)
{
    srcset s;
    uint32_t n = 0, i;
    const kb_source *src = r->kb ? mt_kb_sources(r->kb, &n) : NULL;

    mark_all(r, &s);
    mt_jsonw_key(j, "sources");
    mt_jsonw_obj_begin(j);
    for (i = 0; src && i < n && i < sizeof(s.used); i++) {
        if (!s.used[i])
            continue;
        mt_jsonw_key(j, mt_kb_str(r->kb, src[i].id));
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "name", mt_kb_str(r->kb, src[i].name));
        mt_jsonw_kstr(j, "edition", *mt_kb_str(r->kb, src[i].edition) ? mt_kb_str(r->kb, src[i].edition) : NULL);
        mt_jsonw_kstr(j, "licence", *mt_kb_str(r->kb, src[i].licence) ? mt_kb_str(r->kb, src[i].licence) : NULL);
        mt_jsonw_kstr(j, "attribution",
                      *mt_kb_str(r->kb, src[i].attribution) ? mt_kb_str(r->kb, src[i].attribution) : NULL);
        mt_jsonw_kstr(j, "url", *mt_kb_str(r->kb, src[i].url) ? mt_kb_str(r->kb, src[i].url) : NULL);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_obj_end(j);
}

/* --- the document ------------------------------------------------------------------ */

int mt_check_json(const mt_check_result *r, int pretty, struct mt_buf *out)
{
    mt_jsonw j;
    if (!r || !out)
        return MT_EINVAL;
    mt_jsonw_init(&j, out, pretty);
    mt_jsonw_obj_begin(&j);
    mt_check_json_members(r, &j);
    mt_jsonw_obj_end(&j);
    return mt_jsonw_finish(&j);
}

int mt_check_json_members(const mt_check_result *r, struct mt_jsonw *j)
{
    uint32_t i, k;
    int worst = MT_CHECK_SEV_NONE, worst_hr = MT_CHECK_SEV_NONE;
    mt_kb_summary info;

    if (!r || !j)
        return MT_EINVAL;
    memset(&info, 0, sizeof(info));
    if (r->kb)
        mt_kb_info(r->kb, &info);
    mt_jsonw_key(j, "kb");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kstr(j, "data_version", info.data_version);
    mt_jsonw_kstr(j, "build_date", info.build_date);
    mt_jsonw_obj_end(j);

    for (i = 0; i < r->nfindings; i++) {
        if (r->findings[i].severity > worst)
            worst = r->findings[i].severity;
        if (r->findings[i].hr_severity > worst_hr)
            worst_hr = r->findings[i].hr_severity;
    }
    mt_jsonw_key(j, "summary");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "inputs", r->ninputs);
    mt_jsonw_kuint(j, "resolved", r->nresolved);
    mt_jsonw_kuint(j, "unresolved", r->nunresolved);
    mt_jsonw_kuint(j, "uncovered", r->nuncovered);
    mt_jsonw_kuint(j, "findings", r->nfindings);
    mt_jsonw_kuint(j, "class_effects", r->neffects);
    w_sev(j, "most_severe", worst);
    w_sev(j, "most_severe_harm_reduction", worst_hr);
    mt_jsonw_kbool(j, "anticholinergic_alert", r->acb.alert);
    mt_jsonw_obj_end(j);

    mt_jsonw_key(j, "inputs");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < r->ninputs; i++)
        w_input(j, &r->inputs[i], i);
    mt_jsonw_arr_end(j);

    mt_jsonw_key(j, "findings");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < r->nfindings; i++)
        w_finding(j, &r->findings[i]);
    mt_jsonw_arr_end(j);

    mt_jsonw_key(j, "class_effects");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < r->neffects; i++) {
        const mt_check_class_effect *e = &r->effects[i];
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "effect", e->effect);
        mt_jsonw_kstr(j, "code", "AT");
        mt_jsonw_key(j, "class");
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", e->cls);
        mt_jsonw_kstr(j, "name", e->class_name);
        w_cite(j, "source", "record", &e->class_cite);
        mt_jsonw_obj_end(j);
        mt_jsonw_key(j, "members");
        mt_jsonw_arr_begin(j);
        for (k = 0; k < e->nmembers; k++)
            w_member(j, &e->members[k], 0);
        mt_jsonw_arr_end(j);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);

    mt_jsonw_key(j, "anticholinergic_burden");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kint(j, "total", r->acb.total);
    mt_jsonw_kint(j, "threshold", r->acb.threshold);
    mt_jsonw_kbool(j, "alert", r->acb.alert);
    mt_jsonw_kstr(j, "code", "AT");
    mt_jsonw_key(j, "items");
    mt_jsonw_arr_begin(j);
    for (k = 0; k < r->acb.nitems; k++)
        w_member(j, &r->acb.items[k], 1);
    mt_jsonw_arr_end(j);
    w_indices(j, "unscored", r->acb.unscored, r->acb.nunscored);
    mt_jsonw_obj_end(j);

    mt_jsonw_key(j, "coverage");
    mt_jsonw_obj_begin(j);
    w_indices(j, "unresolved", r->unresolved, r->nunresolved);
    w_indices(j, "uncovered", r->uncovered, r->nuncovered);
    mt_jsonw_key(j, "sources");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < r->nsources; i++) {
        const mt_check_source *s = &r->sources[i];
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "id", s->id);
        mt_jsonw_kstr(j, "kind", s->kind);
        w_indices(j, "covers", s->covers, s->ncovers);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);

    w_sources(j, r);
    return j->err;
}
