/*
** kbsources.c — the knowledge base's sources as JSON (kbsources.h).
*/
#include "kb/kbsources.h"

#include "kb/kb_internal.h"
#include "util/jsonw.h"

int mt_kb_sources_json(const mt_kb *kb, int pretty, mt_buf *out)
{
    mt_jsonw j;
    mt_kb_summary info;
    uint32_t i, n;
    const kb_source *s = mt_kb_sources(kb, &n);

    mt_kb_info(kb, &info);
    mt_jsonw_init(&j, out, pretty);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kstr(&j, "data_version", info.data_version);
    mt_jsonw_kstr(&j, "build_date", info.build_date);
    mt_jsonw_key(&j, "sources");
    mt_jsonw_arr_begin(&j);
    for (i = 0; i < n; i++) {
        mt_jsonw_obj_begin(&j);
        mt_jsonw_kstr(&j, "id", mt_kb_str(kb, s[i].id));
        mt_jsonw_kstr(&j, "name", mt_kb_str(kb, s[i].name));
        mt_jsonw_kstr(&j, "edition", mt_kb_str(kb, s[i].edition));
        mt_jsonw_kstr(&j, "licence", mt_kb_str(kb, s[i].licence));
        mt_jsonw_kstr(&j, "attribution", mt_kb_str(kb, s[i].attribution));
        mt_jsonw_kstr(&j, "url", mt_kb_str(kb, s[i].url));
        mt_jsonw_kstr(&j, "kind", mt_kb_str(kb, s[i].kind));
        mt_jsonw_kstr(&j, "folder", mt_kb_str(kb, s[i].folder));
        mt_jsonw_key(&j, "records");
        mt_jsonw_obj_begin(&j);
        mt_jsonw_kuint(&j, "rows", s[i].rows);
        mt_jsonw_kuint(&j, "matched", s[i].matched);
        mt_jsonw_kuint(&j, "unmatched", s[i].unmatched);
        mt_jsonw_kuint(&j, "created", s[i].created);
        mt_jsonw_kuint(&j, "facts", s[i].facts);
        mt_jsonw_obj_end(&j);
        mt_jsonw_obj_end(&j);
    }
    mt_jsonw_arr_end(&j);
    mt_jsonw_obj_end(&j);
    return mt_jsonw_finish(&j);
}
