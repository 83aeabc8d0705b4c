/*
** drugbank_vocab.c — importer of the DrugBank open vocabulary
** (drugbank-open-vocabulary: drugbank_vocabulary.csv, CC0): DrugBank ID,
** accession numbers, common name, CAS, UNII, synonyms (" | " separated).
**
** Join: by UNII (and a DrugBank ID already known), then by name — the
** documented fallback (docs/sources.md, "join rules"). In a first pass an
** entry joins by identifier or by the drug's own name; in a second pass the
** entries left join, in this order:
** - through DrugCentral's cross-references (identifiers.tsv lists RXNORM and
**   DRUGBANK_ID for one drug: aspirin RxCUI 1191 and DB00945 "Acetylsalicylic
**   acid", which share no name), when that source is registered;
** - through the drugs' other names (synonyms, the name without salt words);
** - through one of the entry's own synonyms that is exactly one drug's own
**   name ("Salbutamol" lists "Albuterol").
** Each only reaches a drug with no DrugBank ID yet and no other UNII; the
** first and the last only an RxNorm ingredient, the last only one that no
** other entry reaches (counted in pass 1) and whose own name is not also
** another drug's. An entry that joins nothing is a
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

#define DB_NOTES 5                /* joins named in the build notes, per kind */

/* A DrugBank entry that DrugCentral's cross-references put on an RxNorm drug. */
typedef struct db_bridge {
    const char *dbid;
    mdl_ref     drug;
    uint32_t    dcid;             /* the DrugCentral DRUG_ID that says so */
    int         ok;               /* 0: another entry or another drug claims the same */
} db_bridge;

typedef struct db_state {
    mt_import_ctx *ctx;
    const char    *file;
    int            header_seen;
    int            pass;         /* 1: identifiers and own names; 2: the rest */
    uint32_t       row;          /* data row number in this pass */
    uint32_t      *deferred;     /* rows pass 1 left to pass 2 */
    size_t         ndeferred, capdeferred, next;
    mt_arena       arena;        /* keys of the maps below */
    mt_hmap        deferred_ids; /* DrugBank IDs of the deferred rows */
    mt_hmap        claims;       /* drug -> deferred entries that reach it by a name */
    mt_hmap        bridge_by_id; /* DrugBank ID -> index into bridges */
    mt_hmap        bridge_by_drug; /* drug -> index into bridges */
    db_bridge     *bridges;
    size_t         nbridges, capbridges;
    unsigned long  by_id, by_name, by_bridge, by_synonym, created, name_refused, synonym_refused;
    mt_buf        *notes;        /* the joins named in the build notes */
    unsigned       bridge_notes, synonym_notes, refused_notes;
} db_state;

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

/* Copies the next " | "-separated part of *list, trimmed, into out; 0 at the
** end of the list. A part too long for out comes back empty. Unlike
** each_part, the list is left as it is. */
static int next_part(const char **list, char *out, size_t size)
{
    const char *p = *list, *sep, *end;
    size_t len;
    if (!p || !*p)
        return 0;
    sep = strstr(p, " | ");
    end = sep ? sep : p + strlen(p);
    *list = sep ? sep + 3 : end;
    while (p < end && *p == ' ')
        p++;
    while (end > p && end[-1] == ' ')
        end--;
    len = (size_t)(end - p);
    if (len >= size)
        len = 0;
    memcpy(out, p, len);
    out[len] = '\0';
    return 1;
}

/* Whether an entry with this UNII may join `drug` through a name it does not
** share or through DrugCentral: an RxNorm ingredient that no DrugBank entry
** reached yet and whose UNII, if any, is the entry's. */
static int joinable(const mdl *m, mdl_ref drug, const char *unii)
{
    const mdl_drug *dd = &m->drugs.items[drug];
    return dd->kind == MT_DRUG_INGREDIENT && dd->rxcui && !dd->drugbank_id &&
           !(dd->unii && *unii && strcasecmp(dd->unii, unii) != 0);
}

