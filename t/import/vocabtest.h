/*
** vocabtest.h — support for the identity and facts importer tests (RxNorm,
** RxTerms, DrugBank, DrugCentral, Drugs@FDA, PharmacotherapyDB, LabeledIn,
** DEA, ACB): a model, an import runner that registers each source as the
** pipeline does, and lookups of the facts the tests assert.
*/
#ifndef MT_T_VOCABTEST_H
#define MT_T_VOCABTEST_H

#include "import/import.h"
#include "model/model.h"
#include "util/buf.h"

typedef struct vt_env {
    mdl    m;
    mt_buf err, warn;
    mt_import_ctx last;       /* context of the last import run */
} vt_env;

typedef int (*vt_importer)(mt_import_ctx *ctx);

void vt_init(vt_env *e);
void vt_free(vt_env *e);
/* Registers source `id` read from `dir` and runs the importer on it (a source
** already registered with that id is reused). Returns its status; the error
** and notes stay in e->err / e->warn. */
int  vt_run(vt_env *e, vt_importer fn, const char *id, const char *dir);
/* Registers source `id` without importing it, as the pipeline registers every
** source first (the DrugBank importer reads DrugCentral's cross-references). */
int  vt_register(vt_env *e, const char *id, const char *dir);
/* The source registered as `id` (its counters), or NULL. */
const mdl_source *vt_source(const vt_env *e, const char *id);

/* "t/fixtures/<folder>" (static storage, 4 rotating buffers). */
const char *vt_fixture(const char *folder);
/* "$MATERIA_SOURCES/<folder>" when it exists, else NULL and the test is
** marked skipped. Static storage, 4 rotating buffers. */
const char *vt_bundled(const char *folder);

/* Runs the identity importers on their fixtures, in pipeline order: RxNorm,
** RxTerms, DrugBank. Returns the first failing status. */
int  vt_identity_fixtures(vt_env *e);

/* A drug by RxCUI / by name (exact normalized name of the drug's display
** name or any of its names), or MDL_NONE. */
mdl_ref vt_drug_rxcui(const vt_env *e, uint32_t rxcui);
mdl_ref vt_drug_named(const vt_env *e, const char *name);
/* Whether the drug has a name of that kind (MT_NAME_*, 0 = any) equal to
** `text` after normalization; the matching name, or NULL. */
const mdl_name *vt_name(const vt_env *e, mdl_ref drug, int kind, const char *text);
/* Whether the drug has an identifier of that type and value. */
const mdl_ident *vt_ident(const vt_env *e, mdl_ref drug, int type, const char *value);
/* The drug's class of that name (exact), or NULL. */
const mdl_class *vt_class(const vt_env *e, mdl_ref drug, const char *name);
/* The drug's indication with that category (0 = any) and disease name (exact), or NULL. */
const mdl_indication *vt_indication(const vt_env *e, mdl_ref drug, int category, const char *disease);
/* Number of products linked to the drug. */
unsigned vt_product_count(const vt_env *e, mdl_ref drug);
/* Whether product (by RxCUI) is linked to the drug. */
int  vt_product_linked(const vt_env *e, uint32_t product_rxcui, mdl_ref drug);

#endif /* MT_T_VOCABTEST_H */
