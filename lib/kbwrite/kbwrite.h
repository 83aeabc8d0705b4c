/*
** kbwrite.h — serializing the build-time model (lib/model/) into a
** knowledge-base file: the core tables of lib/kb/kbformat.h, then the
** sections of the engine modules through section hooks.
**
** Output is deterministic: the same model gives a byte-identical file. Row
** order follows the model (drugs, products, classes, docs, rules and pills
** keep their mdl_ref as their index in the file); facts are grouped by their
** owner with a stable counting sort; strings are deduplicated in order of
** first use; the build date comes from SOURCE_DATE_EPOCH or the sources'
** editions, never from the clock.
**
** Engine modules add their sections with a hook listed in lib/kbwrite/hooks.c
** (one line each). A hook receives an mt_kbw_ctx, builds its tables in
** ctx->scratch (which lives until the file is written) and adds them with
** mt_kbw_add(ctx->w, id, ...) using ids from its own range in kbformat.h.
** It may put strings in the shared pool with mt_kbw_ctx_str and translate a
** model index into a file index with mt_kbw_ctx_pos.
*/
#ifndef MT_KBWRITE_H
#define MT_KBWRITE_H

#include <stdint.h>

#include "kb/kbformat.h"
#include "kbfile/kbfile.h"
#include "model/model.h"
#include "util/arena.h"
#include "util/buf.h"

typedef struct kbw_pool kbw_pool;

typedef struct mt_kbw_ctx {
    const mdl *m;         /* the model being written */
    mt_kbw    *w;         /* the open container: mt_kbw_add(w, id, elem_size, data, bytes) */
    mt_arena  *scratch;   /* lives until the file is committed or aborted */
    mt_buf    *err;       /* a hook that fails says why here */
    kbw_pool  *pool;      /* private: the string pool */
    const uint32_t *pos[32];  /* private: model index -> file index per core table */
} mt_kbw_ctx;

/* A hook: MT_OK, or an error (MT_ENOMEM, MT_EINVAL ...) with a reason in ctx->err. */
typedef int (*mt_kb_section_hook)(mt_kbw_ctx *ctx);

/* The registry (hooks.c): NULL-terminated. */
extern const mt_kb_section_hook mt_kb_section_hooks[];

/* Writes the model to path atomically (path.tmp-PID, fsync, rename): on any
** failure the previous file at path is untouched and no temporary is left.
** data_version: at most 32 printable ASCII bytes; NULL or "" = a fingerprint
** of the sources ("sources-" and 16 hex digits). hooks: NULL-terminated list,
** NULL = mt_kb_section_hooks. Returns MT_OK; MT_EINVAL (a model record the
** reader would reject, e.g. an unknown kind or a reference out of range: err
** names it); MT_ENOMEM; MT_EIO (err names the file, errno kept); MT_ELIMIT
** (file or string pool over 4 GiB); or a hook's error. */
int mt_kb_write(const mdl *m, const char *path, const char *data_version, mt_buf *err,
                const mt_kb_section_hook *hooks);

/* The build date mt_kb_write stores, into out[33]: SOURCE_DATE_EPOCH when set
** (as YYYY-MM-DD, UTC), else the latest YYYY-MM-DD or YYYY-MM found in the
** sources' editions, else "unknown". */
void mt_kb_build_date(const mdl *m, char out[33]);

/* Interns s (NULL or "" -> 0) and gives its offset in the pool. s must stay
** valid until mt_kb_write returns (model strings and ctx->scratch do).
** MT_OK, MT_ENOMEM, MT_ELIMIT. */
int mt_kbw_ctx_str(mt_kbw_ctx *ctx, const char *s, uint32_t *off);

/* The index in the file of record i of the model's table for core table
** KB_T_x (kb_internal.h), e.g. mt_kbw_ctx_pos(ctx, KB_T_NAMES, name_ref).
** Tables kept in model order return i. KB_NONE for i out of range or a table
** with no model counterpart. */
uint32_t mt_kbw_ctx_pos(const mt_kbw_ctx *ctx, int table, uint32_t i);

#endif /* MT_KBWRITE_H */