static int ref_key(char *buf, size_t size, mdl_ref d)
{
    return snprintf(buf, size, "%u", d);
}

/* Whether a name carries an optical-rotation sign: "(+)-", "(-)-", "(−)-",
** "(±)-", "(+/-)-". Its key drops the sign, so "(+)-Atenolol", a synonym of
** (R)-atenolol, has the key of the racemate "atenolol" (rule 3 of the join
** rules): such a synonym names an isomer, not the drug that has that key. */
static int optical_sign(const char *s)
{
    for (; (s = strchr(s, '(')) != NULL; s++)
        if (s[1] == '+' || s[1] == '-' || strncmp(s + 1, "\xe2\x88\x92", 3) == 0 ||
            strncmp(s + 1, "\xc2\xb1", 2) == 0)
            return 1;
    return 0;
}

/* The RxNorm ingredient whose own name is one of the entry's synonyms, when
** the entry may join it (joinable); else MDL_NONE, with *ambiguous set when a
** synonym is the own name of several drugs or the synonyms name two RxNorm
** ingredients (phylloquinone lists "Vitamin K" and "Vitamin K1"). */
static mdl_ref synonym_drug(const mdl *m, const char *synonyms, const char *unii, int *ambiguous)
{
    char part[512];
    const char *p = synonyms;
    mdl_ref found = MDL_NONE, d;
    *ambiguous = 0;
    while (next_part(&p, part, sizeof(part))) {
        int rc;
        if (!*part || !mt_utf8_valid(part, strlen(part)) || optical_sign(part))
            continue;
        rc = mdl_drug_find_own_name(m, part, &d);
        if (rc == MT_EEXIST) {
            *ambiguous = 1;
            return MDL_NONE;
        }
        if (rc != MT_OK || m->drugs.items[d].kind != MT_DRUG_INGREDIENT || !m->drugs.items[d].rxcui)
            continue;
        if (found != MDL_NONE && found != d) {
            *ambiguous = 1;
            return MDL_NONE;
        }
        found = d;
    }
    return found != MDL_NONE && joinable(m, found, unii) ? found : MDL_NONE;
}

/* Pass 1, for an entry it leaves: the drugs pass 2 could give it by a name (the
** drug its common name finds, the one its synonyms find) each count one claim,
** so that pass 2 joins by a name only a drug a single entry reaches. */
static int claim(db_state *st, const char *id, const char *name, const char *synonyms, const char *unii)
{
    mdl *m = st->ctx->m;
    mdl_ref by_name = MDL_NONE, by_syn, drugs[2];
    size_t n = 0, i;
    const char *key;
    int ambiguous, rc;

    if (!(key = mt_arena_strdup(&st->arena, id)))
        return MT_ENOMEM;
    if ((rc = mt_hmap_puts(&st->deferred_ids, key, 1)) != MT_OK)
        return rc;
    if (mdl_drug_find_name(m, name, &by_name) == MT_OK && joinable(m, by_name, unii))
        drugs[n++] = by_name;
    by_syn = synonym_drug(m, synonyms, unii, &ambiguous);
    if (by_syn != MDL_NONE && (n == 0 || drugs[0] != by_syn))
        drugs[n++] = by_syn;
    for (i = 0; i < n; i++) {
        char num[16];
        int len = ref_key(num, sizeof(num), drugs[i]);
        uint32_t count;
        if (mt_hmap_get(&st->claims, num, (size_t)len, &count) == MT_OK)
            rc = mt_hmap_put(&st->claims, num, (size_t)len, count + 1);   /* the map keeps its key */
        else if (!(key = mt_arena_strndup(&st->arena, num, (size_t)len)))
            rc = MT_ENOMEM;
        else
            rc = mt_hmap_put(&st->claims, key, (size_t)len, 1);
        if (rc != MT_OK)
            return rc;
    }
    return MT_OK;
}

