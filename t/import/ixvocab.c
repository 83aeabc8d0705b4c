/*
** ixvocab.c — the hand-made test vocabulary of the interaction-importer
** tests (ixvocab.h). Identifiers are the real ones (RxNorm 2025-10, DrugBank
** open vocabulary, DrugCentral 2016 class names).
*/
#include "ixvocab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "util/alloc.h"
#include "util/text.h"

typedef struct vdrug {
    const char *name;           /* display name as RxNorm or DrugBank spells it */
    mt_drug_kind kind;
    uint32_t rxcui;
    const char *drugbank;
    const char *synonyms[4];
} vdrug;

/* clarithromycin has no RxCUI here on purpose: ANSM must reach it by its
** French name ("clarithromycine"). */
static const vdrug drugs[] = {
    { "sertraline", MT_DRUG_INGREDIENT, 36437, "DB01104", { NULL } },
    { "fluoxetine", MT_DRUG_INGREDIENT, 4493, "DB00472", { NULL } },
    { "methylene blue", MT_DRUG_INGREDIENT, 6878, "DB09241", { "methylthioninium chloride", NULL } },
    { "linezolid", MT_DRUG_INGREDIENT, 190376, "DB00601", { NULL } },
    { "simvastatin", MT_DRUG_INGREDIENT, 36567, "DB00641", { NULL } },
    { "clarithromycin", MT_DRUG_SUBSTANCE, 0, "DB01211", { NULL } },
    { "warfarin", MT_DRUG_INGREDIENT, 11289, "DB00682", { NULL } },
    { "ibuprofen", MT_DRUG_INGREDIENT, 5640, "DB01050", { NULL } },
    { "ketoprofen", MT_DRUG_INGREDIENT, 6142, "DB01009", { NULL } },
    { "tramadol", MT_DRUG_INGREDIENT, 10689, "DB00193", { NULL } },
    /* aspirin twice, as the real vocabulary has it: RxTerms' aspirin (RxCUI
    ** 1191) and DrugBank's "Acetylsalicylic acid" with its French synonym */
    { "aspirin", MT_DRUG_INGREDIENT, 1191, NULL, { NULL } },
    { "Acetylsalicylic acid", MT_DRUG_SUBSTANCE, 0, "DB00945", { "Acide acétylsalicylique", NULL } },
    { "alprazolam", MT_DRUG_INGREDIENT, 596, "DB00404", { NULL } },
    { "diazepam", MT_DRUG_INGREDIENT, 3322, "DB00829", { NULL } },
    { "donepezil", MT_DRUG_INGREDIENT, 135447, "DB00843", { NULL } },
    { "atropine", MT_DRUG_INGREDIENT, 1223, "DB00572", { NULL } },
    { "dipyridamole", MT_DRUG_INGREDIENT, 3521, "DB00975", { NULL } },
    { "ketamine", MT_DRUG_INGREDIENT, 6130, "DB01221", { NULL } },
    { "esketamine", MT_DRUG_INGREDIENT, 2119365, "DB11823", { NULL } },
    { "morphine", MT_DRUG_INGREDIENT, 7052, "DB00295", { NULL } },
    { "methadone", MT_DRUG_INGREDIENT, 6813, "DB00333", { NULL } },
    { "phenelzine", MT_DRUG_INGREDIENT, 8123, "DB00780", { NULL } },
    { "ethanol", MT_DRUG_INGREDIENT, 448, "DB00898", { "alcohol", NULL } },
    { "caffeine", MT_DRUG_INGREDIENT, 1886, "DB00201", { NULL } },
    { "St. John's Wort", MT_DRUG_SUBSTANCE, 0, "DB01323", { "Hypericum perforatum", NULL } },
    { "Psilocybin", MT_DRUG_SUBSTANCE, 0, "DB11664", { NULL } },
    { "lithium carbonate", MT_DRUG_INGREDIENT, 42351, NULL, { NULL } },
    { "dextromethorphan", MT_DRUG_INGREDIENT, 3289, "DB00514", { NULL } },
    { "pimozide", MT_DRUG_INGREDIENT, 8331, "DB01100", { NULL } },
    { "escitalopram", MT_DRUG_INGREDIENT, 321988, "DB01175", { NULL } },
    { "amiodarone", MT_DRUG_INGREDIENT, 703, "DB01118", { NULL } },
    { "erythromycin", MT_DRUG_INGREDIENT, 4053, "DB00199", { NULL } },
    { "sparfloxacin", MT_DRUG_SUBSTANCE, 0, "DB01208", { NULL } },
    { "tranylcypromine", MT_DRUG_INGREDIENT, 10734, "DB00752", { NULL } },
    { "diethylpropion", MT_DRUG_INGREDIENT, 3389, "DB00937", { NULL } },
    { "atazanavir", MT_DRUG_INGREDIENT, 343047, "DB01072", { NULL } },
    { "omeprazole", MT_DRUG_INGREDIENT, 7646, "DB00338", { NULL } },
    { "benazepril", MT_DRUG_INGREDIENT, 18867, "DB00542", { NULL } },
    { "naproxen", MT_DRUG_INGREDIENT, 7258, "DB00788", { NULL } },
    { "lisinopril", MT_DRUG_INGREDIENT, 29046, "DB00722", { NULL } },
    { "amiloride", MT_DRUG_INGREDIENT, 644, "DB00594", { NULL } },
    { "irbesartan", MT_DRUG_INGREDIENT, 83818, "DB01029", { NULL } },
    { "nortriptyline", MT_DRUG_INGREDIENT, 7531, "DB00540", { NULL } },
    { "acebutolol", MT_DRUG_INGREDIENT, 149, "DB01193", { NULL } },
    { "verapamil", MT_DRUG_INGREDIENT, 11170, "DB00661", { NULL } },
    { "troleandomycin", MT_DRUG_SUBSTANCE, 0, "DB13179", { NULL } },
    { "cocaine", MT_DRUG_INGREDIENT, 2653, "DB00907", { NULL } },
    { "rifampin", MT_DRUG_INGREDIENT, 9384, "DB01045", { "rifampicin", NULL } },
    { "acetaminophen", MT_DRUG_INGREDIENT, 161, "DB00316", { "paracetamol", NULL } },
    { "gabapentin", MT_DRUG_INGREDIENT, 25480, "DB00996", { NULL } },
    { "magnesium hydroxide", MT_DRUG_INGREDIENT, 6581, "DB09104", { NULL } },
    { "fingolimod", MT_DRUG_INGREDIENT, 1012892, "DB08868", { NULL } },
    { "memantine", MT_DRUG_INGREDIENT, 6719, "DB01043", { NULL } },
    { "sodium oxybate", MT_DRUG_PRECISE, 9899, "DB09072", { NULL } },
    { "lenalidomide", MT_DRUG_INGREDIENT, 342369, "DB00480", { NULL } },
    { "entacapone", MT_DRUG_INGREDIENT, 60307, "DB00494", { NULL } },
    { "methoxy polyethylene glycol-epoetin beta", MT_DRUG_INGREDIENT, 729596, "DB09107", { NULL } },
    { "measles virus vaccine live, attenuated Schwarz strain", MT_DRUG_INGREDIENT, 2603499, NULL, { NULL } },
    { "measles virus vaccine live, attenuated Schwarz strain / mumps virus vaccine live, Jeryl Lynn strain / "
      "rubella virus vaccine live (Wistar RA 27-3 strain)", MT_DRUG_MULTI, 2603505, NULL, { NULL } },
};

