/*
** ixvocab.h — a small hand-made vocabulary for the interaction-importer
** tests: real drugs with their real RxCUIs and DrugBank IDs, a few
** DrugCentral-style pharmacologic classes, and the non-drug interactants, as
** the vocabulary importers leave them before the interaction importers run.
*/
#ifndef T_IXVOCAB_H
#define T_IXVOCAB_H

#include "import/import.h"
#include "model/model.h"
#include "util/buf.h"

/* A test run of one importer: model, context and message buffers. */
typedef struct ixv_run {
    mdl           m;
    mt_buf        err, warn;
    mt_import_ctx ctx;
} ixv_run;

/* Initializes the model with the vocabulary and the non-drugs; MT_OK or an error. */
int  ixv_init(ixv_run *r);
/* Registers a source (id, folder) and points the context at it. */
int  ixv_source(ixv_run *r, const char *id, const char *dir);
void ixv_free(ixv_run *r);

/* The drug with this name (mdl_drug_find_name), or MDL_NONE. */
mdl_ref ixv_drug(const mdl *m, const char *name);

/* The first rule cited by source `src` that links drugs a and b, or MDL_NONE.
** With level != NULL, only a rule with that level. */
mdl_ref ixv_rule(const mdl *m, mdl_src src, mdl_ref a, mdl_ref b, const char *level);

/* Number of rules / pairs cited by source src. */
unsigned ixv_rules(const mdl *m, mdl_src src);
unsigned ixv_pairs(const mdl *m, mdl_src src);

/* Whether drug d is a member of the class (type, name). */
int  ixv_in_class(const mdl *m, mdl_ref d, const char *type, const char *name);

/* Allocation-failure torture: for n = 0, 1, 2, ... (then growing steps),
** builds a fresh run (ixv_init, a source `id` read from `dir`, then setup),
** makes the n-th allocation fail, runs fn and checks that it returns MT_OK or
** MT_ENOMEM and frees cleanly (ASan reports leaks and bad accesses). Stops at
** the first n that succeeds; returns the number of runs. */
int  ixv_torture(const char *id, const char *dir, int (*setup)(ixv_run *), int (*fn)(mt_import_ctx *));

/* Writes `text` to dir/name (creating dir), for malformed-input tests. */
int  ixv_write(const char *dir, const char *name, const char *text);
/* A fresh temporary folder (static buffer). */
const char *ixv_tmpdir(void);

#endif /* T_IXVOCAB_H */