static uint32_t claims_of(const db_state *st, mdl_ref d)
{
    char num[16];
    int len = ref_key(num, sizeof(num), d);
    uint32_t count = 0;
    mt_hmap_get(&st->claims, num, (size_t)len, &count);
    return count;
}

/* One DrugCentral drug: when its RXNORM values name one drug that a DrugBank
** entry may join, and exactly one of its DRUGBANK_ID values is an entry pass 1
** left, that entry and that drug are a candidate pair. A DrugBank ID paired
** with two drugs, or a drug with two DrugBank IDs, pairs neither. */
static int on_xref(void *user, const mt_dc_xref *x)
{
    db_state *st = user;
    mdl *m = st->ctx->m;
    mdl_ref drug = MDL_NONE, d;
    const char *dbid = NULL;
    char num[16];
    uint32_t j, dummy;
    size_t i, nleft = 0;
    int len, rc;
    db_bridge *b;

    for (i = 0; i < x->nrxcui; i++) {
        mdl_keys k;
        memset(&k, 0, sizeof(k));
        k.rxcui = x->rxcui[i];
        if (mdl_drug_find(m, &k, &d) != MT_OK)
            continue;
        if (drug != MDL_NONE && drug != d)
            return MT_OK;               /* its RxCUIs name two drugs */
        drug = d;
    }
    if (drug == MDL_NONE || !joinable(m, drug, ""))
        return MT_OK;
    for (i = 0; i < x->ndrugbank; i++)
        if (mt_hmap_gets(&st->deferred_ids, x->drugbank[i], &dummy) == MT_OK) {
            dbid = x->drugbank[i];
            nleft++;
        }
    if (nleft != 1)
        return MT_OK;
    if (st->nbridges == st->capbridges) {
        size_t cap = st->capbridges ? st->capbridges * 2 : 64;
        db_bridge *grown = mt_reallocarray(st->bridges, cap, sizeof(*grown));
        if (!grown)
            return MT_ENOMEM;
        st->bridges = grown;
        st->capbridges = cap;
    }
    b = &st->bridges[st->nbridges];
    b->drug = drug;
    b->dcid = x->dcid;
    b->ok = 1;
    if (!(b->dbid = mt_arena_strdup(&st->arena, dbid)))
        return MT_ENOMEM;
    if (mt_hmap_gets(&st->bridge_by_id, dbid, &j) == MT_OK) {
        if (st->bridges[j].drug == drug)
            return MT_OK;               /* the same pair again */
        st->bridges[j].ok = b->ok = 0;
    } else if ((rc = mt_hmap_puts(&st->bridge_by_id, b->dbid, (uint32_t)st->nbridges)) != MT_OK)
        return rc;
    len = ref_key(num, sizeof(num), drug);
    if (mt_hmap_get(&st->bridge_by_drug, num, (size_t)len, &j) == MT_OK) {
        if (strcmp(st->bridges[j].dbid, b->dbid) != 0)
            st->bridges[j].ok = b->ok = 0;
    } else {
        const char *key = mt_arena_strndup(&st->arena, num, (size_t)len);
        if (!key)
            return MT_ENOMEM;
        if ((rc = mt_hmap_put(&st->bridge_by_drug, key, (size_t)len, (uint32_t)st->nbridges)) != MT_OK)
            return rc;
    }
    st->nbridges++;
    return MT_OK;
}

/* Before pass 2: DrugCentral's cross-references, when that source is registered
** (the pipeline registers every source before it imports any). */
static int load_bridges(db_state *st)
{
    mdl *m = st->ctx->m;
    mdl_src s;
    const char *dir;
    if (mdl_source_find(m, "drugcentral", &s) != MT_OK)
        return MT_OK;
    dir = m->sources.items[s].dir;
    if (!dir || !mt_src_exists(dir, "identifiers.tsv"))
        return MT_OK;
    return mt_drugcentral_xrefs(dir, on_xref, st, st->ctx->err);
}

