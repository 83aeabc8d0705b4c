/*
** spl_xml.c — importer of FDA Structured Product Labels (SPL XML, HL7 v3,
** namespace urn:hl7-org:v3): every .xml in spl-xml-2014/xml, and the five labels of
** the openFDA repository (every .xml in fda-openfda-files/spl-xml, cited to the
** "openfda" source, whose folder also gives the LOINC section-name table
** spl-sections/loinc.csv); and, through mt_import_spl_xml_tree, the files of
** a DailyMed release a user downloaded (`--source dailymed-spl=PATH`): its
** folders, its zip, the label zips inside it (source/srcwalk.h).
**
** A label becomes:
** - an mdl_doc (MT_DOC_US_LABEL, "US", set id, effective date, title);
** - one mdl_doc_section per kept LOINC section (KEPT below: indications,
**   dosage, contraindications, warnings, boxed warning, adverse reactions,
**   interactions, pregnancy, lactation, abuse and dependence, overdosage,
**   the OTC "Drug Facts" headings), as plain text with paragraph breaks. A
**   kept section holds everything nested in it, kept sections too ("4.3
**   Pregnancy" stays in Lipitor's contraindications, "Do not use" in OTC
**   warnings); a kept section nested in one that is not kept ("8.1
**   Pregnancy" in "8 Use in specific populations") is its own section;
** - links to its drugs: each active ingredient's UNII (mdl_drug_find), then
**   its active moiety's UNII, then the two names (mdl_drug_find_name);
** - an mdl_pill for each solid oral product (or kit part) with an imprint,
**   colour or shape (SPLIMPRINT, SPLCOLOR, SPLSHAPE, SPLSIZE, SPLSCORE), its
**   package NDC, labeler, strength and DEA schedule (policy DEADrugSchedule).
**
** The parser never loads a DTD, substitutes no entity and never touches the
** network (no XML_PARSE_NOENT, XML_PARSE_DTDLOAD; XML_PARSE_NONET).
*/
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "import/import.h"
#include "import/pill_join.h"
#include "source/srcfile.h"
#include "source/srcwalk.h"
#include "util/alloc.h"

#define HL7_NS          "urn:hl7-org:v3"
#define SPL_FILE_MAX    (64u * 1024 * 1024)
#define SPL_TEXT_MAX    (16u * 1024 * 1024)
#define SPL_MAX_FILES   100000
#define SPL_MAX_DEPTH   200
#define SPL_TITLE_MAX   200
#define SPL_MAX_DRUGS   64
#define PRODUCT_SECTION "48780-1"

/* The sections kept, with a name for codes newer than the openFDA table. */
static const struct { const char *code, *fallback; } KEPT[] = {
    { "34066-1", "Boxed Warning" },
    { "34067-9", "Indications & Usage" },
    { "34068-7", "Dosage & Administration" },
    { "43678-2", "Dosage Forms & Strengths" },
    { "34070-3", "Contraindications" },
    { "43685-7", "Warnings and Precautions" },
    { "34071-1", "Warnings" },
    { "42232-9", "Precautions" },
    { "34084-4", "Adverse Reactions" },
    { "34073-7", "Drug Interactions" },
    { "42228-7", "Pregnancy" },
    { "34080-2", "Nursing Mothers" },
    { "77290-5", "Lactation" },
    { "34081-0", "Pediatric Use" },
    { "34082-8", "Geriatric Use" },
    { "34085-1", "Controlled Substance" },
    { "34086-9", "Abuse" },
    { "34087-7", "Dependence" },
    { "34088-5", "Overdosage" },
    { "34069-5", "How Supplied" },
    /* OTC "Drug Facts" */
    { "55106-9", "Active Ingredient" },
    { "55105-1", "Purpose" },
    { "50570-1", "Do Not Use" },
    { "50569-3", "Ask Doctor" },
    { "50568-5", "Ask Doctor/Pharmacist" },
    { "50567-7", "When Using" },
    { "50566-9", "Stop Use" },
    { "53414-9", "Pregnancy or Breast Feeding" },
    { "50565-1", "Keep Out of Reach of Children" },
};
#define NKEPT (sizeof(KEPT) / sizeof(KEPT[0]))

typedef struct spl_state {
    mt_import_ctx *ctx;
    mdl           *m;
    pj_index       ix;
    const char    *names[NKEPT];   /* section names from loinc.csv (model arena), or NULL */
    mdl_src        src;            /* source of the label being read */
    const char    *path;           /* file being read */
    const char    *file;           /* its name, for citations */
    mt_buf         raw, text, tmp, color;
    /* per label */
    const char    *setid, *labeler;
    mdl_ref        doc;
    mdl_ref        drugs[SPL_MAX_DRUGS];
    size_t         ndrugs;
    const char    *first_product;  /* name of the first product, for a missing title */
    int            tree;           /* mt_import_spl_xml_tree: progress counts labels, total unknown */
    unsigned long  seen;           /* labels read so far */
    /* statistics */
    uint32_t       labels, sections, pills, pills_joined;
} spl_state;

