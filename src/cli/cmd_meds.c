/*
** cmd_meds.c — `materia meds`: personal medication records on a local,
** single-user store (lib/records), with the same alerts as the API when a
** medication is added.
**
**   materia meds [--db FILE] [--kb FILE] [--profile NAME] [--json] COMMAND
**     add DRUG [--dose N --unit U] [--times-per-day N | --at HH:MM,... | --as-needed [--max-per-day N]]
**              [--strength S] [--form F] [--start DATE] [--stop DATE] [--prescriber P] [--notes T]
**              [--stock N] [--refill-at N]
**     list [--all | --stopped]
**     stop ID [--date DATE]
**     log ID [--skipped] [--at TIME]
**     reminders [--hours N]
**     export [--format fhir|csv|html|ics]
**
** The store is --db, else $MATERIA_MEDS_DB, else $XDG_DATA_HOME/materia/
** records.db (~/.local/share/materia/records.db); a PostgreSQL URL works too.
** The local user "local" has no password (it cannot log in through `materia
** serve`); profiles are found or created by name ("self" by default).
** Clock times are UTC. Exit: 0 done, 1 failure, 2 bad usage; `add` exits 0
** when the record is saved, alerts or not (they are printed).
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "materia/status.h"
#include "records/export.h"
#include "records/meds.h"
#include "records/recjson.h"
#include "records/sched.h"
#include "records/store.h"
#include "util/jsonw.h"

#define OUT_MAX     (16u << 20)
#define LOCAL_USER  "local"

typedef struct meds_opts {
    const char *db, *kb_path, *profile, *format;
    int         json;
    /* add */
    const char *dose, *unit, *per_day, *at, *max_per_day, *strength, *form, *start, *stop, *prescriber,
               *notes, *stock, *refill_at, *date, *hours;
    int         as_needed, all, stopped, skipped;
    const char *pos[2];
    int         npos;
} meds_opts;

typedef struct meds_ctx {
    meds_opts   o;
    mt_store   *st;
    mt_kb      *kb;
    mt_arena    a;
    mt_buf      out;
    mt_id       user;
    mt_rec_profile profile;
} meds_ctx;

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cli_usage_error("meds", "%s", msg);
}

/* The default store: $MATERIA_MEDS_DB, else the XDG data directory (created 0700). */
static const char *default_db(char *buf, size_t n)
{
    const char *env = getenv("MATERIA_MEDS_DB"), *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char dir[900];
    if (env && *env)
        return env;
    if (xdg && *xdg)
        snprintf(dir, sizeof(dir), "%s/materia", xdg);
    else if (home && *home)
        snprintf(dir, sizeof(dir), "%s/.local/share/materia", home);
    else
        return "materia-records.db";
    if (!(xdg && *xdg)) {
        char parent[900];
        snprintf(parent, sizeof(parent), "%s/.local", home);
        mkdir(parent, 0700);
        snprintf(parent, sizeof(parent), "%s/.local/share", home);
        mkdir(parent, 0700);
    }
    mkdir(dir, 0700);
    snprintf(buf, n, "%s/records.db", dir);
    return buf;
}

static int number(const char *s, double *v)
{
    char *end;
    if (!s)
        return 1;
    *v = strtod(s, &end);
    return *s && !*end && isfinite(*v);
}

static int parse(int argc, char **argv, meds_opts *o)
{
    static const struct { const char *name; size_t off; } vals[] = {
#define V(n, f) { n, offsetof(meds_opts, f) }
        V("db", db), V("kb", kb_path), V("profile", profile), V("format", format), V("dose", dose),
        V("unit", unit), V("times-per-day", per_day), V("at", at), V("max-per-day", max_per_day),
        V("strength", strength), V("form", form), V("start", start), V("stop", stop),
        V("prescriber", prescriber), V("notes", notes), V("stock", stock), V("refill-at", refill_at),
        V("date", date), V("hours", hours),
#undef V
    };
    int i;
    size_t k;
    memset(o, 0, sizeof(*o));
    for (i = 1; i < argc; i++) {
        const char *v = NULL;
        int hit = 0;
        for (k = 0; k < sizeof(vals) / sizeof(vals[0]) && !hit; k++) {
            int r = cli_opt_value(argc, argv, &i, vals[k].name, &v);
            if (r < 0)
                return usage("--%s needs a value", vals[k].name);
            if (r > 0) {
                *(const char **)((char *)o + vals[k].off) = v;
                hit = 1;
            }
        }
        if (hit)
            continue;
        if (cli_flag(argv[i], "json")) o->json = 1;
        else if (cli_flag(argv[i], "as-needed")) o->as_needed = 1;
        else if (cli_flag(argv[i], "all")) o->all = 1;
        else if (cli_flag(argv[i], "stopped")) o->stopped = 1;
        else if (cli_flag(argv[i], "skipped")) o->skipped = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage("unknown option \"%s\"", argv[i]);
        else if (o->npos < 2)
            o->pos[o->npos++] = argv[i];
        else
            return usage("unexpected argument \"%s\"", argv[i]);
    }
    if (!o->npos)
        return usage("a command is required: add, list, stop, log, reminders or export");
    return CLI_OK;
}