/* The drug DrugCentral pairs the entry with, or MDL_NONE. */
static mdl_ref bridge_drug(const db_state *st, const char *id, const char *unii, uint32_t *dcid)
{
    uint32_t j;
    if (mt_hmap_gets(&st->bridge_by_id, id, &j) != MT_OK || !st->bridges[j].ok ||
        !joinable(st->ctx->m, st->bridges[j].drug, unii))
        return MDL_NONE;
    *dcid = st->bridges[j].dcid;
    return st->bridges[j].drug;
}

/* Whether DrugCentral pairs some entry with the drug (then no entry joins it
** through a synonym). */
static int bridge_target(const db_state *st, mdl_ref d)
{
    char num[16];
    int len = ref_key(num, sizeof(num), d);
    uint32_t j;
    return mt_hmap_get(&st->bridge_by_drug, num, (size_t)len, &j) == MT_OK;
}

static void note_join(db_state *st, unsigned *count, const char *id, const char *name, mdl_ref d,
                      const char *how)
{
    const mdl_drug *dd = &st->ctx->m->drugs.items[d];
    if (!st->notes || (*count)++ >= DB_NOTES)
        return;
    mt_buf_printf(st->notes, "drugbank: %s %s joined %s (RxCUI %u) %s\n", id, name, dd->name,
                  dd->rxcui, how);
}

/* The drug an entry joins, or MDL_NONE. Pass 1 joins by identifier and by
** the drug's own name only; pass 2 also through DrugCentral's cross-references
** and then the drug's other names. */
static mdl_ref resolve(db_state *st, const char *id, const char *name, const char *unii, int pass)
{
    mdl *m = st->ctx->m;
    mdl_keys k;
    mdl_ref d, bridged;
    const mdl_drug *dd = NULL;
    uint32_t dcid = 0;

    memset(&k, 0, sizeof(k));
    k.unii = *unii ? unii : NULL;
    k.drugbank_id = id;
    if (mdl_drug_find(m, &k, &d) == MT_OK) {
        st->by_id++;
        return d;
    }
    if (mdl_drug_find_name(m, name, &d) == MT_OK) {
        dd = &m->drugs.items[d];
        /* Its own name: the same substance even when the UNIIs name different
        ** hydrates (methylene blue). A second DrugBank entry may join an
        ** RxNorm ingredient (atracurium and atracurium besylate) but never
        ** merges into a substance another entry made. */
        if (same_key(name, dd->name) && (!dd->drugbank_id || dd->rxcui)) {
            st->by_name++;
            return d;
        }
    }
    if (pass == 1)
        return MDL_NONE;
    /* Identifiers before names: DrugCentral says which RxNorm drug the entry is. */
    if ((bridged = bridge_drug(st, id, unii, &dcid)) != MDL_NONE) {
        char how[96];
        st->by_bridge++;
        snprintf(how, sizeof(how), "through DrugCentral identifiers.tsv DRUG_ID %u", dcid);
        note_join(st, &st->bridge_notes, id, name, bridged, how);
        return bridged;
    }
    if (!dd)
        return MDL_NONE;
    if (!same_key(name, dd->name) && !dd->drugbank_id &&
        !(dd->unii && *unii && strcasecmp(dd->unii, unii) != 0)) {
        /* Through a synonym or the salt-stripped name: only a drug no other
        ** entry claimed, whose UNII does not contradict. */
        st->by_name++;
        return d;
    }
    st->name_refused++;
    return MDL_NONE;
}

