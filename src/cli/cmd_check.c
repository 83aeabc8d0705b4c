/*
** cmd_check.c — `materia check`: interactions, duplications and class
** effects among a list of drugs (materia/interact.h), as text grouped by
** severity or as JSON; or one list per line of a file (--batch, JSON lines).
**
** Exit status (docs/interactions-api.md, "The command"): 0 when the check ran
** and at least one input resolved, findings or not, unresolved inputs or not
** (they are listed: a clinician needs the findings for the rest); 1 when
** nothing resolved or on failure; 2 for bad usage. --batch exits 0 when every
** line was answered.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "materia/interact.h"
#include "materia/show.h"
#include "util/alloc.h"
#include "util/jsonw.h"

#define OUT_MAX        (64u << 20)
#define BATCH_LINE_MAX (MT_CHECK_MAX_INPUTS * (MT_CHECK_MAX_INPUT_LEN + 1) + 1024)

/* --- text output ------------------------------------------------------------- */

typedef struct txt {
    mt_buf *out;
    int     rc;               /* first failure, sticky */
} txt;

static void put(txt *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(txt *t, const char *fmt, ...)
{
    va_list ap;
    if (t->rc != MT_OK)
        return;
    va_start(ap, fmt);
    t->rc = mt_buf_vprintf(t->out, fmt, ap);
    va_end(ap);
}

static const char *upper_sev(int sev)
{
    switch (sev) {
    case MT_SEV_CONTRAINDICATED: return "CONTRAINDICATED";
    case MT_SEV_MAJOR:           return "MAJOR";
    case MT_SEV_MODERATE:        return "MODERATE";
    case MT_SEV_MINOR:           return "MINOR";
    default:                     return "REPORTED, NOT GRADED";
    }
}

/* "Zoloft (sertraline)", "Norco (acetaminophen + hydrocodone)", "warfarin". */
static void put_input(txt *t, const mt_check_input *in)
{
    uint32_t i;
    put(t, "%s", in->text);
    if (in->ning == 0 || (in->ning == 1 && strcasecmp(in->text, in->ings[0].name) == 0))
        return;
    put(t, " (");
    for (i = 0; i < in->ning; i++)
        put(t, "%s%s", i ? " + " : "", in->ings[i].name);
    put(t, ")");
}

/* A source text on one line: runs of white space (the thesaurus keeps its
** PDF line breaks) become one space. The JSON keeps the text verbatim. */
static void put_text(txt *t, const char *label, const char *s)
{
    int space = 0;
    put(t, "      %s: ", label);
    for (; *s && t->rc == MT_OK; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
            space = 1;
            continue;
        }
        if (space)
            t->rc = mt_buf_putc(t->out, ' ');
        space = 0;
        if (t->rc == MT_OK)
            t->rc = mt_buf_putc(t->out, *s);
    }
}

static void put_cite(txt *t, const mt_check_cite *c)
{
    if (c->source && c->record)
        put(t, "%s: %s", c->source, c->record);
    else if (c->source)
        put(t, "%s", c->source);
    else
        put(t, "no record");
}

static void text_inputs(txt *t, const mt_check_result *r)
{
    uint32_t i, k;
    put(t, "Checked %u drug%s:\n", r->ninputs, r->ninputs == 1 ? "" : "s");
    for (i = 0; i < r->ninputs; i++) {
        const mt_check_input *in = &r->inputs[i];
        put(t, "  %u. %s", i + 1, in->text);
        if (in->how == MT_CHECK_UNRESOLVED) {
            put(t, " -> NOT RESOLVED (%s)\n", in->why ? in->why : "no match");
            continue;
        }
        put(t, " ->");
        for (k = 0; k < in->ning; k++) {
            put(t, "%s %s", k ? " +" : "", in->ings[k].name);
            if (in->ings[k].via_name)
                put(t, " (as %s)", in->ings[k].via_name);
        }
        if (in->how == MT_CHECK_BY_NAME)
            put(t, "  [%s \"%s\", %s", in->match_kind ? in->match_kind : "name", in->matched ? in->matched : "",
                in->tier ? in->tier : "");
        else
            put(t, "  [%s", in->matched ? in->matched : mt_check_how_name(in->how));
        if (in->product_name)
            put(t, ": %s", in->product_name);
        put(t, "]%s\n", in->ambiguous ? " AMBIGUOUS: the name belongs to several drugs, all are checked" : "");
    }
}

