/*
** fuzz_kb_load.c — libFuzzer target: an arbitrary byte string opened as a
** knowledge base (section checksums off, and in this fuzzing build the
** header and table checksums too, so that mutations reach the structural
** and table checks), then every table read through the accessors the
** engines use. Any read outside the input is an ASan report.
**
** Seeds: fuzz/corpus/fuzz_kb_load/ (small valid files from the test model,
** and truncations of them).
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kb/kb_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch_str(const mt_kb *kb, uint32_t off)
{
    sink += strlen(mt_kb_str(kb, off));
}

static void touch_cite(const mt_kb *kb, kb_cite c)
{
    touch_str(kb, c.record);
    sink += strlen(mt_kb_cite_source(kb, c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_kb *kb = NULL;
    mt_kb_summary info;
    uint32_t i, k, n;
    char detail[256];

    if (mt_kb_open_mem(&kb, data, size, MT_KB_VERIFY_NONE, detail, sizeof(detail)) != MT_OK)
        return 0;
    mt_kb_info(kb, &info);
    {
        const kb_source *s = mt_kb_sources(kb, &n);
        for (i = 0; i < n; i++) {
            touch_str(kb, s[i].id);
            touch_str(kb, s[i].name);
            touch_str(kb, s[i].attribution);
            touch_str(kb, s[i].folder);
        }
    }
    {
        const kb_drug *d = mt_kb_drugs(kb, &n);
        for (i = 0; i < n; i++) {
            touch_str(kb, d[i].name);
            touch_str(kb, d[i].unii);
            touch_cite(kb, d[i].cite);
            if (d[i].parent != KB_NONE)
                touch_str(kb, mt_kb_drug(kb, d[i].parent)->name);
            for (k = 0; k < d[i].idents.count; k++)
                touch_str(kb, mt_kb_ident(kb, d[i].idents.first + k)->value);
            for (k = 0; k < d[i].names.count; k++) {
                const kb_name *nm = mt_kb_name(kb, d[i].names.first + k);
                touch_str(kb, nm->text);
                touch_cite(kb, nm->cite);
            }
            for (k = 0; k < d[i].products.count; k++) {
                const kb_product *p = mt_kb_product(kb, mt_kb_drug_product(kb, d[i].products.first + k)->product);
                uint32_t j;
                touch_str(kb, p->name);
                for (j = 0; j < p->ndcs.count; j++)
                    sink += strlen(mt_kb_ndc(kb, p->ndcs.first + j)->ndc11);
                for (j = 0; j < p->ings.count; j++)
                    touch_str(kb, mt_kb_drug(kb, mt_kb_product_ing(kb, p->ings.first + j)->drug)->name);
            }
            for (k = 0; k < d[i].classes.count; k++) {
                const kb_class *c = mt_kb_class(kb, mt_kb_drug_class(kb, d[i].classes.first + k)->cls);
                touch_str(kb, c->name);
                sink += c->members.count;
            }
            for (k = 0; k < d[i].indications.count; k++)
                touch_str(kb, mt_kb_indication(kb, d[i].indications.first + k)->disease);
            for (k = 0; k < d[i].approvals.count; k++)
                touch_str(kb, mt_kb_approval(kb, d[i].approvals.first + k)->sponsor);
            for (k = 0; k < d[i].schedules.count; k++)
                touch_str(kb, mt_kb_schedule(kb, d[i].schedules.first + k)->schedule);
            for (k = 0; k < d[i].acbs.count; k++)
                touch_str(kb, mt_kb_acb(kb, d[i].acbs.first + k)->scale);
            for (k = 0; k < d[i].docs.count; k++) {
                const kb_doc *doc = mt_kb_doc(kb, mt_kb_drug_doc(kb, d[i].docs.first + k)->doc);
                uint32_t j;
                touch_str(kb, doc->title);
                for (j = 0; j < doc->sections.count; j++)
                    touch_str(kb, mt_kb_doc_section(kb, doc->sections.first + j)->text);
            }
            for (k = 0; k < d[i].interactions.count; k++) {
                const kb_ixadj *a = mt_kb_ixadj_at(kb, d[i].interactions.first + k);
                const kb_ixadj *between;
                uint32_t cnt;
                touch_str(kb, mt_kb_ixrule(kb, a->rule)->effect);
                if (mt_kb_ix_between(kb, i, a->other, &between, &cnt) == MT_OK)
                    sink += between[cnt - 1].rule;
            }
        }
    }
    {
        const kb_ixrule *r = mt_kb_ixrules(kb, &n);
        for (i = 0; i < n; i++) {
            touch_str(kb, r[i].level);
            touch_cite(kb, r[i].text_cite);
            for (k = 0; k < r[i].pairs.count; k++)
                sink += mt_kb_ixpair(kb, r[i].pairs.first + k)->a;
        }
    }
    {
        const kb_pill *p = mt_kb_pills(kb, &n);
        for (i = 0; i < n; i++) {
            touch_str(kb, p[i].imprint);
            touch_cite(kb, p[i].fill_cite);
            if (p[i].product != KB_NONE)
                touch_str(kb, mt_kb_product(kb, p[i].product)->name);
            if (p[i].drug != KB_NONE)
                touch_str(kb, mt_kb_drug(kb, p[i].drug)->name);
        }
    }
    {
        const kb_class *c = mt_kb_classes(kb, &n);
        for (i = 0; i < n; i++)
            for (k = 0; k < c[i].members.count; k++)
                touch_str(kb, mt_kb_drug(kb, mt_kb_class_member(kb, c[i].members.first + k)->drug)->name);
    }
    {
        const kb_doc *d = mt_kb_docs(kb, &n);
        for (i = 0; i < n; i++)
            for (k = 0; k < d[i].drugs.count; k++)
                sink += mt_kb_doc_drug(kb, d[i].drugs.first + k)->drug;
    }
    {
        const kb_code *c = mt_kb_codes(kb, &n);
        for (i = 0; i < n; i++)
            touch_str(kb, c[i].hex);
    }
    {   /* lookups with keys taken from the file itself */
        uint32_t drug;
        const kb_key_u32 *ku = mt_kb_by_rxcui(kb, &n);
        const kb_key_str *ks;
        const kb_ndc *nd;
        for (i = 0; i < n && i < 64; i++)
            if (mt_kb_drug_by_rxcui(kb, ku[i].key, &drug) == MT_OK)
                sink += drug;
        ks = mt_kb_by_unii(kb, &n);
        for (i = 0; i < n && i < 64; i++)
            if (mt_kb_drug_by_unii(kb, mt_kb_str(kb, ks[i].key), &drug) == MT_OK)
                sink += drug;
        ks = mt_kb_by_drugbank(kb, &n);
        for (i = 0; i < n && i < 64; i++)
            if (mt_kb_drug_by_drugbank(kb, mt_kb_str(kb, ks[i].key), &drug) == MT_OK)
                sink += drug;
        nd = mt_kb_ndcs(kb, &n);
        for (i = 0; i < n && i < 64; i++) {
            const uint32_t *rows;
            uint32_t cnt;
            if (mt_kb_ndc_find(kb, nd[i].ndc11, &rows, &cnt) == MT_OK)
                sink += mt_kb_ndc(kb, rows[cnt - 1])->product;
        }
        (void)mt_kb_drug_by_drugcentral(kb, 2433, &drug);
    }
    mt_kb_close(kb);
    return 0;
}