/* The local user and the profile named by --profile, created on first use. */
static int open_profile(meds_ctx *c)
{
    const char *name = c->o.profile ? c->o.profile : "self";
    mt_rec_profile *list, in;
    mt_rec_user u;
    size_t n, i;
    int rc = mt_store_user_find(c->st, LOCAL_USER, &c->a, &u, NULL);
    if (rc == MT_ENOTFOUND)
        rc = mt_store_user_create(c->st, LOCAL_USER, "!", &c->a, &u);   /* "!" matches no password */
    if (rc == MT_EEXIST)
        rc = mt_store_user_find(c->st, LOCAL_USER, &c->a, &u, NULL);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    c->user = u.id;
    rc = mt_store_profile_list(c->st, c->user, &c->a, &list, &n);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    for (i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0) {
            c->profile = list[i];
            return CLI_OK;
        }
    memset(&in, 0, sizeof(in));
    in.name = name;
    in.relation = n == 0 ? "self" : "other";
    if (!mt_rec_text_ok(name, MT_REC_NAME_MAX, 0) || !*name)
        return usage("--profile: a name of at most 128 bytes");
    rc = mt_store_profile_create(c->st, c->user, &in, &c->a, &c->profile);
    return rc == MT_OK ? CLI_OK : cli_fail("records: %s", mt_strerror(rc));
}

static int print_errors(const mt_rec_errors *e)
{
    unsigned i;
    for (i = 0; i < e->n; i++)
        fprintf(stderr, "materia meds: %s: %s\n", e->e[i].field, e->e[i].message);
    return CLI_USAGE;
}

static int med_line(mt_buf *out, const mt_rec_med *m)
{
    char dosage[256];
    if (mt_export_dosage_text(m, dosage, sizeof(dosage)) != MT_OK)
        dosage[0] = '\0';
    return mt_buf_printf(out, "%5lld  %-8s %s%s%s%s  %s%s%s%s\n", m->id, m->active ? "active" : "stopped",
                         m->drug_text, m->drug_name && strcmp(m->drug_name, m->drug_text) ? " (" : "",
                         m->drug_name && strcmp(m->drug_name, m->drug_text) ? m->drug_name : "",
                         m->drug_name && strcmp(m->drug_name, m->drug_text) ? ")" : "", dosage,
                         m->strength ? ", " : "", m->strength ? m->strength : "",
                         mt_recjson_refill_due(m) ? "  [REFILL]" : "");
}