static void text_evidence(txt *t, const mt_check_evidence *e)
{
    put(t, "    - %s", e->cite.source_name ? e->cite.source_name : e->cite.source ? e->cite.source : "?");
    if (e->cite.edition)
        put(t, " (%s)", e->cite.edition);
    put(t, ": \"%s\" = %s", e->level ? e->level : "no level", mt_check_severity_name(e->severity));
    if (e->kind == MT_IX_HARM_REDUCTION)
        put(t, " (harm reduction, not a clinical grading)");
    else if (e->kind == MT_IX_PAIR_ONLY)
        put(t, " (pair reported, severity not graded)");
    if (e->tier != MT_TIER_DEFAULT)
        put(t, ", %s", e->tier == MT_TIER_INTERRUPTIVE ? "interruptive alert" : "non-interruptive alert");
    put(t, "\n");
    put(t, "      %s + %s", e->name_a, e->name_b);
    if (e->a_label || e->b_label)
        put(t, "  (rule: %s + %s)", e->a_label ? e->a_label : "?", e->b_label ? e->b_label : "?");
    put(t, "\n");
    if (e->effect) {
        put_text(t, "effect", e->effect);
        put(t, "%s%s%s\n", e->lang ? " [" : "", e->lang ? e->lang : "", e->lang ? "]" : "");
    }
    if (e->mechanism) {
        put_text(t, "mechanism", e->mechanism);
        put(t, "\n");
    }
    if (e->management) {
        put_text(t, "management", e->management);
        put(t, "\n");
    }
    put(t, "      record: ");
    put_cite(t, &e->cite);
    if (e->text_cite.source) {
        put(t, "; text: ");
        put_cite(t, &e->text_cite);
    }
    put(t, "\n");
}

static void text_dup(txt *t, const mt_check_dup *d)
{
    if (d->type == MT_DUP_INGREDIENT)
        put(t, "    - same ingredient in both: %s [ID]\n", d->name_a);
    else
        put(t, "    - same pharmacologic class: %s and %s are both %s \"%s\" [TD]\n", d->name_a, d->name_b,
            d->class_type ? d->class_type : "", d->class_name ? d->class_name : "?");
    put(t, "      records: ");
    put_cite(t, &d->cite_a);
    put(t, "; ");
    put_cite(t, &d->cite_b);
    put(t, "\n");
}

