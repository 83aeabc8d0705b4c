/*
** kbsources.h — the sources of a knowledge base as JSON, shared by
** `materia sources --json` and GET /api/v1/sources so both say the same.
*/
#ifndef MT_KBSOURCES_H
#define MT_KBSOURCES_H

#include "materia/kb.h"
#include "util/buf.h"

/* Appends {"data_version", "build_date", "sources": [{id, name, edition,
** licence, attribution, url, kind, folder, records: {rows, matched,
** unmatched, created, facts}}]} to out. MT_OK, MT_ENOMEM, MT_ELIMIT. */
int mt_kb_sources_json(const mt_kb *kb, int pretty, mt_buf *out);

#endif /* MT_KBSOURCES_H */
