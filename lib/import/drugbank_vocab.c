/*
** drugbank_vocab.c — importer of the DrugBank open vocabulary
** (drugbank-open-vocabulary: drugbank_vocabulary.csv, CC0): DrugBank ID,
** accession numbers, common name, CAS, UNII, synonyms (" | " separated).
**
** Join: by UNII (and a DrugBank ID already known), then by name — the
** documented fallback (docs/sources.md, "join rules"). In a first pass an
** entry joins by identifier or by the drug's own name; in a second pass the
** entries left join through the drugs' other names (synonyms, the name
** without salt words) when the drug has no DrugBank ID yet and no other UNII. An entry that joins nothing is a
** substance that is not in RxNorm (psilocybin DB11664) and is created as
** MT_DRUG_SUBSTANCE. Synonyms, INN variants and other-language spellings
** (Paracetamol, Cétuximab, Cetuximabum) become MT_NAME_SYNONYM names, which
** search and later name joins use.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "import/import.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/text.h"

static const char *const drugbank_files[] = {
    "drugbank_vocabulary.csv",
    "raw_data/drugbank/drugbank_vocabulary.csv",
};

static const char *const drugbank_header[7] = {
    "DrugBank ID", "Accession Numbers", "Common name", "CAS", "UNII", "Synonyms", "Standard InChI Key"
};

typedef struct db_state {
    mt_import_ctx *ctx;
    const char    *file;
    int            header_seen;
    int            pass;         /* 1: identifiers and own names; 2: the rest */
    uint32_t       row;          /* data row number in this pass */
    uint32_t      *deferred;     /* rows pass 1 left to pass 2 */
    size_t         ndeferred, capdeferred, next;
    unsigned long  by_id, by_name, created, name_refused;
} db_state;