static int fail(spl_state *st, int status, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(spl_state *st, int status, long line, const char *fmt, ...)
{
    va_list ap;
    if (line > 0)
        mt_buf_printf(st->ctx->err, "%s:%ld: ", st->path, line);
    else
        mt_buf_printf(st->ctx->err, "%s: ", st->path);
    va_start(ap, fmt);
    mt_buf_vprintf(st->ctx->err, fmt, ap);
    va_end(ap);
    return status;
}

/* --- XML helpers ---------------------------------------------------------- */

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, HL7_NS) == 0 && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    xmlNode *c;
    for (c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

static xmlNode *next_el(const xmlNode *n, const char *name)
{
    xmlNode *c;
    for (c = n ? n->next : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

/* An attribute's value without copying, or "". */
static const char *attr(const xmlNode *n, const char *name)
{
    xmlAttr *a = n ? xmlHasProp(n, (const xmlChar *)name) : NULL;
    if (!a || a->type != XML_ATTRIBUTE_NODE || !a->children || !a->children->content)
        return "";
    return (const char *)a->children->content;
}

/* --- text of narrative blocks ---------------------------------------------- */

typedef struct tw {
    mt_buf *b;
    int     brk;     /* 0 nothing, 1 new line, 2 new paragraph, before the next text */
    int     space;
    int     one_line;   /* titles and names: a break is a space */
    int     in_cell;    /* inside a table cell: a break is a space */
    int     rc;
} tw;

static void tw_break(tw *w, int level)
{
    if (w->one_line || w->in_cell)
        w->space = 1;
    else if (level > w->brk)
        w->brk = level;
}

static void tw_text(tw *w, const char *s)
{
    for (; *s && w->rc == MT_OK; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            w->space = 1;
            continue;
        }
        if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {     /* no-break space */
            w->space = 1;
            s++;
            continue;
        }
        if (w->b->len) {
            if (w->brk == 2)
                w->rc = mt_buf_puts(w->b, "\n\n");
            else if (w->brk == 1)
                w->rc = mt_buf_putc(w->b, '\n');
            else if (w->space)
                w->rc = mt_buf_putc(w->b, ' ');
        }
        w->brk = w->space = 0;
        if (w->rc == MT_OK)
            w->rc = mt_buf_putc(w->b, c < 0x20 ? ' ' : (char)c);
    }
}

/* Writes s verbatim after any pending break (bullets, cell separators). */
static void tw_raw(tw *w, const char *s)
{
    if (w->rc != MT_OK)
        return;
    if (w->b->len) {
        if (w->brk == 2)
            w->rc = mt_buf_puts(w->b, "\n\n");
        else if (w->brk == 1)
            w->rc = mt_buf_putc(w->b, '\n');
    }
    w->brk = w->space = 0;
    if (w->rc == MT_OK)
        w->rc = mt_buf_puts(w->b, s);
}

static int kept_index(const char *code)
{
    size_t i;
    for (i = 0; i < NKEPT; i++)
        if (strcmp(KEPT[i].code, code) == 0)
            return (int)i;
    return -1;
}

static const char *section_code(const xmlNode *sec)
{
    return attr(child(sec, "code"), "code");
}

static void narrative(tw *w, const xmlNode *n, int depth);

/* Writes the text of one node, nested sections included (under their
** titles); code, id and excerpts (the PLR highlights, repeated from the full
** text) are not text. */
static void narrative_node(tw *w, const xmlNode *c, int depth)
{
    const char *name = (const char *)c->name;
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (c->content)
            tw_text(w, (const char *)c->content);
        return;
    }
    if (c->type != XML_ELEMENT_NODE || !is_el(c, name) || depth > SPL_MAX_DEPTH)
        return;
    if (!strcmp(name, "code") || !strcmp(name, "id") || !strcmp(name, "effectiveTime") ||
        !strcmp(name, "excerpt") || !strcmp(name, "renderMultiMedia") || !strcmp(name, "subject") ||
        !strcmp(name, "observationMedia"))
        return;
    if (!strcmp(name, "br")) {
        tw_break(w, 1);
    } else if (!strcmp(name, "suffix")) {
        w->space = 1;                       /* <name>Pain Relief<suffix>Extra Strength</suffix> */
        narrative(w, c, depth + 1);
    } else if (!strcmp(name, "paragraph") || !strcmp(name, "title") || !strcmp(name, "list") ||
               !strcmp(name, "table") || !strcmp(name, "section") || !strcmp(name, "caption")) {
        tw_break(w, 2);
        narrative(w, c, depth + 1);
        tw_break(w, 2);
    } else if (!strcmp(name, "item")) {
        /* The item's caption is its marker ("•", "1."); else a bullet. */
        const xmlNode *cap = child(c, "caption"), *k;
        char marker[32];
        size_t len = 0;
        for (k = cap ? cap->children : NULL; k; k = k->next) {
            const char *t = k->type == XML_TEXT_NODE && k->content ? (const char *)k->content : "";
            for (; *t && len + 1 < sizeof(marker); t++)
                if (!isspace((unsigned char)*t))
                    marker[len++] = *t;
        }
        marker[len] = '\0';
        tw_break(w, 1);
        tw_raw(w, len ? marker : "\xE2\x80\xA2");   /* "•" */
        w->space = 1;
        for (k = c->children; k && w->rc == MT_OK; k = k->next)
            if (k != cap)
                narrative_node(w, k, depth + 1);
        tw_break(w, 1);
    } else if (!strcmp(name, "tr")) {
        tw_break(w, 1);
        narrative(w, c, depth + 1);
        tw_break(w, 1);
    } else if (!strcmp(name, "td") || !strcmp(name, "th")) {
        const xmlNode *p;
        for (p = c->prev; p && p->type != XML_ELEMENT_NODE; p = p->prev)
            ;
        if (p)
            tw_raw(w, " | ");
        w->in_cell++;
        narrative(w, c, depth + 1);
        w->in_cell--;
    } else
        narrative(w, c, depth + 1);
}

static void narrative(tw *w, const xmlNode *n, int depth)
{
    const xmlNode *c;
    for (c = n->children; c && w->rc == MT_OK; c = c->next)
        narrative_node(w, c, depth);
}

/* Collapsed text of one element (title, name). */
static int plain(spl_state *st, const xmlNode *n, mt_buf *out)
{
    tw w;
    mt_buf_reset(out);
    memset(&w, 0, sizeof(w));
    w.b = out;
    w.one_line = 1;
    w.rc = MT_OK;
    if (n)
        narrative(&w, n, 1);
    if (w.rc == MT_OK)
        w.rc = mt_buf_append(out, "", 0);
    (void)st;
    return w.rc;
}

/* --- section names -------------------------------------------------------- */

typedef struct names_state {
    spl_state *st;
    int header_seen;
} names_state;

static int on_loinc(void *user, char **f, size_t n, unsigned long line)
{
    names_state *ns = user;
    int k;
    (void)line;
    if (!ns->header_seen) {
        ns->header_seen = 1;
        if (n >= 1 && strcmp(f[0], "loinc") == 0)
            return MT_OK;
    }
    if (n < 2)
        return MT_OK;
    k = kept_index(f[0]);
    if (k >= 0 && *f[1] && !ns->st->names[k]) {
        ns->st->names[k] = mt_arena_strdup(&ns->st->m->arena, f[1]);
        if (!ns->st->names[k])
            return MT_ENOMEM;
    }
    return MT_OK;
}

static int load_section_names(spl_state *st, const char *openfda_dir)
{
    names_state ns;
    mt_buf dir;
    int rc;
    mt_buf_init(&dir, 8192);
    memset(&ns, 0, sizeof(ns));
    ns.st = st;
    rc = mt_buf_printf(&dir, "%s/spl-sections", openfda_dir);
    if (rc == MT_OK)
        rc = mt_csv_read(dir.data, "loinc.csv", ',', '"', on_loinc, &ns, st->ctx->err);
    mt_buf_free(&dir);
    return rc;
}

/* --- products and pills ---------------------------------------------------- */

static int add_doc_drug(spl_state *st, mdl_ref drug)
{
    size_t i;
    drug = mdl_drug_base(st->m, drug);
    for (i = 0; i < st->ndrugs; i++)
        if (st->drugs[i] == drug)
            return MT_OK;
    if (st->ndrugs < SPL_MAX_DRUGS)
        st->drugs[st->ndrugs++] = drug;
    return mdl_doc_drug_add(st->m, st->doc, drug);
}

/* Joins an active ingredient: substance UNII, moiety UNII, substance name, moiety name. */
static mdl_ref ingredient_drug(spl_state *st, const xmlNode *ing, mt_buf *tmp)
{
    const xmlNode *sub = child(ing, "ingredientSubstance");
    const xmlNode *moi = child(child(sub, "activeMoiety"), "activeMoiety");
    mdl_keys k;
    mdl_ref d;

    memset(&k, 0, sizeof(k));
    k.unii = attr(child(sub, "code"), "code");
    if (*k.unii && mdl_drug_find(st->m, &k, &d) == MT_OK)
        return d;
    k.unii = attr(child(moi, "code"), "code");
    if (*k.unii && mdl_drug_find(st->m, &k, &d) == MT_OK)
        return d;
    if (plain(st, child(sub, "name"), tmp) == MT_OK && mdl_drug_find_name(st->m, tmp->data, &d) == MT_OK)
        return d;
    if (plain(st, child(moi, "name"), tmp) == MT_OK && mdl_drug_find_name(st->m, tmp->data, &d) == MT_OK)
        return d;
    return MDL_NONE;
}

static int is_active(const xmlNode *ing)
{
    const char *cls = attr(ing, "classCode");
    return !strcmp(cls, "ACTIB") || !strcmp(cls, "ACTIM") || !strcmp(cls, "ACTIR") || !strcmp(cls, "ACTI");
}

/* Links the label to the active ingredients of a product; returns the first
** ingredient's drug and writes the strengths ("10 mg", "5 mg / 325 mg"). */
static int product_ingredients(spl_state *st, const xmlNode *prod, mdl_ref *first, mt_buf *strength)
{
    const xmlNode *ing;
    int rc = MT_OK;
    *first = MDL_NONE;
    mt_buf_reset(strength);
    for (ing = child(prod, "ingredient"); ing && rc == MT_OK; ing = next_el(ing, "ingredient")) {
        const xmlNode *num = child(child(ing, "quantity"), "numerator");
        const xmlNode *den = child(child(ing, "quantity"), "denominator");
        mdl_ref d;
        if (!is_active(ing))
            continue;
        d = ingredient_drug(st, ing, &st->tmp);
        if (d != MDL_NONE) {
            if (*first == MDL_NONE)
                *first = mdl_drug_base(st->m, d);
            rc = add_doc_drug(st, d);
        }
        if (rc == MT_OK && *attr(num, "value")) {
            if (strength->len)
                rc = mt_buf_puts(strength, " / ");
            if (rc == MT_OK)
                rc = mt_buf_printf(strength, "%.*s %s", (int)strcspn(attr(num, "value"), " "),
                                   attr(num, "value"), attr(num, "unit"));
            if (rc == MT_OK && *attr(den, "unit") && strcmp(attr(den, "unit"), "1") != 0)
                rc = mt_buf_printf(strength, "/%s%s%s", strcmp(attr(den, "value"), "1") ? attr(den, "value") : "",
                                   strcmp(attr(den, "value"), "1") ? " " : "", attr(den, "unit"));
        }
    }
    if (rc == MT_OK)
        rc = mt_buf_append(strength, "", 0);
    return rc;
}

/* Package NDCs under asContent/containerPackagedProduct, nested packages included. */
static void package_ndcs(const xmlNode *n, char ndcs[][12], size_t *count, size_t max, int depth)
{
    const xmlNode *ac;
    if (depth > 8)
        return;
    for (ac = child(n, "asContent"); ac; ac = next_el(ac, "asContent")) {
        const xmlNode *pkg = child(ac, "containerPackagedProduct");
        char n11[12];
        if (!pkg)
            continue;
        if (*count < max && mdl_ndc_normalize(attr(child(pkg, "code"), "code"), n11) == MT_OK)
            memcpy(ndcs[(*count)++], n11, 12);
        package_ndcs(pkg, ndcs, count, max, depth + 1);
    }
}

static int is_solid(const char *form)
{
    static const char *const solids[] = { "TABLET", "CAPSULE", "LOZENGE", "TROCHE", "PILL",
                                          "PELLET", "WAFER", "GUM" };
    size_t i;
    for (i = 0; i < sizeof(solids) / sizeof(solids[0]); i++)
        if (strstr(form, solids[i]))
            return 1;
    return 0;
}

/* The characteristics (subjectOf/characteristic) and schedule (subjectOf/policy) of a holder. */
typedef struct pill_chars {
    const char *imprint, *shape_code, *shape_name, *schedule;
    char colors[128];
    float size_mm;
    int score;
} pill_chars;

static void read_chars(const xmlNode *holder, pill_chars *pc)
{
    const xmlNode *so;
    for (so = child(holder, "subjectOf"); so; so = next_el(so, "subjectOf")) {
        const xmlNode *ch = child(so, "characteristic"), *pol = child(so, "policy");
        if (pol && !strcmp(attr(pol, "classCode"), "DEADrugSchedule")) {
            const xmlNode *code = child(pol, "code");
            const char *s = pj_schedule_from_code(attr(code, "code"));
            if (!s)
                s = pj_schedule_from_code(attr(code, "displayName"));
            if (s)
                pc->schedule = s;
        }
        if (ch) {
            const char *what = attr(child(ch, "code"), "code");
            const xmlNode *v = child(ch, "value");
            if (!strcmp(what, "SPLIMPRINT") && v && v->children && v->children->type == XML_TEXT_NODE)
                pc->imprint = (const char *)v->children->content;
            else if (!strcmp(what, "SPLCOLOR") && *attr(v, "code")) {
                size_t len = strlen(pc->colors);
                snprintf(pc->colors + len, sizeof(pc->colors) - len, "%s%s", len ? ";" : "", attr(v, "code"));
            } else if (!strcmp(what, "SPLSHAPE")) {
                pc->shape_code = attr(v, "code");
                pc->shape_name = attr(v, "displayName");
            } else if (!strcmp(what, "SPLSIZE")) {
                char *end;
                double mm = strtod(attr(v, "value"), &end);
                if (end != attr(v, "value") && mm > 0 && mm < 1000 && (!*attr(v, "unit") || !strcmp(attr(v, "unit"), "mm")))
                    pc->size_mm = (float)mm;
            } else if (!strcmp(what, "SPLSCORE")) {
                char *end;
                long sc = strtol(attr(v, "value"), &end, 10);
                if (end != attr(v, "value") && sc > 0 && sc < 100)
                    pc->score = (int)sc;
            }
        }
    }
}

/* One pill: prod gives name, form and ingredients; holder the characteristics;
** kit is the kit's product when prod is a part of it. */
static int make_pill(spl_state *st, const xmlNode *prod, const xmlNode *holder,
                     const xmlNode *kit, const char *ndc_code, const char *kit_schedule)
{
    mdl *m = st->m;
    pill_chars pc;
    mdl_pill pill;
    char ndcs[32][12], ndc9[10];
    size_t nndc = 0, i;
    mdl_ref first;
    mt_buf name, form, strength, shape;
    int rc;

    memset(&pc, 0, sizeof(pc));
    read_chars(holder, &pc);
    mt_buf_init(&name, 4096);
    mt_buf_init(&form, 1024);
    mt_buf_init(&strength, 4096);
    mt_buf_init(&shape, 256);
    rc = product_ingredients(st, prod, &first, &strength);
    if (rc != MT_OK)
        goto done;
    if ((rc = mt_buf_puts(&form, attr(child(prod, "formCode"), "displayName"))) != MT_OK ||
        (rc = mt_buf_append(&form, "", 0)) != MT_OK)
        goto done;
    if (!is_solid(form.data) || (!pc.imprint && !pc.colors[0] && !pc.shape_code))
        goto done;
    if ((rc = plain(st, child(prod, "name"), &name)) != MT_OK ||
        (rc = pj_color_text(m, pc.colors, &st->color)) != MT_OK ||
        (rc = pj_shape_text(m, pc.shape_code && *pc.shape_code ? pc.shape_code : pc.shape_name, &shape)) != MT_OK)
        goto done;
    package_ndcs(kit ? kit : prod, ndcs, &nndc, sizeof(ndcs) / sizeof(ndcs[0]), 0);

    memset(&pill, 0, sizeof(pill));
    pill.product = MDL_NONE;
    for (i = 0; i < nndc && pill.product == MDL_NONE; i++)
        if ((pill.product = pj_product_by_ndc11(&st->ix, ndcs[i])) != MDL_NONE)
            pill.ndc11 = ndcs[i];
    if (!pill.ndc11 && nndc)
        pill.ndc11 = ndcs[0];
    if (pill.product == MDL_NONE && pj_ndc9_normalize(ndc_code, ndc9) == MT_OK)
        pill.product = pj_product_by_ndc9(&st->ix, ndc9);
    pill.drug = pill.product != MDL_NONE ? pj_product_main_drug(&st->ix, pill.product) : MDL_NONE;
    if (pill.drug == MDL_NONE)
        pill.drug = first;
    pill.name = name.data;
    pill.imprint = pc.imprint;
    pill.color = st->color.data;
    pill.shape = shape.data;
    pill.size_mm = pc.size_mm;
    pill.score = (int8_t)pc.score;
    pill.strength = strength.data;
    pill.form = form.data;
    pill.labeler = st->labeler;
    pill.schedule = pc.schedule ? pc.schedule : kit_schedule;
    pill.cite = mdl_cite_make(m, st->src, "setid %s product %s (%s)", st->setid, ndc_code, st->file);
    rc = mdl_pill_add(m, &pill);
    st->pills++;
    if (pill.product != MDL_NONE || pill.drug != MDL_NONE)
        st->pills_joined++;
done:
    mt_buf_free(&name);
    mt_buf_free(&form);
    mt_buf_free(&strength);
    mt_buf_free(&shape);
    return rc;
}

static int products(spl_state *st, const xmlNode *sec)
{
    const xmlNode *subj;
    int rc = MT_OK;
    for (subj = child(sec, "subject"); subj && rc == MT_OK; subj = next_el(subj, "subject")) {
        const xmlNode *outer = child(subj, "manufacturedProduct");
        const xmlNode *inner = child(outer, "manufacturedProduct");
        const xmlNode *part;
        const char *code;
        pill_chars kit;
        if (!inner)
            inner = child(outer, "manufacturedMedicine");
        if (!inner)
            continue;
        code = attr(child(inner, "code"), "code");
        if (!st->first_product) {
            if ((rc = plain(st, child(inner, "name"), &st->tmp)) != MT_OK)
                break;
            st->first_product = mt_arena_strdup(&st->m->arena, st->tmp.data);
        }
        rc = make_pill(st, inner, outer, NULL, code, NULL);
        memset(&kit, 0, sizeof(kit));
        read_chars(outer, &kit);
        for (part = child(inner, "part"); part && rc == MT_OK; part = next_el(part, "part")) {
            const xmlNode *pp = child(part, "partProduct");
            if (pp)
                rc = make_pill(st, pp, part, inner, code, kit.schedule);
        }
    }
    return rc;
}

/* --- sections -------------------------------------------------------------- */

static int emit_section(spl_state *st, const xmlNode *sec, int k)
{
    tw w;
    const xmlNode *c;
    int rc;
    mt_buf_reset(&st->text);
    memset(&w, 0, sizeof(w));
    w.b = &st->text;
    w.rc = MT_OK;
    /* The section's own title is the section's name, not its text. */
    for (c = sec->children; c && w.rc == MT_OK; c = c->next)
        if (!is_el(c, "title"))
            narrative_node(&w, c, 1);
    rc = w.rc;
    if (rc != MT_OK || !st->text.len)
        return rc;
    rc = mdl_doc_section_add(st->m, st->doc, KEPT[k].code, st->names[k] ? st->names[k] : KEPT[k].fallback,
                             st->text.data);
    if (rc == MT_OK)
        st->sections++;
    return rc;
}

static int sections(spl_state *st, const xmlNode *n, int depth)
{
    const xmlNode *comp;
    int rc = MT_OK;
    if (depth > SPL_MAX_DEPTH)
        return MT_OK;
    for (comp = child(n, "component"); comp && rc == MT_OK; comp = next_el(comp, "component")) {
        const xmlNode *sec = child(comp, "section");
        const char *code;
        int k;
        if (!sec)
            continue;
        code = section_code(sec);
        if (!strcmp(code, PRODUCT_SECTION))
            continue;                   /* read first, by product_sections() */
        k = kept_index(code);
        /* A kept section keeps everything under it (Lipitor's "4.3 Pregnancy"
        ** is part of its contraindications); other sections ("8 Use in
        ** specific populations") are searched for kept ones. */
        if (k >= 0)
            rc = emit_section(st, sec, k);
        else
            rc = sections(st, sec, depth + 1);
    }
    return rc;
}

/* Products come first: a missing title falls back on the first product's name. */
static int product_sections(spl_state *st, const xmlNode *n, int depth)
{
    const xmlNode *comp;
    int rc = MT_OK;
    if (depth > SPL_MAX_DEPTH)
        return MT_OK;
    for (comp = child(n, "component"); comp && rc == MT_OK; comp = next_el(comp, "component")) {
        const xmlNode *sec = child(comp, "section");
        if (sec && !strcmp(section_code(sec), PRODUCT_SECTION))
            rc = products(st, sec);
    }
    return rc;
}

/* --- one label -------------------------------------------------------------- */

/* The short title of a label: PLR titles begin "These highlights do not
** include all the information ... See full prescribing information for X." */
static int label_title(spl_state *st, const xmlNode *doc_el, mt_buf *out)
{
    static const char see_for[] = "See full prescribing information for ";
    const char *t, *see, *approval, *stop;
    size_t len;
    int rc = plain(st, child(doc_el, "title"), &st->tmp);
    mt_buf_reset(out);
    if (rc != MT_OK)
        return rc;
    t = st->tmp.data;
    approval = strcasestr(t, "Initial U.S. Approval");
    see = strstr(t, see_for);
    if (see && (!approval || see < approval)) {
        t = see + sizeof(see_for) - 1;
        /* "... for LIPITOR. LIPITOR (atorvastatin calcium) tablets": after the sentence. */
        stop = strstr(t, ". ");
        if (stop && (!approval || stop < approval))
            t = stop + 2;
    }
    while (*t == ' ')
        t++;
    len = approval && approval >= t ? (size_t)(approval - t) : strlen(t);
    while (len && t[len - 1] == ' ')
        len--;
    if (!len || (len == 10 && !strncasecmp(t, "Drug Facts", 10)) || (len == 7 && !strncasecmp(t, "Rx only", 7))) {
        t = st->first_product ? st->first_product : "";
        len = strlen(t);
    }
    if (len > SPL_TITLE_MAX) {
        len = SPL_TITLE_MAX;
        while (len && ((unsigned char)t[len] & 0xC0) == 0x80)
            len--;                       /* not inside a UTF-8 sequence */
    }
    if (!len)
        return mt_buf_printf(out, "SPL %s", st->setid);
    return mt_buf_append(out, t, len);
}

/* The label `name` of d, cited by what follows its last '/'. */
static int import_label(spl_state *st, const mt_src_dir *d, const char *name)
{
    mdl *m = st->m;
    xmlParserCtxtPtr pc = NULL;
    xmlDocPtr xdoc = NULL;
    xmlNode *root, *body;
    mt_buf title, path;
    mdl_doc doc;
    const char *eff, *version;
    char date[11];
    int rc;

    mt_buf_init(&title, 4096);
    mt_buf_init(&path, 8192);
    mt_buf_reset(&st->raw);
    st->ndrugs = 0;
    st->first_product = NULL;
    st->labeler = NULL;
    st->file = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    if ((rc = mt_src_dir_path(d, name, &path)) != MT_OK)
        goto done;
    st->path = path.data;
    rc = mt_src_read_all_at(d, name, &st->raw, st->ctx->err);
    if (rc != MT_OK)
        goto done;
    if (st->raw.len > (size_t)INT32_MAX) {
        rc = fail(st, MT_ELIMIT, 0, "file too large");
        goto done;
    }
    pc = xmlNewParserCtxt();
    if (!pc) {
        rc = MT_ENOMEM;
        goto done;
    }
    xdoc = xmlCtxtReadMemory(pc, st->raw.data ? st->raw.data : "", (int)st->raw.len, st->file, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!xdoc || !pc->wellFormed) {
        xmlErrorPtr e = xmlCtxtGetLastError(pc);
        rc = fail(st, MT_EFORMAT, e ? e->line : 0, "malformed XML: %s",
                  e && e->message ? e->message : "not well-formed");
        /* libxml2 messages end with a new line */
        if (st->ctx->err->len && st->ctx->err->data[st->ctx->err->len - 1] == '\n')
            st->ctx->err->data[--st->ctx->err->len] = '\0';
        goto done;
    }
    root = xmlDocGetRootElement(xdoc);
    if (!is_el(root, "document")) {
        rc = fail(st, MT_EFORMAT, root ? (long)xmlGetLineNo(root) : 0, "not an SPL document (root is not urn:hl7-org:v3 document)");
        goto done;
    }
    st->setid = attr(child(root, "setId"), "root");
    if (!*st->setid) {
        rc = fail(st, MT_EFORMAT, (long)xmlGetLineNo(root), "document has no setId");
        goto done;
    }
    st->setid = mt_arena_strdup(&m->arena, st->setid);
    if (!st->setid) {
        rc = MT_ENOMEM;
        goto done;
    }
    m->sources.items[st->src].rows++;
    st->labels++;
    if ((rc = plain(st, child(child(child(child(root, "author"), "assignedEntity"), "representedOrganization"), "name"),
                    &st->tmp)) != MT_OK)
        goto done;
    if (st->tmp.len && !(st->labeler = mt_arena_strdup(&m->arena, st->tmp.data))) {
        rc = MT_ENOMEM;
        goto done;
    }
    body = child(child(root, "component"), "structuredBody");

    /* The doc exists before the products link drugs to it. */
    eff = attr(child(root, "effectiveTime"), "value");
    date[0] = '\0';
    if (strlen(eff) >= 8 && isdigit((unsigned char)eff[0]))
        snprintf(date, sizeof(date), "%.4s-%.2s-%.2s", eff, eff + 4, eff + 6);
    version = attr(child(root, "versionNumber"), "value");
    memset(&doc, 0, sizeof(doc));
    doc.kind = MT_DOC_US_LABEL;
    doc.jurisdiction = "US";
    doc.title = "";
    doc.date = date;
    doc.doc_id = st->setid;
    doc.cite = *version ? mdl_cite_make(m, st->src, "setid %s version %s (%s)", st->setid, version, st->file)
                        : mdl_cite_make(m, st->src, "setid %s (%s)", st->setid, st->file);
    if ((rc = mdl_doc_add(m, &doc, &st->doc)) != MT_OK)
        goto done;
    if (body && (rc = product_sections(st, body, 0)) != MT_OK)
        goto done;
    if ((rc = label_title(st, root, &title)) != MT_OK)
        goto done;
    m->docs.items[st->doc].title = mt_arena_strdup(&m->arena, title.data);
    if (!m->docs.items[st->doc].title) {
        rc = MT_ENOMEM;
        goto done;
    }
    if (body && (rc = sections(st, body, 0)) != MT_OK)
        goto done;
    if (st->ndrugs)
        m->sources.items[st->src].matched++;
    else
        m->sources.items[st->src].unmatched++;
done:
    if (xdoc)
        xmlFreeDoc(xdoc);
    if (pc)
        xmlFreeParserCtxt(pc);
    st->path = NULL;
    mt_buf_free(&title);
    mt_buf_free(&path);
    return rc;
}

/* --- folders ------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_xml_suffix(const char *name)
{
    size_t len = strlen(name);
    return (len > 7 && !strcmp(name + len - 7, ".xml.gz")) || (len > 4 && !strcmp(name + len - 4, ".xml"));
}

/* The SPL files among names, ".gz" removed (srcfile opens either), sorted,
** name.xml and name.xml.gz side by side counted once. */
static int xml_names(const char *const *in, size_t nin, char ***out, size_t *count)
{
    char **names = NULL;
    size_t n = 0, i, j;
    int rc = MT_OK;

    *out = NULL;
    *count = 0;
    if (nin > SPL_MAX_FILES)
        return MT_ELIMIT;
    if (!(names = mt_calloc(nin + 1, sizeof(*names))))
        return MT_ENOMEM;
    for (i = 0; i < nin; i++) {
        size_t len = strlen(in[i]);
        if (!has_xml_suffix(in[i]))
            continue;
        if (len > 7 && !strcmp(in[i] + len - 7, ".xml.gz"))
            len -= 3;
        if (!(names[n] = mt_strndup(in[i], len))) {
            rc = MT_ENOMEM;
            break;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (i = j = 0; i < n; i++) {
        if (j && !strcmp(names[j - 1], names[i]))
            mt_free(names[i]);
        else
            names[j++] = names[i];
    }
    *out = names;
    *count = j;
    return rc;
}

/* The SPL files of a folder on disk. */
static int list_xml(const char *dir, char ***out, size_t *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **found = NULL;
    size_t n = 0, cap = 0, i;
    int rc = MT_OK;

    *out = NULL;
    *count = 0;
    if (!d)
        return MT_ENOTFOUND;
    while ((e = readdir(d)) != NULL) {
        if (!has_xml_suffix(e->d_name))
            continue;
        if (n == cap) {
            char **grown;
            if (cap >= SPL_MAX_FILES) {
                rc = MT_ELIMIT;
                break;
            }
            cap = cap ? cap * 2 : 128;
            grown = mt_reallocarray(found, cap, sizeof(*found));
            if (!grown) {
                rc = MT_ENOMEM;
                break;
            }
            found = grown;
        }
        if (!(found[n] = mt_strdup(e->d_name))) {
            rc = MT_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == MT_OK)
        rc = xml_names((const char *const *)found, n, out, count);
    for (i = 0; i < n; i++)
        mt_free(found[i]);
    mt_free(found);
    return rc;
}

/* Every label of names in d. */
static int import_names(spl_state *st, const mt_src_dir *d, char **names, size_t n)
{
    size_t i;
    int rc = MT_OK;
    for (i = 0; i < n && rc == MT_OK; i++) {
        rc = import_label(st, d, names[i]);
        st->seen++;
        if (st->ctx->progress)
            st->ctx->progress(st->ctx->progress_user, "SPL labels", st->tree ? st->seen : (unsigned long)i + 1,
                              st->tree ? 0 : (unsigned long)n);
    }
    return rc;
}

static int import_folder(spl_state *st, const char *dir, mdl_src src)
{
    char **names = NULL;
    size_t n = 0, i;
    mt_src_dir d;
    int rc = list_xml(dir, &names, &n);

    if (rc == MT_ENOTFOUND) {
        mt_buf_printf(st->ctx->err, "%s: no such folder", dir);
        rc = MT_EIO;
    }
    st->src = src;
    d.path = dir;
    d.zip = NULL;
    d.prefix = NULL;
    if (rc == MT_OK)
        rc = import_names(st, &d, names, n);
    for (i = 0; i < n; i++)
        mt_free(names[i]);
    mt_free(names);
    return rc;
}

int mt_import_spl_xml(mt_import_ctx *ctx)
{
    spl_state st;
    mdl_src openfda;
    const char *openfda_dir = NULL;
    mt_buf dir;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    mt_buf_init(&st.raw, SPL_FILE_MAX);
    mt_buf_init(&st.text, SPL_TEXT_MAX);
    mt_buf_init(&st.tmp, SPL_TEXT_MAX);
    mt_buf_init(&st.color, 1024);
    mt_buf_init(&dir, 8192);
    xmlInitParser();
    rc = pj_index_build(&st.ix, ctx->m);
    if (rc != MT_OK)
        goto done;
    if (mdl_source_find(ctx->m, "openfda", &openfda) == MT_OK)
        openfda_dir = ctx->m->sources.items[openfda].dir;
    if (openfda_dir && (rc = load_section_names(&st, openfda_dir)) != MT_OK)
        goto done;
    if ((rc = mt_buf_printf(&dir, "%s/xml", ctx->dir)) != MT_OK)
        goto done;
    if ((rc = import_folder(&st, dir.data, ctx->src)) != MT_OK)
        goto done;
    if (openfda_dir) {
        mt_buf_reset(&dir);
        if ((rc = mt_buf_printf(&dir, "%s/spl-xml", openfda_dir)) != MT_OK)
            goto done;
        if ((rc = import_folder(&st, dir.data, openfda)) != MT_OK)
            goto done;
    } else if (ctx->warn)
        mt_buf_printf(ctx->warn, "spl-xml: source \"openfda\" not registered: its SPL labels and "
                      "section names are not read\n");
    if (ctx->warn)
        mt_buf_printf(ctx->warn, "spl-xml: %u labels, %u sections, %u pills (%u joined to a product or drug)\n",
                      st.labels, st.sections, st.pills, st.pills_joined);
done:
    pj_index_free(&st.ix);
    mt_buf_free(&st.raw);
    mt_buf_free(&st.text);
    mt_buf_free(&st.tmp);
    mt_buf_free(&st.color);
    mt_buf_free(&dir);
    return rc;
}

static int visit_labels(void *user, const mt_src_dir *d, const char *const *found, size_t nfound)
{
    spl_state *st = user;
    char **names = NULL;
    size_t n = 0, i;
    int rc = xml_names(found, nfound, &names, &n);

    if (rc == MT_ELIMIT)
        mt_buf_printf(st->ctx->err, "%s: more than %d SPL files in one folder", d->path, SPL_MAX_FILES);
    if (rc == MT_OK)
        rc = import_names(st, d, names, n);
    for (i = 0; i < n; i++)
        mt_free(names[i]);
    mt_free(names);
    return rc;
}

int mt_import_spl_xml_tree(mt_import_ctx *ctx, const char *path, int depth)
{
    spl_state st;
    mdl_src openfda;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    st.src = ctx->src;
    st.tree = 1;
    mt_buf_init(&st.raw, SPL_FILE_MAX);
    mt_buf_init(&st.text, SPL_TEXT_MAX);
    mt_buf_init(&st.tmp, SPL_TEXT_MAX);
    mt_buf_init(&st.color, 1024);
    xmlInitParser();
    rc = pj_index_build(&st.ix, ctx->m);
    if (rc == MT_OK && mdl_source_find(ctx->m, "openfda", &openfda) == MT_OK)
        rc = load_section_names(&st, ctx->m->sources.items[openfda].dir);
    if (rc == MT_OK)
        rc = mt_src_walk(path, depth, MT_SRC_WALK_ZIPS | MT_SRC_WALK_INNER, has_xml_suffix, visit_labels, &st,
                         ctx->err);
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "%u labels, %u sections, %u pills (%u joined to a product or drug)\n",
                      st.labels, st.sections, st.pills, st.pills_joined);
    pj_index_free(&st.ix);
    mt_buf_free(&st.raw);
    mt_buf_free(&st.text);
    mt_buf_free(&st.tmp);
    mt_buf_free(&st.color);
    return rc;
}
