/*
** pilltest.h — support for the pill and document importer tests: a test
** model with sources registered by id, an import context, and the hand-made
** RxNorm vocabulary (real RxCUIs and NDCs) those tests join to.
*/
#ifndef MT_T_PILLTEST_H
#define MT_T_PILLTEST_H

#include "import/import.h"
#include "model/model.h"
#include "util/buf.h"

typedef struct pt_env {
    mdl           m;
    mt_buf        err, warn;
    mt_import_ctx ctx;
} pt_env;

/* Initialises the model and buffers; registers the test vocabulary as source
** 0 and then a source `id` read from `dir`, and points the context at it. */
void pt_init(pt_env *e, const char *id, const char *dir);
void pt_free(pt_env *e);
/* Registers another source and returns it (the context is unchanged). */
mdl_src pt_source(pt_env *e, const char *id, const char *dir);
/* Imports the SPL colour and shape codes from t/fixtures/spl-pill-codes. */
int pt_load_codes(pt_env *e);

/* Adds an ingredient drug (cited to source 0, the test vocabulary). */
mdl_ref pt_drug(pt_env *e, const char *name, uint32_t rxcui, const char *unii);
/* Adds a product with one or two ingredients (ing2 may be MDL_NONE) and NDCs
** (NULL-terminated list of 11-digit codes). */
mdl_ref pt_product(pt_env *e, uint32_t rxcui, const char *tty, const char *name,
                   const char *brand, mdl_ref ing1, mdl_ref ing2, const char *const *ndcs);
/* Path of a fixture folder: "t/fixtures/<folder>". Static storage. */
const char *pt_fixture(const char *folder);
/* Path of a bundled source folder: "$MATERIA_SOURCES/<folder>", or NULL
** (and the test is marked skipped) when it does not exist. Static storage. */
const char *pt_bundled(const char *folder);

/* Writes `content` to a new temporary folder as `name` (for malformed-input
** tests); returns the folder (static storage) or NULL. pt_tmp_remove deletes both. */
const char *pt_tmp_write(const char *name, const char *content, size_t len);
void pt_tmp_remove(const char *dir, const char *name);

/* Allocation-failure torture: for n = 0, 1, 2, ... (then growing steps),
** builds a fresh environment (pt_init with id and dir, then setup), makes
** the n-th allocation fail, runs fn and checks that it returns MT_OK or
** MT_ENOMEM and frees cleanly (ASan reports a leak or a bad access). Stops
** at the first n that succeeds; returns the number of runs. */
int pt_torture(const char *id, const char *dir, void (*setup)(pt_env *), int (*fn)(mt_import_ctx *));

/* The first pill with that NDC-11 (and imprint, if not NULL), or NULL. */
const mdl_pill *pt_pill(const mdl *m, const char *ndc11, const char *imprint);

#endif /* MT_T_PILLTEST_H */