static int cmd_add(meds_ctx *c)
{
    mt_rec_med in, out, *active, *all;
    mt_rec_allergy *al;
    size_t na, nal;
    mt_rec_errors e;
    mt_meds_check chk;
    mt_jsonw w;
    int rc, nsched = (c->o.per_day != NULL) + (c->o.at != NULL) + c->o.as_needed;

    memset(&e, 0, sizeof(e));
    memset(&chk, 0, sizeof(chk));
    if (c->o.npos != 2)
        return usage("add: name the drug: materia meds add DRUG ...");
    if (nsched > 1)
        return usage("add: give one of --times-per-day, --at, --as-needed");
    mt_rec_med_init(&in);
    in.drug_text = c->o.pos[1];
    in.strength = c->o.strength;
    in.form = c->o.form;
    in.start_date = c->o.start;
    in.stop_date = c->o.stop;
    in.prescriber = c->o.prescriber;
    in.notes = c->o.notes;
    if (!number(c->o.dose, &in.dose_amount))
        mt_rec_err(&e, "dose", "must be a number");
    if (c->o.unit && !(in.dose_unit = mt_rec_unit_canon(c->o.unit)))
        mt_rec_err(&e, "unit", "is not a unit Materia knows (mg, g, mcg, ml, tablet, capsule, drop, puff, ...)");
    if (!number(c->o.stock, &in.stock))
        mt_rec_err(&e, "stock", "must be a number");
    if (!number(c->o.refill_at, &in.refill_at))
        mt_rec_err(&e, "refill-at", "must be a number");
    if (!number(c->o.max_per_day, &in.max_per_day))
        mt_rec_err(&e, "max-per-day", "must be a number");
    if (c->o.at) {
        const char *times[MT_REC_MAX_TIMES], *q;
        char *copy = mt_arena_strdup(&c->a, c->o.at), *p = copy;
        unsigned n = 0, bad = 0;
        while (p && n < MT_REC_MAX_TIMES) {     /* "08:00,20:00" -> its times */
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            times[n++] = p;
            p = comma ? comma + 1 : NULL;
        }
        in.sched_kind = MT_SCHED_CLOCK_TIMES;
        in.clock_times = p ? NULL : mt_rec_clock_list(&c->a, times, n, &bad);
        if (!in.clock_times)
            mt_rec_err(&e, "at", "must be 1 to 12 clock times HH:MM (UTC), comma-separated");
        for (in.times_per_day = 1, q = in.clock_times; q && *q; q++)
            in.times_per_day += *q == ',';
    } else if (c->o.as_needed) {
        in.sched_kind = MT_SCHED_AS_NEEDED;
    } else {
        double n = 1;
        in.sched_kind = MT_SCHED_TIMES_PER_DAY;
        if (!number(c->o.per_day, &n) || n != floor(n))
            mt_rec_err(&e, "times-per-day", "must be a whole number");
        in.times_per_day = (int)(n >= 0 && n <= 1000 ? n : 0);
    }
    if (!e.n)
        mt_rec_med_check(&in, &e);
    if (!e.n) {
        rc = mt_meds_resolve(c->kb, in.drug_text, "drug", &c->a, &e, &in.drug_name, &in.rxcui, &in.product);
        /* Not "no such drug" but a lookup that could not run: nothing is
        ** saved (a record that resolves to no drug gets no alerts). */
        if (rc == MT_ECORRUPT)
            return cli_fail("meds add: %s: the knowledge base has no usable search index, so \"%s\" cannot be "
                            "looked up; nothing saved (rebuild it with `materia build`)",
                            cli_kb_path(c->o.kb_path), in.drug_text);
        if (rc != MT_OK && rc != MT_ENOTFOUND)
            return cli_fail("meds add: cannot look up \"%s\": %s; nothing saved", in.drug_text, mt_strerror(rc));
    }
    if (e.n)
        return print_errors(&e);
    rc = mt_store_med_list(c->st, c->user, c->profile.id, 1, &c->a, &active, &na);
    if (rc == MT_OK)
        rc = mt_store_allergy_list(c->st, c->user, c->profile.id, &c->a, &al, &nal);
    if (rc == MT_OK && na + 1 > MT_CHECK_MAX_INPUTS)
        rc = MT_ELIMIT;
    all = rc == MT_OK ? mt_arena_calloc(&c->a, na + 1, sizeof(*all)) : NULL;
    if (rc == MT_OK && !all)
        rc = MT_ENOMEM;
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    if (na)
        memcpy(all, active, na * sizeof(*all));
    all[na] = in;
    rc = mt_meds_check_run(c->kb, all, na + 1, na, al, nal, &chk);
    if (rc == MT_OK)
        rc = mt_store_med_create(c->st, c->user, c->profile.id, &in, &c->a, &out);
    if (rc != MT_OK) {
        mt_meds_check_free(&chk);
        return cli_fail("records: %s", mt_strerror(rc));
    }
    all[na] = out;
    if (c->o.json) {
        mt_jsonw_init(&w, &c->out, 1);
        mt_jsonw_obj_begin(&w);
        mt_jsonw_key(&w, "record");
        mt_recjson_w_med(&w, &out);
        mt_jsonw_key(&w, "alerts");
        mt_meds_alerts_json(&chk, &w);
        mt_jsonw_key(&w, "daily_totals");
        mt_meds_totals_json(&chk, &w);
        mt_jsonw_obj_end(&w);
        rc = mt_jsonw_finish(&w);
        if (rc == MT_OK)
            rc = mt_buf_putc(&c->out, '\n');
    } else {
        rc = mt_buf_printf(&c->out, "Added to %s:\n", c->profile.name);
        if (rc == MT_OK)
            rc = med_line(&c->out, &out);
        if (rc == MT_OK)
            rc = mt_meds_text(&chk, &c->out);
    }
    mt_meds_check_free(&chk);
    return rc == MT_OK ? CLI_OK : cli_fail("%s", mt_strerror(rc));
}