/* Pass 2, for an entry nothing else joined: the RxNorm ingredient whose own
** name is one of its synonyms, when only this entry reaches it (claim) and
** DrugCentral pairs it with no entry. */
static mdl_ref resolve_synonym(db_state *st, const char *id, const char *name, const char *synonyms,
                               const char *unii)
{
    int ambiguous;
    mdl_ref d = synonym_drug(st->ctx->m, synonyms, unii, &ambiguous);
    if (d == MDL_NONE) {
        if (ambiguous) {
            st->synonym_refused++;
            if (st->notes && st->refused_notes++ < DB_NOTES)
                mt_buf_printf(st->notes, "drugbank: %s %s not joined through a synonym: its synonyms "
                              "name several drugs\n", id, name);
        }
        return MDL_NONE;
    }
    if (claims_of(st, d) != 1 || bridge_target(st, d)) {
        st->synonym_refused++;
        if (st->notes && st->refused_notes++ < DB_NOTES)
            mt_buf_printf(st->notes, "drugbank: %s %s not joined to %s (RxCUI %u) through a synonym: "
                          "another entry reaches it\n", id, name, st->ctx->m->drugs.items[d].name,
                          st->ctx->m->drugs.items[d].rxcui);
        return MDL_NONE;
    }
    st->by_synonym++;
    note_join(st, &st->synonym_notes, id, name, d, "through one of its synonyms");
    return d;
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
            return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected the 7-column DrugBank vocabulary header");
        for (i = 0; i < 7; i++)
            if (strcmp(f[i], drugbank_header[i]) != 0)
                return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "header column %zu is \"%s\", expected \"%s\"",
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
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 7 comma-separated fields, got %zu", n);
    id = f[0];
    name = f[2];
    cas = f[3];
    unii = f[4];
    if (!valid_dbid(id))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "\"%s\" is not a DrugBank ID", id);
    if (!*name || !mt_utf8_valid(name, strlen(name)))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "%s: empty or invalid common name", id);
    if (*unii && !valid_unii(unii))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "%s: \"%s\" is not a UNII", id, unii);
    if (*cas && !valid_cas(cas))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "%s: \"%s\" is not a CAS number", id, cas);

    d = resolve(st, id, name, unii, st->pass);
    if (d == MDL_NONE && st->pass == 1) {
        if ((rc = claim(st, id, name, f[5], unii)) != MT_OK)
            return rc;
        return defer(st);
    }
    if (d == MDL_NONE)
        d = resolve_synonym(st, id, name, f[5], unii);
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
    st.notes = ctx->warn;
    mt_arena_init(&st.arena, 64 * 1024, 0);
    mt_hmap_init(&st.deferred_ids);
    mt_hmap_init(&st.claims);
    mt_hmap_init(&st.bridge_by_id);
    mt_hmap_init(&st.bridge_by_drug);
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
        rc = mt_import_fail(st.ctx, st.file, 0, MT_EFORMAT, "empty file");
    if (rc == MT_OK && st.ndeferred)
        rc = load_bridges(&st);
    if (rc == MT_OK && st.ndeferred) {
        st.pass = 2;
        st.row = 0;
        st.header_seen = 0;
        rc = mt_csv_read(ctx->dir, st.file, ',', '"', on_row, &st, ctx->err);
    }
    mt_free(st.deferred);
    mt_free(st.bridges);
    mt_hmap_free(&st.deferred_ids);
    mt_hmap_free(&st.claims);
    mt_hmap_free(&st.bridge_by_id);
    mt_hmap_free(&st.bridge_by_drug);
    mt_arena_free(&st.arena);
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "drugbank: %lu joined by UNII or DrugBank ID, %lu through DrugCentral's "
                      "RXNORM/DRUGBANK_ID cross-references, %lu by name, %lu through a synonym that is "
                      "an RxNorm ingredient's own name, %lu created as substances not in RxNorm (%lu "
                      "name matches refused: the drug already had a DrugBank ID or another UNII; %lu "
                      "synonym matches refused: the synonyms name several drugs, or another entry "
                      "reaches the drug)\n",
                      st.by_id, st.by_bridge, st.by_name, st.by_synonym, st.created, st.name_refused,
                      st.synonym_refused);
    return rc;
}