static void text_findings(txt *t, const mt_check_result *r)
{
    uint32_t i, k, m;
    int last_rank = -100, last_clin = -1;

    if (r->nfindings == 0) {
        put(t, "\nNo interaction or duplication found between the resolved drugs (see coverage below).\n");
        return;
    }
    for (i = 0; i < r->nfindings; i++) {
        const mt_check_finding *f = &r->findings[i];
        /* The heading says which kind of source set the rank. */
        int clin = f->severity != MT_CHECK_SEV_NONE && f->severity == f->rank;
        if (f->nev == 0) {
            if (last_rank != -99)
                put(t, "\nDUPLICATE THERAPY\n");
            last_rank = -99;
        } else if (f->rank != last_rank || clin != last_clin) {
            if (clin)
                put(t, "\n%s\n", upper_sev(f->rank));
            else
                put(t, "\n%s - by a harm-reduction source (not a clinical grading)\n", upper_sev(f->rank));
            last_rank = f->rank;
            last_clin = clin;
        }
        put(t, "  ");
        put_input(t, &r->inputs[f->input_a]);
        put(t, " + ");
        put_input(t, &r->inputs[f->input_b]);
        put(t, "  [");
        for (k = 0; k < f->ndur; k++)
            put(t, "%s%s", k ? " " : "", f->dur[k]);
        put(t, "]");
        if (f->tier == MT_TIER_INTERRUPTIVE)
            put(t, "  interruptive");
        else if (f->tier == MT_TIER_NONINTERRUPTIVE)
            put(t, "  non-interruptive");
        put(t, "\n");
        if (f->nev && !clin)
            put(t, "    Clinical sources: %s\n", f->severity == MT_CHECK_SEV_NONE ? "none has this pair"
                                                   : mt_check_severity_name(f->severity));
        else if (f->hr_severity != MT_CHECK_SEV_NONE)
            put(t, "    Harm-reduction source: %s\n", mt_check_severity_name(f->hr_severity));
        if (f->disagreement) {
            /* Each source at its most severe grading, in evidence order. */
            put(t, "    Sources disagree:");
            for (k = 0; k < f->nev; k++) {
                const mt_check_evidence *e = &f->ev[k];
                int seen = 0;
                if (e->kind == MT_IX_HARM_REDUCTION || e->severity == MT_SEV_UNKNOWN || !e->cite.source)
                    continue;
                for (m = 0; m < k && !seen; m++)
                    seen = f->ev[m].cite.source && strcmp(f->ev[m].cite.source, e->cite.source) == 0 &&
                           f->ev[m].kind != MT_IX_HARM_REDUCTION && f->ev[m].severity != MT_SEV_UNKNOWN;
                if (!seen)
                    put(t, " %s %s;", e->cite.source, mt_check_severity_name(e->severity));
            }
            put(t, " the most severe is the finding's severity\n");
        }
        for (k = 0; k < f->nev; k++)
            text_evidence(t, &f->ev[k]);
        for (k = 0; k < f->ndups; k++)
            text_dup(t, &f->dups[k]);
    }
}

static void text_effects(txt *t, const mt_check_result *r)
{
    uint32_t i, k;
    const mt_check_acb *a = &r->acb;

    if (r->neffects)
        put(t, "\nCLASS EFFECTS [AT]\n");
    for (i = 0; i < r->neffects; i++) {
        const mt_check_class_effect *e = &r->effects[i];
        put(t, "  %s: %u drugs of ANSM class \"%s\":", e->effect, e->nmembers, e->class_name ? e->class_name : "?");
        for (k = 0; k < e->nmembers; k++)
            put(t, "%s %s", k ? "," : "", e->members[k].name);
        put(t, "\n    records:");
        for (k = 0; k < e->nmembers; k++) {
            put(t, "%s ", k ? ";" : "");
            put_cite(t, &e->members[k].cite);
        }
        put(t, "\n");
    }
    if (a->nitems == 0)
        return;
    put(t, "\nANTICHOLINERGIC BURDEN [AT]: total %d%s\n", a->total,
        a->alert ? "" : " (below the alert threshold)");
    if (a->alert)
        put(t, "  ALERT: total >= %d\n", a->threshold);
    for (i = 0; i < a->nitems; i++) {
        put(t, "  %s %d (%s; ", a->items[i].name, a->items[i].score, a->items[i].scale ? a->items[i].scale : "?");
        put_cite(t, &a->items[i].cite);
        put(t, ")\n");
    }
    if (a->nunscored) {
        put(t, "  no score (unknown, not zero):");
        for (i = 0; i < a->nunscored; i++) {
            put(t, "%s ", i ? "," : "");
            put_input(t, &r->inputs[a->unscored[i]]);
        }
        put(t, "\n");
    }
}

