/*
** ixbuild.h — helpers shared by the interaction importers (ansm.c,
** worldvista.c, onc_high.c, onc_nonint.c, ndfrt.c, va56.c, tripsit.c):
** sets of drugs, class membership, expanding a rule to drug pairs, reading
** JSON, and "file:line: reason" messages.
**
** A rule of a source names two sides (a drug, a class, a food); each side
** becomes a set of model drugs and the rule is linked to every pair of the
** cross product (mdl_ixpair_add drops a drug paired with itself, which is how
** "NSAIDs + other NSAIDs" expands to distinct NSAIDs).
*/
#ifndef MT_IXBUILD_H
#define MT_IXBUILD_H

#include <jansson.h>
#include <stdint.h>

#include "import/import.h"
#include "model/model.h"
#include "util/buf.h"

/* A small set of drugs (unique, insertion order). */
typedef struct mt_refset {
    mdl_ref *items;
    uint32_t count, cap;
} mt_refset;

void mt_refset_init(mt_refset *s);
void mt_refset_free(mt_refset *s);
void mt_refset_clear(mt_refset *s);
int  mt_refset_has(const mt_refset *s, mdl_ref r);
/* Adds r unless present. MT_OK or MT_ENOMEM. */
int  mt_refset_add(mt_refset *s, mdl_ref r);
int  mt_refset_add_all(mt_refset *s, const mt_refset *from);

/* Members of every class of the model, from one pass over m->drug_classes.
** members[c] is the set of drugs of class c (any citing source). */
typedef struct mt_classidx {
    mt_refset *members;
    uint32_t   count;
} mt_classidx;

int  mt_classidx_build(const mdl *m, mt_classidx *ci);
void mt_classidx_free(mt_classidx *ci);

/* Finds a class by type (NULL: any type) and name. Names are compared by
** name key, ignoring a trailing bracketed type, so "Benzodiazepine [EPC]"
** and "Benzodiazepine" are the same class name. MT_OK or MT_ENOTFOUND. */
int  mt_ix_class_find(const mdl *m, const char *type, const char *name, mdl_ref *out);

/* Links every drug of a with every drug of b to rule; adds the number of new
** pairs to *added (may be NULL). A precise ingredient (a salt) with a parent
** is linked as its parent ingredient. */
int  mt_ix_link(mdl *m, const mt_refset *a, const mt_refset *b, mdl_ref rule, uint32_t *added);

/* Identifier first (mdl_drug_find), then the name (mdl_drug_find_name).
** keys and name may be NULL. MT_OK or MT_ENOTFOUND. */
int  mt_ix_find_drug(const mdl *m, const mdl_keys *keys, const char *name, mdl_ref *out);

/* Reads dir/name (plain or .gz) and parses it as JSON. MT_OK, MT_ENOTFOUND,
** MT_EIO, MT_ENOMEM, or MT_EFORMAT with "path:line: JSON error: ..." in err. */
int  mt_ix_load_json(const char *dir, const char *name, json_t **out, mt_buf *err);

/* Writes "dir/name:line: <message>" into err and returns status. */
int  mt_ix_fail(mt_buf *err, int status, const char *dir, const char *name, unsigned long line,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Appends a note to ctx->warn when there is one. */
void mt_ix_note(mt_import_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A JSON object member as a string, or NULL (absent, null or not a string). */
const char *mt_ix_json_str(const json_t *obj, const char *key);

#endif /* MT_IXBUILD_H */