typedef struct vclass {
    const char *type, *code, *name;
    const char *members[6];
} vclass;

static const vclass classes[] = {
    { "EPC", "N0000175694", "Benzodiazepine [EPC]", { "alprazolam", "diazepam", NULL } },
    { "EPC", "N0000175690", "Opioid Agonist [EPC]", { "morphine", "methadone", "tramadol", NULL } },
    { "EPC", "N0000175696", "Serotonin Reuptake Inhibitor [EPC]", { "sertraline", "fluoxetine", "escitalopram", NULL } },
    { "EPC", "N0000175744", "Monoamine Oxidase Inhibitor [EPC]", { "phenelzine", "tranylcypromine", NULL } },
};

int ixv_source(ixv_run *r, const char *id, const char *dir)
{
    mdl_source d;
    memset(&d, 0, sizeof(d));
    d.id = id;
    d.name = id;
    d.dir = dir;
    r->ctx.dir = dir;
    mt_buf_reset(&r->err);
    mt_buf_reset(&r->warn);
    return mdl_source_add(&r->m, &d, &r->ctx.src);
}

int ixv_init(ixv_run *r)
{
    mdl_src vs;
    size_t i, j;
    int rc;

    memset(r, 0, sizeof(*r));
    mdl_init(&r->m);
    mt_buf_init(&r->err, 1 << 16);
    mt_buf_init(&r->warn, 1 << 20);
    r->ctx.m = &r->m;
    r->ctx.err = &r->err;
    r->ctx.warn = &r->warn;
    if ((rc = ixv_source(r, "test-vocab", NULL)) != MT_OK)
        return rc;
    vs = r->ctx.src;
    for (i = 0; i < sizeof(drugs) / sizeof(drugs[0]); i++) {
        mdl_keys k;
        mdl_ref d;
        memset(&k, 0, sizeof(k));
        k.rxcui = drugs[i].rxcui;
        k.drugbank_id = drugs[i].drugbank;
        rc = mdl_drug_add(&r->m, drugs[i].name, drugs[i].kind, &k, 0,
                          mdl_cite_make(&r->m, vs, "%s", drugs[i].name), &d);
        if (rc != MT_OK)
            return rc;
        for (j = 0; j < 4 && drugs[i].synonyms[j]; j++)
            if ((rc = mdl_name_add(&r->m, d, MT_NAME_SYNONYM, drugs[i].synonyms[j], NULL,
                                   mdl_cite_make(&r->m, vs, "syn"))) != MT_OK)
                return rc;
    }
    for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        mdl_ref c, d;
        rc = mdl_class_get(&r->m, classes[i].type, classes[i].code, classes[i].name,
                           mdl_cite_make(&r->m, vs, "class"), &c);
        if (rc != MT_OK)
            return rc;
        for (j = 0; j < 6 && classes[i].members[j]; j++) {
            if (mdl_drug_find_name(&r->m, classes[i].members[j], &d) != MT_OK)
                return MT_ENOTFOUND;
            if ((rc = mdl_drug_class_add(&r->m, d, c, mdl_cite_make(&r->m, vs, "member"))) != MT_OK)
                return rc;
        }
    }
    r->ctx.dir = NULL;
    if ((rc = mt_import_nondrugs(&r->ctx)) != MT_OK)
        return rc;
    mt_buf_reset(&r->warn);
    return MT_OK;
}

