/*
** official.h — the official releases a user has downloaded and passes to
** `materia build --source KIND=PATH` (docs/official-releases.md): which kinds
** there are, how each is checked and registered as a source, where its
** importers run among the bundled ones, and the merge that follows the
** imports (a label kept once per set id, labels joined through RxNorm's SPL
** set ids).
**
** The pipeline (pipeline.c) owns one mt_official per build: it adds every
** --source before any import (a missing file is named at once), asks which
** bundled importer each official step follows and whether an official source
** replaces a bundled one, runs the steps, and calls mt_official_finish before
** the knowledge base is written.
*/
#ifndef MT_OFFICIAL_H
#define MT_OFFICIAL_H

#include <stddef.h>

#include "import/import.h"

#define MT_OFFICIAL_MAX 8          /* --source options in one build */

typedef struct mt_official mt_official;

/* Whether kind names an official release ("rxnorm-rrf", "fda-ndc",
** "drugsatfda", "openfda-label", "dailymed-spl"). */
int  mt_official_kind_known(const char *kind);
/* The kinds, for messages: "rxnorm-rrf, fda-ndc, drugsatfda, openfda-label, dailymed-spl". */
const char *mt_official_kinds(void);

int  mt_official_new(mt_official **out);
void mt_official_free(mt_official *o);

/* Checks that path (the release's folder, or its zip as downloaded: a zip is
** read as the folder it unzips to, source/srczip.h) holds the files of that
** kind and registers the source (id = kind, name, licence and attribution
** of the publisher, edition from the files where they state it). MT_EINVAL
** for an unknown or repeated kind, MT_ENOTFOUND / MT_EFORMAT for a path
** without the expected files or a damaged zip, with "PATH: reason" in err. */
int  mt_official_add(mt_official *o, mdl *m, const char *kind, const char *path, mt_buf *err);
/* How many sources were added. */
size_t mt_official_count(const mt_official *o);

/* The official kind given that replaces the bundled importer `bundled_id`
** (the Drugs@FDA files replace the bundled 2019 extract), or NULL. */
const char *mt_official_replaces(const mt_official *o, const char *bundled_id);

/* The import steps, in order. A step runs right after the bundled importer
** `after`, only when its kind was given. */
typedef struct mt_official_step {
    const char *kind;
    const char *after;
} mt_official_step;
size_t mt_official_nsteps(void);
const mt_official_step *mt_official_step_at(size_t i);
/* The source of a kind that was given, or MT_ENOTFOUND. */
int  mt_official_source(const mt_official *o, const char *kind, mdl_src *out);
/* Runs step i; ctx is filled as for a bundled importer (m, err, warn,
** progress), src and dir are set here. */
int  mt_official_run(mt_official *o, size_t i, mt_import_ctx *ctx);

/* After every import: a label (US SPL, by set id) imported more than once
** is kept once, the newest effective date winning, then an SPL XML over an
** openFDA JSON label, then the later import; the older copies go with their
** sections and, for SPL XML labels, their pills. Labels that joined no drug
** are joined through the SPL set ids of the RxNorm release when one was
** given. Notes what it did in warn. */
int  mt_official_finish(mt_official *o, mdl *m, mt_buf *warn);

#endif /* MT_OFFICIAL_H */