static int cmd_list(meds_ctx *c)
{
    mt_rec_med *list;
    size_t n, i;
    mt_jsonw w;
    int rc = mt_store_med_list(c->st, c->user, c->profile.id, c->o.all ? -1 : c->o.stopped ? 0 : 1, &c->a,
                               &list, &n);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    if (c->o.json) {
        mt_jsonw_init(&w, &c->out, 1);
        mt_jsonw_obj_begin(&w);
        mt_jsonw_kstr(&w, "profile", c->profile.name);
        mt_jsonw_key(&w, "medications");
        mt_jsonw_arr_begin(&w);
        for (i = 0; i < n; i++)
            mt_recjson_w_med(&w, &list[i]);
        mt_jsonw_arr_end(&w);
        mt_jsonw_obj_end(&w);
        rc = mt_jsonw_finish(&w);
        if (rc == MT_OK)
            rc = mt_buf_putc(&c->out, '\n');
    } else {
        rc = mt_buf_printf(&c->out, "%s: %zu medication%s\n", c->profile.name, n, n == 1 ? "" : "s");
        for (i = 0; i < n && rc == MT_OK; i++)
            rc = med_line(&c->out, &list[i]);
    }
    return rc == MT_OK ? CLI_OK : cli_fail("%s", mt_strerror(rc));
}

static int id_arg(meds_ctx *c, mt_id *id)
{
    char *end;
    long long v = c->o.npos == 2 ? strtoll(c->o.pos[1], &end, 10) : 0;
    if (c->o.npos != 2 || *end || v <= 0)
        return usage("%s: give the medication's id (materia meds list)", c->o.pos[0]);
    *id = v;
    return CLI_OK;
}

static int cmd_stop(meds_ctx *c)
{
    mt_rec_med m, out;
    char today[11];
    mt_id id;
    int rc = id_arg(c, &id);
    if (rc != CLI_OK)
        return rc;
    if (c->o.date && !mt_rec_date_valid(c->o.date))
        return usage("--date must be a calendar date YYYY-MM-DD");
    rc = mt_store_med_get(c->st, c->user, c->profile.id, id, &c->a, &m);
    if (rc == MT_ENOTFOUND)
        return cli_fail("no medication %lld in profile %s", id, c->profile.name);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    mt_rec_date_format(mt_rec_now(), today);
    m.active = 0;
    m.stop_date = mt_arena_strdup(&c->a, c->o.date ? c->o.date : today);
    if (m.start_date && m.stop_date && strcmp(m.stop_date, m.start_date) < 0)
        return usage("--date is before the start date %s", m.start_date);
    rc = mt_store_med_update(c->st, c->user, c->profile.id, &m, &c->a, &out);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    rc = mt_buf_printf(&c->out, "Stopped on %s:\n", out.stop_date);
    if (rc == MT_OK)
        rc = med_line(&c->out, &out);
    return rc == MT_OK ? CLI_OK : cli_fail("%s", mt_strerror(rc));
}

static int cmd_log(meds_ctx *c)
{
    mt_rec_dose d, out;
    mt_rec_med m;
    char when[21];
    int rc;
    memset(&d, 0, sizeof(d));
    rc = id_arg(c, &d.med_id);
    if (rc != CLI_OK)
        return rc;
    d.taken = !c->o.skipped;
    d.at = mt_rec_now();
    if (c->o.at && !mt_rec_instant_parse(c->o.at, &d.at))
        return usage("--at must be an ISO 8601 time with a zone, e.g. 2024-05-01T08:00:00Z");
    rc = mt_store_dose_create(c->st, c->user, c->profile.id, &d, &c->a, &out);
    if (rc == MT_ENOTFOUND)
        return cli_fail("no medication %lld in profile %s", d.med_id, c->profile.name);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    mt_rec_instant_format(out.at, when);
    rc = mt_buf_printf(&c->out, "Logged: medication %lld %s at %s\n", out.med_id, out.taken ? "taken" : "skipped",
                       when);
    if (rc == MT_OK && mt_store_med_get(c->st, c->user, c->profile.id, out.med_id, &c->a, &m) == MT_OK &&
        mt_recjson_refill_due(&m))
        rc = mt_buf_printf(&c->out, "Refill soon: %g left (warning at %g)\n", m.stock, m.refill_at);
    return rc == MT_OK ? CLI_OK : cli_fail("%s", mt_strerror(rc));
}