void ixv_free(ixv_run *r)
{
    mdl_free(&r->m);
    mt_buf_free(&r->err);
    mt_buf_free(&r->warn);
}

mdl_ref ixv_drug(const mdl *m, const char *name)
{
    mdl_ref d;
    return mdl_drug_find_name(m, name, &d) == MT_OK ? d : MDL_NONE;
}

mdl_ref ixv_rule(const mdl *m, mdl_src src, mdl_ref a, mdl_ref b, const char *level)
{
    uint32_t i;
    if (a == MDL_NONE || b == MDL_NONE)
        return MDL_NONE;
    for (i = 0; i < m->ixpairs.count; i++) {
        const mdl_ixpair *p = &m->ixpairs.items[i];
        const mdl_ixrule *r = &m->ixrules.items[p->rule];
        if (!((p->a == a && p->b == b) || (p->a == b && p->b == a)))
            continue;
        if (r->cite.source != src)
            continue;
        if (level && (!r->level || strcmp(r->level, level) != 0))
            continue;
        return p->rule;
    }
    return MDL_NONE;
}

unsigned ixv_rules(const mdl *m, mdl_src src)
{
    unsigned n = 0;
    uint32_t i;
    for (i = 0; i < m->ixrules.count; i++)
        n += m->ixrules.items[i].cite.source == src;
    return n;
}

unsigned ixv_pairs(const mdl *m, mdl_src src)
{
    unsigned n = 0;
    uint32_t i;
    for (i = 0; i < m->ixpairs.count; i++)
        n += m->ixrules.items[m->ixpairs.items[i].rule].cite.source == src;
    return n;
}

int ixv_in_class(const mdl *m, mdl_ref d, const char *type, const char *name)
{
    char want[256], have[256];
    uint32_t i;
    mt_text_key(name, want, sizeof(want));
    for (i = 0; i < m->drug_classes.count; i++) {
        const mdl_drug_class *dc = &m->drug_classes.items[i];
        const mdl_class *c = &m->classes.items[dc->cls];
        if (dc->drug != d || strcmp(c->type, type) != 0)
            continue;
        mt_text_key(c->name, have, sizeof(have));
        if (strcmp(want, have) == 0)
            return 1;
    }
    return 0;
}

int ixv_torture(const char *id, const char *dir_in, int (*setup)(ixv_run *), int (*fn)(mt_import_ctx *))
{
    char dir[512];
    long n = 0;
    int runs = 0;

    snprintf(dir, sizeof(dir), "%s", dir_in);
    for (;;) {
        ixv_run r;
        int rc;
        if (ixv_init(&r) != MT_OK || (setup && setup(&r) != MT_OK) || ixv_source(&r, id, dir) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "%s: setup failed", id);
            ixv_free(&r);
            break;
        }
        mt_alloc_fail_after(n);
        rc = fn(&r.ctx);
        mt_alloc_fail_after(-1);
        runs++;
        if (rc != MT_OK && rc != MT_ENOMEM) {
            mt_test_fail(__FILE__, __LINE__, "%s: allocation %ld failing gave %d (%s)", id, n, rc, mt_buf_str(&r.err));
            ixv_free(&r);
            break;
        }
        ixv_free(&r);
        if (rc == MT_OK || n > 2000000)
            break;
        n += n < 300 ? 1 : n / 50;
    }
    return runs;
}

const char *ixv_tmpdir(void)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/materia-ixtest-XXXXXX");
    return mkdtemp(path);
}

int ixv_write(const char *dir, const char *name, const char *text)
{
    char path[1024], *slash;
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    /* create intermediate folders */
    for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return MT_EIO;
        *slash = '/';
    }
    f = fopen(path, "w");
    if (!f)
        return MT_EIO;
    fputs(text, f);
    fclose(f);
    return MT_OK;
}