static void text_coverage(txt *t, const mt_check_result *r)
{
    uint32_t i, k;
    put(t, "\nCOVERAGE\n");
    for (i = 0; i < r->nunresolved; i++) {
        const mt_check_input *in = &r->inputs[r->unresolved[i]];
        put(t, "  Not resolved, NOT CHECKED: \"%s\" (%s)", in->text, in->why ? in->why : "no match");
        for (k = 0; k < in->nsuggestions; k++)
            put(t, "%s%s", k ? ", " : ". Did you mean: ", in->suggestions[k]);
        put(t, "%s\n", in->nsuggestions ? "?" : "");
    }
    for (i = 0; i < r->nuncovered; i++) {
        put(t, "  No interaction data in any source (nothing found does not mean safe): ");
        put_input(t, &r->inputs[r->uncovered[i]]);
        put(t, "\n");
    }
    put(t, "  Sources:\n");
    for (i = 0; i < r->nsources; i++) {
        const mt_check_source *s = &r->sources[i];
        put(t, "    %-12s %s%s%s%s: ", s->id, s->name ? s->name : "", s->edition ? " (" : "",
            s->edition ? s->edition : "", s->edition ? ")" : "");
        if (s->ncovers == 0)
            put(t, "covers none of these drugs");
        for (k = 0; k < s->ncovers; k++)
            put(t, "%s%s", k ? ", " : "covers ", r->inputs[s->covers[k]].text);
        put(t, "\n");
    }
}

static int write_text(const mt_check_result *r, mt_buf *out)
{
    txt t;
    t.out = out;
    t.rc = MT_OK;
    text_inputs(&t, r);
    text_findings(&t, r);
    text_effects(&t, r);
    text_coverage(&t, r);
    put(&t, "\n%s\n", MT_SHOW_DISCLAIMER);
    return t.rc;
}

/* --- batch ---------------------------------------------------------------------- */

/* Reads one line (without its end) into line. 1: a line; 0: end of file;
** -1: read error. An overlong line is consumed whole and *toolong set. */
static int read_line(FILE *in, mt_buf *line, int *toolong)
{
    int ch, any = 0;
    mt_buf_reset(line);
    *toolong = 0;
    while ((ch = getc(in)) != EOF) {
        any = 1;
        if (ch == '\n')
            break;
        if (!*toolong && mt_buf_putc(line, (char)ch) != MT_OK)
            *toolong = 1;
    }
    if (ferror(in))
        return -1;
    while (line->len && line->data[line->len - 1] == '\r')
        line->data[--line->len] = '\0';
    return any;
}

/* Splits a line in place on tabs when it has one, else on commas; trims
** spaces; skips empty fields. Returns the field count, or -1 when there are
** more than max. */
static int split_line(char *s, char **fields, int max)
{
    char sep = strchr(s, '\t') ? '\t' : ',';
    int n = 0;
    while (s) {
        char *end = strchr(s, sep), *b = s, *e;
        if (end)
            *end = '\0';
        while (*b == ' ' || *b == '\t')
            b++;
        e = b + strlen(b);
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (*b) {
            if (n >= max)
                return -1;
            fields[n++] = b;
        }
        s = end ? end + 1 : NULL;
    }
    return n;
}

static int error_line(mt_buf *out, unsigned long lineno, const char *msg)
{
    mt_jsonw j;
    mt_jsonw_init(&j, out, 0);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kuint(&j, "line", lineno);
    mt_jsonw_kstr(&j, "error", msg);
    mt_jsonw_obj_end(&j);
    return mt_jsonw_finish(&j);
}