static int fail(db_state *st, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(db_state *st, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    if (!st->ctx->err)
        return MT_EFORMAT;
    mt_buf_printf(st->ctx->err, "%s/%s:%lu: ", st->ctx->dir, st->file, line);
    va_start(ap, fmt);
    mt_buf_vprintf(st->ctx->err, fmt, ap);
    va_end(ap);
    return MT_EFORMAT;
}

/* DB followed by 5 digits. */
static int valid_dbid(const char *s)
{
    size_t i;
    if (strlen(s) != 7 || s[0] != 'D' || s[1] != 'B')
        return 0;
    for (i = 2; i < 7; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* A UNII: 10 letters or digits. */
static int valid_unii(const char *s)
{
    size_t i;
    if (strlen(s) != 10)
        return 0;
    for (i = 0; i < 10; i++)
        if (!isalnum((unsigned char)s[i]))
            return 0;
    return 1;
}

/* A CAS registry number: 2-7 digits, 2 digits, 1 check digit. */
static int valid_cas(const char *s)
{
    size_t a = 0, b = 0;
    while (isdigit((unsigned char)s[a]))
        a++;
    if (a < 2 || a > 7 || s[a] != '-')
        return 0;
    s += a + 1;
    while (isdigit((unsigned char)s[b]))
        b++;
    return b == 2 && s[2] == '-' && isdigit((unsigned char)s[3]) && s[4] == '\0';
}

static int same_key(const char *a, const char *b)
{
    char ka[512], kb[512];
    mt_text_key(a, ka, sizeof(ka));
    mt_text_key(b, kb, sizeof(kb));
    return strcmp(ka, kb) == 0;
}

/* Adds each " | "-separated part of `list` with `fn` until one fails. */
static int each_part(char *list, int (*fn)(void *, const char *), void *arg)
{
    char *p = list;
    while (p && *p) {
        char *sep = strstr(p, " | ");
        char *end = sep ? sep : p + strlen(p);
        int rc;
        while (end > p && end[-1] == ' ')
            end--;
        if (sep)
            *sep = '\0';
        *end = '\0';
        while (*p == ' ')
            p++;
        if (*p && (rc = fn(arg, p)) != MT_OK)
            return rc;
        p = sep ? sep + 3 : NULL;
    }
    return MT_OK;
}

typedef struct part_ctx { db_state *st; mdl_ref drug; mdl_cite cite; } part_ctx;

static int add_synonym(void *arg, const char *text)
{
    part_ctx *pc = arg;
    mdl *m = pc->st->ctx->m;
    /* "Sertraline" on sertraline adds nothing; "Cétuximab" on cetuximab is a spelling. */
    if (strcasecmp(text, m->drugs.items[pc->drug].name) == 0 || !mt_utf8_valid(text, strlen(text)))
        return MT_OK;
    return mdl_name_add(m, pc->drug, MT_NAME_SYNONYM, text, NULL, pc->cite);
}

static int add_accession(void *arg, const char *text)
{
    part_ctx *pc = arg;
    if (!valid_dbid(text))
        return MT_OK;                   /* BTD/APRD/BIOD numbers of old releases */
    return mdl_ident_add(pc->st->ctx->m, pc->drug, MT_ID_DRUGBANK, text, pc->cite);
}

/* The drug an entry joins, or MDL_NONE. Pass 1 joins by identifier and by
** the drug's own name only; pass 2 also through the drug's other names. */
static mdl_ref resolve(db_state *st, const char *id, const char *name, const char *unii, int pass)
{
    mdl *m = st->ctx->m;
    mdl_keys k;
    mdl_ref d;
    const mdl_drug *dd;

    memset(&k, 0, sizeof(k));
    k.unii = *unii ? unii : NULL;
    k.drugbank_id = id;
    if (mdl_drug_find(m, &k, &d) == MT_OK) {
        st->by_id++;
        return d;
    }
    if (mdl_drug_find_name(m, name, &d) != MT_OK)
        return MDL_NONE;
    dd = &m->drugs.items[d];
    if (same_key(name, dd->name)) {
        /* Its own name: the same substance even when the UNIIs name different
        ** hydrates (methylene blue). A second DrugBank entry may join an
        ** RxNorm ingredient (atracurium and atracurium besylate) but never
        ** merges into a substance another entry made. */
        if (!dd->drugbank_id || dd->rxcui) {
            st->by_name++;
            return d;
        }
    } else if (pass == 2 && !dd->drugbank_id &&
               !(dd->unii && *unii && strcasecmp(dd->unii, unii) != 0)) {
        /* Through a synonym or the salt-stripped name: only a drug no other
        ** entry claimed, whose UNII does not contradict. */
        st->by_name++;
        return d;
    }
    if (pass == 2)
        st->name_refused++;
    return MDL_NONE;
}

static int defer(db_state *st)
{
    if (st->ndeferred == st->capdeferred) {
        size_t cap = st->capdeferred ? st->capdeferred * 2 : 1024;
        uint32_t *p = mt_reallocarray(st->deferred, cap, sizeof(*p));
        if (!p)
            return MT_ENOMEM;
        st->deferred = p;
        st->capdeferred = cap;
    }
    st->deferred[st->ndeferred++] = st->row;
    return MT_OK;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    db_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    const char *id, *name, *cas, *unii;
    mdl_keys k;
    mdl_ref d;
    part_ctx pc;
    size_t i;
    int rc;

    if (!st->header_seen) {
        st->header_seen = 1;
        if (n != 7)
            return fail(st, line, "expected the 7-column DrugBank vocabulary header");
        for (i = 0; i < 7; i++)
            if (strcmp(f[i], drugbank_header[i]) != 0)
                return fail(st, line, "header column %zu is \"%s\", expected \"%s\"",
                            i + 1, f[i], drugbank_header[i]);
        return MT_OK;
    }
    st->row++;
    if (st->pass == 2) {
        /* Only the rows pass 1 deferred, in order. */
        if (st->next >= st->ndeferred || st->deferred[st->next] != st->row)
            return MT_OK;
        st->next++;
    } else {
        src->rows++;
    }
    if (n != 7)
        return fail(st, line, "expected 7 comma-separated fields, got %zu", n);
    id = f[0];
    name = f[2];
    cas = f[3];
    unii = f[4];
    if (!valid_dbid(id))
        return fail(st, line, "\"%s\" is not a DrugBank ID", id);
    if (!*name || !mt_utf8_valid(name, strlen(name)))
        return fail(st, line, "%s: empty or invalid common name", id);
    if (*unii && !valid_unii(unii))
        return fail(st, line, "%s: \"%s\" is not a UNII", id, unii);
    if (*cas && !valid_cas(cas))
        return fail(st, line, "%s: \"%s\" is not a CAS number", id, cas);

    d = resolve(st, id, name, unii, st->pass);
    if (d == MDL_NONE && st->pass == 1)
        return defer(st);
    pc.st = st;
    pc.cite = mdl_cite_make(m, ctx->src, "%s", id);
    if (d == MDL_NONE) {
        memset(&k, 0, sizeof(k));
        k.unii = *unii ? unii : NULL;
        k.drugbank_id = id;
        if ((rc = mdl_drug_add(m, name, MT_DRUG_SUBSTANCE, &k, 0, pc.cite, &d)) != MT_OK)
            return rc;
        st->created++;
        src->unmatched++;
    } else {
        src->matched++;
        if ((rc = mdl_ident_add(m, d, MT_ID_DRUGBANK, id, pc.cite)) != MT_OK)
            return rc;
        if (*unii && (rc = mdl_ident_add(m, d, MT_ID_UNII, unii, pc.cite)) != MT_OK)
            return rc;
        if (strcasecmp(name, m->drugs.items[d].name) != 0 &&
            (rc = mdl_name_add(m, d, MT_NAME_SYNONYM, name, NULL, pc.cite)) != MT_OK)
            return rc;
    }
    pc.drug = d;
    if (*cas && (rc = mdl_ident_add(m, d, MT_ID_CAS, cas, pc.cite)) != MT_OK)
        return rc;
    if ((rc = each_part(f[1], add_accession, &pc)) != MT_OK)
        return rc;
    return each_part(f[5], add_synonym, &pc);
}

int mt_import_drugbank_vocab(mt_import_ctx *ctx)
{
    db_state st;
    size_t i;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.file = drugbank_files[0];
    for (i = 0; i < sizeof(drugbank_files) / sizeof(drugbank_files[0]); i++)
        if (mt_src_exists(ctx->dir, drugbank_files[i])) {
            st.file = drugbank_files[i];
            break;
        }
    /* Two passes, so that an entry's own name wins over another entry's
    ** synonym or salt ("Adenosine" is adenosine, "Adenosine phosphate" is not). */
    st.pass = 1;
    rc = mt_csv_read(ctx->dir, st.file, ',', '"', on_row, &st, ctx->err);
    if (rc == MT_OK && !st.header_seen)
        rc = fail(&st, 0, "empty file");
    if (rc == MT_OK && st.ndeferred) {
        st.pass = 2;
        st.row = 0;
        st.header_seen = 0;
        rc = mt_csv_read(ctx->dir, st.file, ',', '"', on_row, &st, ctx->err);
    }
    mt_free(st.deferred);
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "drugbank: %lu joined by UNII or DrugBank ID, %lu by name, "
                      "%lu created as substances not in RxNorm (%lu name matches refused: the drug "
                      "already had a DrugBank ID or another UNII)\n",
                      st.by_id, st.by_name, st.created, st.name_refused);
    return rc;
}
