/*
** pipeline.h — `materia build`: bundled sources -> importers -> model ->
** knowledge-base file, with a report of what each source contributed.
**
** mt_build_run scans the sources folder, registers every source from its
** SOURCE.meta (all of them first, so that an importer can look at another
** source, e.g. ANSM at the WorldVistA translation), then runs the importers
** of import.h in dependency order — with the official releases given, each
** after the bundled importer official.h places it — then writes the file with
** mt_kb_write (atomically: a failed build leaves the previous file untouched).
*/
#ifndef MT_PIPELINE_H
#define MT_PIPELINE_H

#include <stdint.h>
#include <stdio.h>

#include "kbwrite/kbwrite.h"
#include "util/buf.h"

/* An official release the user downloaded (`--source KIND=PATH`), merged with
** the bundled sources (lib/import/official.h, docs/official-releases.md). */
typedef struct mt_build_release {
    const char *kind;           /* "rxnorm-rrf", "fda-ndc", "drugsatfda", "openfda-label", "dailymed-spl" */
    const char *path;
} mt_build_release;

typedef struct mt_build_opts {
    const char *sources_dir;    /* NULL = "data/sources" */
    const char *out_path;       /* NULL = "build/materia.kb" */
    const char *data_version;   /* NULL = a fingerprint of the sources */
    int         progress;       /* -1: on when stderr is a terminal; 0 off; 1 on */
    FILE       *progress_out;   /* NULL = stderr */
    const mt_kb_section_hook *hooks;  /* NULL = the registry (lib/kbwrite/hooks.c) */
    const mt_build_release *releases; /* official releases, checked before any import */
    size_t      nreleases;
} mt_build_opts;

typedef struct mt_build_source {
    char     id[64];
    char     folder[128];       /* "" for a built-in source */
    uint32_t rows, matched, unmatched, created, facts, skipped;
    uint32_t notes;             /* lines it added to mt_build_report.warnings */
    double   seconds;           /* time spent in its importer */
    int      imported;          /* an importer ran for it */
} mt_build_source;

typedef struct mt_build_report {
    mt_build_source *sources;   /* in registration order */
    uint32_t nsources;
    mt_build_source total;      /* sums over all sources (id "total") */
    uint32_t id_conflicts;      /* identifiers kept but not used for joining */
    uint32_t drugs, names, products, ndcs, classes, indications, pills, ixrules, ixpairs, docs;
    uint64_t kb_bytes;          /* size of the written file */
    double   import_seconds, write_seconds, total_seconds;
    mt_buf   warnings;          /* importer notes, one per line, "id: note" */
    mt_buf   error;             /* on failure: what and where ("file:line: reason") */
} mt_build_report;

/* Runs the build. r is initialised here (free it with mt_build_report_free
** in every case). Returns MT_OK; MT_ENOTFOUND (a bundled source folder or an
** official release's file is missing: r->error names it); MT_EINVAL (an
** unknown or repeated release kind); MT_EFORMAT/MT_EIO from a source
** (r->error has "file:line: reason"); MT_ENOMEM; or a writer error. On any
** failure the output file is left as it was. */
int  mt_build_run(const mt_build_opts *o, mt_build_report *r);
void mt_build_report_free(mt_build_report *r);

/* The ids the pipeline imports, in order (for documentation and tests):
** calls fn(id, folder hint, user) for each. */
void mt_build_each_importer(void (*fn)(const char *id, const char *folder, void *user), void *user);

#endif /* MT_PIPELINE_H */