static int batch(const mt_kb *kb, const char *path)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *fields[MT_CHECK_MAX_INPUTS + 1];
    unsigned long lineno = 0;
    mt_buf line, out;
    int status = CLI_OK, got, toolong;

    if (!in)
        return cli_fail("%s: %s", path, strerror(errno));
    mt_buf_init(&line, BATCH_LINE_MAX);
    mt_buf_init(&out, OUT_MAX);
    while ((got = read_line(in, &line, &toolong)) == 1) {
        int n, rc;
        lineno++;
        if (line.len == 0 && !toolong)
            continue;
        if (!toolong && line.data[0] == '#')
            continue;
        mt_buf_reset(&out);
        if (toolong) {
            rc = error_line(&out, lineno, "line too long");
        } else if ((n = split_line(line.data, fields, MT_CHECK_MAX_INPUTS)) < 0) {
            rc = error_line(&out, lineno, "more than 200 drugs on one line");
        } else if (n == 0) {
            continue;
        } else {
            mt_check_result r;
            mt_jsonw j;
            rc = mt_check(kb, (const char *const *)fields, (size_t)n, NULL, &r);
            if (rc != MT_OK) {
                status = cli_fail("%s:%lu: %s", path, lineno, mt_strerror(rc));
                break;
            }
            mt_jsonw_init(&j, &out, 0);
            mt_jsonw_obj_begin(&j);
            mt_jsonw_kuint(&j, "line", lineno);
            mt_check_json_members(&r, &j);
            mt_jsonw_obj_end(&j);
            rc = mt_jsonw_finish(&j);
            mt_check_result_free(&r);
        }
        if (rc == MT_OK)
            rc = mt_buf_putc(&out, '\n');
        if (rc != MT_OK) {
            status = cli_fail("%s:%lu: %s", path, lineno, mt_strerror(rc));
            break;
        }
        if ((status = cli_write_stdout(&out)) != CLI_OK)
            break;
    }
    if (status == CLI_OK && got < 0)
        status = cli_fail("%s: %s", path, strerror(errno));
    if (in != stdin)
        fclose(in);
    mt_buf_free(&line);
    mt_buf_free(&out);
    return status;
}

/* --- the command ------------------------------------------------------------------- */

CLI_COMMAND(check)
{
    const char *kbpath = NULL, *batch_path = NULL;
    const char **drugs = mt_calloc(argc > 0 ? (size_t)argc : 1, sizeof(char *));
    int json = 0, i, n = 0, status = CLI_OK, rc;
    mt_kb *kb = NULL;
    mt_check_result r;
    mt_buf out;

    memset(&r, 0, sizeof(r));
    mt_buf_init(&out, OUT_MAX);
    if (!drugs)
        return cli_fail("out of memory");
    for (i = 1; i < argc && status == CLI_OK; i++) {
        int m;
        if ((m = cli_opt_value(argc, argv, &i, "kb", &kbpath)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "batch", &batch_path)) != 0) {
            if (m < 0)
                status = cli_usage_error("check", "%s needs a value", argv[i]);
        } else if (cli_flag(argv[i], "json")) {
            json = 1;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            status = cli_usage_error("check", "unknown option \"%s\"", argv[i]);
        } else {
            drugs[n++] = argv[i];
        }
    }
    if (status != CLI_OK)
        goto done;
    if (batch_path && n > 0)
        status = cli_usage_error("check", "--batch takes no drugs on the command line");
    else if (batch_path && json)
        status = cli_usage_error("check", "--batch always writes JSON lines; --json is not needed");
    else if (!batch_path && n == 0)
        status = cli_usage_error("check", "no drug given");
    else if (n > MT_CHECK_MAX_INPUTS)
        status = cli_usage_error("check", "%d drugs: at most %d can be checked at once", n, MT_CHECK_MAX_INPUTS);
    if (status != CLI_OK)
        goto done;
    if (cli_open_kb(cli_kb_path(kbpath), &kb) != CLI_OK) {
        status = CLI_FAIL;
        goto done;
    }
    if (batch_path) {
        status = batch(kb, batch_path);
        goto done;
    }
    rc = mt_check(kb, drugs, (size_t)n, NULL, &r);
    if (rc != MT_OK) {
        status = cli_fail("check: %s", mt_strerror(rc));
        goto done;
    }
    rc = json ? mt_check_json(&r, 1, &out) : write_text(&r, &out);
    if (rc == MT_OK && json)
        rc = mt_buf_putc(&out, '\n');
    if (rc != MT_OK) {
        status = cli_fail("check: %s", mt_strerror(rc));
    } else {
        status = cli_write_stdout(&out);
        if (status == CLI_OK && r.nresolved == 0) {
            fprintf(stderr, "materia: none of the drugs was recognized: nothing was checked\n");
            status = CLI_FAIL;
        }
    }
done:
    mt_buf_free(&out);
    mt_check_result_free(&r);
    mt_kb_close(kb);
    mt_free(drugs);
    return status;
}