static int cmd_reminders(meds_ctx *c)
{
    mt_rec_med *meds;
    mt_reminder rem[500];
    size_t n, nr, i;
    double hours = 24;
    int rc;
    if (!number(c->o.hours, &hours) || hours < 1 || hours > MT_SCHED_MAX_HOURS)
        return usage("--hours must be a number from 1 to 744");
    rc = mt_store_med_list(c->st, c->user, c->profile.id, 1, &c->a, &meds, &n);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    nr = mt_sched_next(meds, n, mt_rec_now(), (unsigned)hours, rem, 500);
    rc = mt_buf_printf(&c->out, "Next doses for %s (UTC):\n", c->profile.name);
    for (i = 0; i < nr && rc == MT_OK; i++) {
        char when[21];
        const mt_rec_med *m = &meds[rem[i].med];
        mt_rec_instant_format(rem[i].at, when);
        if (!isnan(m->dose_amount) && m->dose_unit)
            rc = mt_buf_printf(&c->out, "  %s  %s: %g %s\n", when, m->drug_text, m->dose_amount, m->dose_unit);
        else
            rc = mt_buf_printf(&c->out, "  %s  %s\n", when, m->drug_text);
    }
    if (rc == MT_OK && nr == 0)
        rc = mt_buf_puts(&c->out, "  nothing scheduled\n");
    for (i = 0; i < n && rc == MT_OK; i++)
        if (mt_recjson_refill_due(&meds[i]))
            rc = mt_buf_printf(&c->out, "Refill soon: %s (%g left)\n", meds[i].drug_text, meds[i].stock);
    return rc == MT_OK ? CLI_OK : cli_fail("%s", mt_strerror(rc));
}

static int cmd_export(meds_ctx *c)
{
    const char *fmt = c->o.format ? c->o.format : "fhir";
    mt_export_data d;
    int rc = mt_export_load(c->st, c->user, &c->profile, strcmp(fmt, "ics") == 0 ? 1 : -1, &c->a, &d);
    if (rc != MT_OK)
        return cli_fail("records: %s", mt_strerror(rc));
    if (strcmp(fmt, "fhir") == 0) {
        rc = mt_export_fhir(&d, 1, &c->out);
        if (rc == MT_OK)
            rc = mt_buf_putc(&c->out, '\n');
    } else if (strcmp(fmt, "csv") == 0) {
        rc = mt_export_csv(&d, &c->out);
    } else if (strcmp(fmt, "html") == 0) {
        rc = mt_export_html(&d, &c->out);
    } else if (strcmp(fmt, "ics") == 0) {
        rc = mt_sched_ical(&c->profile, d.meds, d.nmeds, d.now, &c->out);
    } else {
        return usage("--format must be fhir, csv, html or ics, not \"%s\"", fmt);
    }
    return rc == MT_OK ? CLI_OK : cli_fail("%s", mt_strerror(rc));
}

CLI_COMMAND(meds)
{
    static const struct { const char *name; int (*fn)(meds_ctx *); int kb; } cmds[] = {
        { "add", cmd_add, 1 }, { "list", cmd_list, 0 }, { "stop", cmd_stop, 0 }, { "log", cmd_log, 0 },
        { "reminders", cmd_reminders, 0 }, { "export", cmd_export, 0 },
    };
    char dbbuf[1024], err[256];
    meds_ctx c;
    size_t i;
    int rc, which = -1;

    memset(&c, 0, sizeof(c));
    rc = parse(argc, argv, &c.o);
    if (rc != CLI_OK)
        return rc;
    for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(c.o.pos[0], cmds[i].name) == 0)
            which = (int)i;
    if (which < 0)
        return usage("unknown command \"%s\": add, list, stop, log, reminders or export", c.o.pos[0]);
    mt_arena_init(&c.a, 64 * 1024, 0);
    mt_buf_init(&c.out, OUT_MAX);
    if (cmds[which].kb && cli_open_kb(cli_kb_path(c.o.kb_path), &c.kb) != CLI_OK) {
        rc = CLI_FAIL;
        goto done;
    }
    if (mt_store_open(&c.st, c.o.db ? c.o.db : default_db(dbbuf, sizeof(dbbuf)), NULL, err, sizeof(err)) != MT_OK) {
        rc = cli_fail("records database: %s", err);
        goto done;
    }
    rc = open_profile(&c);
    if (rc == CLI_OK)
        rc = cmds[which].fn(&c);
    if (rc == CLI_OK)
        rc = cli_write_stdout(&c.out);
done:
    mt_store_close(c.st);
    mt_kb_close(c.kb);
    mt_buf_free(&c.out);
    mt_arena_free(&c.a);
    return rc;
}
