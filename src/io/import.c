/*
 * import.c - canonical CSV rows into the store, all or nothing.
 *
 * Each cell is read by field.c; this file adds what needs the context of the
 * row, the file or the workspace: references to other records, keys repeated
 * within the file, and the rules that tie one column to another (a closed
 * deal has a close date, a review is of a won deal, ...).
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/strset.h"
#include "../core/workflow.h"
#include "../store/store_engine.h"
#include "../engine/engine.h"
#include "csv.h"
#include "field.h"

#define MAX_FIELDS 32
#define MAX_COLS 256

struct cl_importer {
    cl_store *st;
    const cl_kind_def *def;
    cl_import_opts opts;
    const char *source;
    int col_of_field[MAX_FIELDS]; /* header column of each field, or -1 */
    int partial;                  /* some optional columns are absent */
    size_t ncols;
    int have_header;
    /* Ids that exist, per referenced kind: the workspace's plus this
       file's good rows.  NULL for kinds nobody refers to. */
    cl_strset *ids[CL_KIND_COUNT];
    cl_strset *keys; /* the keys of this file's rows, for repeats */
    cl_import_report rep;
    cl_put_counts counts; /* the rows written so far */
    /* The workspace's deals, read once, when the rules of this kind look
       deals up and a lookup is a round trip (PostgreSQL); NULL else. */
    cl_strset *deal_ids; /* by ordinal: */
    struct deal_row *deal_rows;
    size_t ndeal_rows, deal_rows_cap;
    cl_strset *deal_text; /* account ids, stages */
    cl_err deal_rc;
    char *scratch[MAX_FIELDS];
    size_t scratch_cap[MAX_FIELDS];
    cl_mapping_run *map_run; /* with a mapping: source row -> canonical */
    int reviews_present;     /* deals: -1 not counted yet, else 0 or 1 */
    const char **causes;     /* churns: the workspace's cause codes */
};

static int
add_id(void *ud, const char *id, size_t len)
{
    return cl_strset_add(ud, id, len) < 0;
}

static cl_err load_deals(cl_importer *imp, cl_error *err);

static cl_err
load_ids(cl_importer *imp, cl_kind kind, cl_error *err)
{
    if (imp->ids[kind])
        return CL_OK;
    imp->ids[kind] = cl_strset_new();
    if (imp->ids[kind] == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    return cl_store_ids(imp->st, kind, add_id, imp->ids[kind], err);
}

cl_err
cl_importer_new(cl_store *st, cl_kind kind, const cl_import_opts *opts,
                cl_importer **out, cl_error *err)
{
    cl_importer *imp = calloc(1, sizeof *imp);
    cl_err rc;

    *out = NULL;
    if (imp == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    imp->st = st;
    imp->reviews_present = -1;
    imp->def = cl_kind_get(kind);
    imp->opts = *opts;
    imp->source = opts->source ? opts->source : imp->def->name;
    imp->keys = cl_strset_new();
    if (imp->keys == NULL) {
        free(imp);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }
    /* Every reference is checked below against ids read inside the
       transaction, so the store need not check them again. */
    rc = (opts->few_rows ? cl_store_begin : cl_store_begin_checked)(
        st, opts->actor ? opts->actor : "import", opts->now, err);
    if (rc != CL_OK) {
        cl_strset_free(imp->keys);
        free(imp);
        return rc;
    }
    for (size_t i = 0; i < imp->def->nfields && rc == CL_OK; i++)
        if (imp->def->fields[i].ref != CL_KIND_NONE)
            rc = load_ids(imp, imp->def->fields[i].ref, err);
    if (rc == CL_OK)
        rc = load_deals(imp, err);
    if (rc == CL_OK && kind == CL_KIND_CHURNS)
        rc = cl_field_cause_codes(st, &imp->causes, err);
    if (rc != CL_OK) {
        cl_importer_abort(imp);
        return rc;
    }
    *out = imp;
    return CL_OK;
}

cl_err
cl_importer_header(cl_importer *imp, const char *const *cells, size_t n,
                   long line, cl_error *err)
{
    const cl_kind_def *def = imp->def;

    if (imp->opts.mapping) {
        /* A CRM export: its header becomes the canonical header the
           mapping gives; its other columns are not read. */
        cl_mapping_run_free(imp->map_run);
        imp->map_run = NULL;
        cl_err rc = cl_mapping_start(imp->opts.mapping, cells, n, &imp->map_run,
                                     &cells, &n, err);
        if (rc == CL_EINVAL) {
            char what[sizeof err->msg];
            memcpy(what, err->msg, sizeof what);
            return cl_error_set(err, rc, "%s:%ld: %s", imp->source, line, what);
        }
        if (rc != CL_OK)
            return rc;
    }
    if (n > MAX_COLS)
        return cl_error_set(err, CL_EINVAL,
                            "%s:%ld: header: more than %d "
                            "columns",
                            imp->source, line, MAX_COLS);
    for (size_t f = 0; f < def->nfields; f++)
        imp->col_of_field[f] = -1;
    for (size_t c = 0; c < n; c++) {
        int f = cl_kind_field_index(def, cells[c]);
        if (f < 0) {
            if (imp->opts.ignore_extra)
                continue;
            return cl_error_set(err, CL_EINVAL, "%s:%ld: %s: unknown column",
                                imp->source, line, cells[c]);
        }
        if (imp->col_of_field[f] >= 0)
            return cl_error_set(err, CL_EINVAL, "%s:%ld: %s: duplicate column",
                                imp->source, line, cells[c]);
        imp->col_of_field[f] = (int)c;
    }
    for (size_t f = 0; f < def->nfields; f++) {
        if (imp->col_of_field[f] >= 0)
            continue;
        if ((def->fields[f].flags & CL_FF_REQUIRED) || f < def->nkey)
            return cl_error_set(err, CL_EINVAL,
                                "%s:%ld: %s: required column missing",
                                imp->source, line, def->fields[f].name);
        imp->partial = 1;
    }
    imp->ncols = n;
    imp->have_header = 1;
    return CL_OK;
}

/* Shows control characters of msg as '?', as field.c quotes cells: a
   header cell may hold a newline, and every message is one line. */
static void
one_line(char *msg)
{
    for (unsigned char *p = (unsigned char *)msg; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            *p = '?';
}

/* A bad row: one line on the bad-row callback, counted. */
static void bad(cl_importer *imp, long line, const char *column,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
bad(cl_importer *imp, long line, const char *column, const char *fmt, ...)
{
    char msg[768], full[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (imp->opts.mapping) {
        /* Name the column as the source file does: "Close Date
           (closed_on)". */
        const char *label = cl_mapping_label(imp->opts.mapping, column);
        if (label)
            column = label;
    }
    snprintf(full, sizeof full, "%s:%ld: %s: %s", imp->source, line, column,
             msg);
    one_line(full);
    imp->rep.bad++;
    if (imp->opts.on_bad)
        imp->opts.on_bad(imp->opts.ud, full);
}

void
cl_importer_bad_row(cl_importer *imp, long line, const char *column,
                    const char *what)
{
    imp->rep.rows++;
    bad(imp, line, column, "%s", what);
}

static const char *
text(const cl_value *v)
{
    return v->type == CL_V_TEXT ? v->s : NULL;
}

#define F(name) (&row[cl_kind_field_index(imp->def, name)])

/* The closed-churn gate's question and answer. */
typedef struct churn_gate {
    const cl_wf_tag *tag; /* the row's */
    cl_error why;         /* CL_ECONFLICT when the row may not change it */
} churn_gate;

static int
churn_gate_cb(void *ud, const cl_store_churn_row *r)
{
    churn_gate *g = ud;
    cl_wf_churn c = {.id = r->id, .closed_on = CL_WF_NO_DAY};
    c.tag = (cl_wf_tag){r->primary_cause, r->contributing_causes,
                        r->stated_reason, r->diagnosis, r->predictive_behavior};
    if (r->closed_on)
        cl_date_parse(r->closed_on, strlen(r->closed_on), &c.closed_on);
    cl_wf_churn_tag_check(&c, g->tag, &g->why);
    return 1;
}

/*
 * A closed churn's tag changes only once it is reopened (`closeloop churn
 * reopen`), by the importer as by the API (cl_wf_churn_tag_check): such a
 * row is bad.  1 fine, 0 bad, -1 error.
 */
static int
closed_churn_gate(cl_importer *imp, cl_value *row, long line, cl_error *err)
{
    cl_wf_tag tag = {text(F("primary_cause")), text(F("contributing_causes")),
                     text(F("stated_reason")), text(F("diagnosis")),
                     text(F("predictive_behavior"))};
    churn_gate g = {&tag, {0}};
    if (cl_store_churns_sel(imp->st, CL_SC_ONE, row[0].s, NULL, churn_gate_cb,
                            &g, err) != CL_OK)
        return -1;
    if (g.why.code != CL_OK) {
        bad(imp, line, "primary_cause", "%s", g.why.msg);
        return 0;
    }
    return 1;
}

/* A deal of the workspace (or of this file, already written). */
typedef struct deal_brief {
    int found;
    char account_id[72];
    char stage[48];
    char closed_on[11];
} deal_brief;

/* A deal as read by load_deals: text interned in deal_text. */
struct deal_row {
    const char *account_id, *stage;
    char closed_on[11];
};

static int
deal_row_add(void *ud, const cl_value *row)
{
    cl_importer *imp = ud;
    const cl_kind_def *deals = cl_kind_get(CL_KIND_DEALS);
    const cl_value *acc = &row[cl_kind_field_index(deals, "account_id")];
    const cl_value *st = &row[cl_kind_field_index(deals, "stage")];
    const cl_value *cl = &row[cl_kind_field_index(deals, "closed_on")];
    uint32_t ord, o2;
    const char *id;
    struct deal_row d = {0};
    if (cl_strset_intern(imp->deal_ids, row[0].s, strlen(row[0].s), &ord, &id) <
            0 ||
        cl_strset_intern(imp->deal_text, acc->s, strlen(acc->s), &o2,
                         &d.account_id) < 0 ||
        cl_strset_intern(imp->deal_text, st->s, strlen(st->s), &o2, &d.stage) <
            0)
        goto oom;
    if (cl->type == CL_V_TEXT)
        snprintf(d.closed_on, sizeof d.closed_on, "%s", cl->s);
    if (cl_grow(&imp->deal_rows, &imp->deal_rows_cap, imp->ndeal_rows + 1,
                sizeof *imp->deal_rows) != CL_OK)
        goto oom;
    imp->deal_rows[imp->ndeal_rows++] = d;
    return 0;
oom:
    imp->deal_rc = CL_ENOMEM;
    return 1;
}

/* Reads every deal once (for the kinds whose rules look deals up, on a
   backend where each lookup is a round trip): deals do not change during
   this import's transaction. */
static cl_err
load_deals(cl_importer *imp, cl_error *err)
{
    cl_kind k = imp->def->kind;
    if ((k != CL_KIND_CHURNS && k != CL_KIND_RECOVERIES &&
         k != CL_KIND_REVIEWS) ||
        strcmp(cl_store_backend(imp->st), "postgres") != 0)
        return CL_OK;
    imp->deal_ids = cl_strset_new();
    imp->deal_text = cl_strset_new();
    if (imp->deal_ids == NULL || imp->deal_text == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    cl_err rc = cl_store_each(imp->st, CL_KIND_DEALS, deal_row_add, imp, err);
    if (rc == CL_OK && imp->deal_rc != CL_OK)
        rc = cl_error_set(err, CL_ENOMEM, "out of memory");
    return rc;
}

static cl_err
get_deal(cl_importer *imp, const char *id, deal_brief *d, cl_error *err)
{
    cl_value key = {.type = CL_V_TEXT, .s = id};
    cl_value row[MAX_FIELDS];
    const cl_kind_def *deals = cl_kind_get(CL_KIND_DEALS);
    memset(d, 0, sizeof *d);
    if (imp->deal_ids) {
        int64_t ord = cl_strset_find(imp->deal_ids, id, strlen(id));
        if (ord < 0)
            return CL_OK;
        const struct deal_row *r = &imp->deal_rows[ord];
        d->found = 1;
        snprintf(d->account_id, sizeof d->account_id, "%s", r->account_id);
        snprintf(d->stage, sizeof d->stage, "%s", r->stage);
        memcpy(d->closed_on, r->closed_on, sizeof d->closed_on);
        return CL_OK;
    }
    cl_err rc = cl_store_get(imp->st, CL_KIND_DEALS, &key, row, &d->found, err);
    if (rc != CL_OK || !d->found)
        return rc;
    const cl_value *v;
    v = &row[cl_kind_field_index(deals, "account_id")];
    snprintf(d->account_id, sizeof d->account_id, "%s", text(v));
    v = &row[cl_kind_field_index(deals, "stage")];
    snprintf(d->stage, sizeof d->stage, "%s", text(v));
    v = &row[cl_kind_field_index(deals, "closed_on")];
    if (text(v))
        snprintf(d->closed_on, sizeof d->closed_on, "%s", text(v));
    return CL_OK;
}

/*
 * The kickoff gate on import (cl_wf_kickoff_gate, CL_WF_KICKOFF_IMPORTED):
 * a deal row whose kickoff_on precedes the held_on of its review in the
 * workspace is bad; a deal without a review is history and passes.  A
 * kickoff_on equal to the stored one is no new kickoff (re-imports stay
 * harmless).  With no review in the workspace at all (the usual order:
 * deals before reviews) nothing is read per row.  Returns as check_row.
 */
static int
kickoff_gate(cl_importer *imp, const char *deal_id, const char *kickoff,
             long line, cl_error *err)
{
    cl_day stored, held, day;
    int found = 0;
    if (imp->reviews_present < 0) {
        int64_t n = 0;
        if (cl_store_count(imp->st, CL_KIND_REVIEWS, &n, err) != CL_OK)
            return -1;
        imp->reviews_present = n > 0;
    }
    if (!imp->reviews_present ||
        cl_date_parse(kickoff, strlen(kickoff), &day) != 0)
        return 1;
    if (cl_store_kickoff_dates(imp->st, deal_id, &stored, &held, &found, err) !=
        CL_OK)
        return -1;
    if (found && stored == day)
        return 1;
    cl_wf_deal d = {.id = deal_id};
    cl_wf_effects fx;
    cl_error why;
    cl_error_clear(&why);
    cl_wf_effects_init(&fx);
    cl_err rc = cl_wf_kickoff_gate(&d, held, day, CL_WF_KICKOFF_IMPORTED, NULL,
                                   NULL, &fx, &why);
    cl_wf_effects_release(&fx);
    if (rc == CL_ENOMEM)
        return cl_error_set(err, rc, "out of memory"), -1;
    if (rc == CL_OK)
        return 1;
    /* The gate's message names the field; bad() names it as the column. */
    const char *msg = why.msg;
    if (strncmp(msg, "kickoff_on: ", 12) == 0)
        msg += 12;
    bad(imp, line, "kickoff_on", "%s", msg);
    return 0;
}

/* The rules that tie the columns of one row together.  Returns 0 when the
   row is bad (already reported), 1 when good, -1 on a storage failure. */
static int
check_row(cl_importer *imp, cl_value *row, long line, char *deal_buf,
          size_t deal_len, cl_error *err)
{
    switch (imp->def->kind) {
    case CL_KIND_USERS: {
        const char *m = text(F("manager_id"));
        if (m && strcmp(m, row[0].s) == 0) {
            bad(imp, line, "manager_id",
                "a user cannot be their own "
                "manager");
            return 0;
        }
        return 1;
    }
    case CL_KIND_DEALS: {
        const char *stage = text(F("stage")), *created = text(F("created_on"));
        const char *demo = text(F("first_demo_on"));
        const char *closed = text(F("closed_on"));
        const char *kickoff = text(F("kickoff_on"));
        int is_won = strcmp(stage, "closed_won") == 0;
        int is_lost = strcmp(stage, "closed_lost") == 0;
        if ((is_won || is_lost) && !closed) {
            bad(imp, line, "closed_on", "required when stage is %s", stage);
            return 0;
        }
        if (!is_won && !is_lost && closed) {
            bad(imp, line, "closed_on",
                "must be empty while the deal is open (stage '%s')", stage);
            return 0;
        }
        if (closed && strcmp(closed, created) < 0) {
            bad(imp, line, "closed_on", "%s is before created_on %s", closed,
                created);
            return 0;
        }
        if (demo && strcmp(demo, created) < 0) {
            bad(imp, line, "first_demo_on", "%s is before created_on %s", demo,
                created);
            return 0;
        }
        if (demo && closed && strcmp(demo, closed) > 0) {
            bad(imp, line, "first_demo_on", "%s is after closed_on %s", demo,
                closed);
            return 0;
        }
        if (!is_lost && F("loss_reason")->type != CL_V_NULL) {
            bad(imp, line, "loss_reason",
                "only a closed_lost deal has a loss reason");
            return 0;
        }
        if (kickoff && !is_won) {
            bad(imp, line, "kickoff_on",
                "only a closed_won deal has a "
                "kickoff");
            return 0;
        }
        if (kickoff && strcmp(kickoff, closed) < 0) {
            bad(imp, line, "kickoff_on", "%s is before closed_on %s", kickoff,
                closed);
            return 0;
        }
        return kickoff ? kickoff_gate(imp, row[0].s, kickoff, line, err) : 1;
    }
    case CL_KIND_CHURNS: {
        const char *account = text(F("account_id"));
        cl_value *deal = F("deal_id");
        const char *primary = text(F("primary_cause"));
        const char *contributing = text(F("contributing_causes"));
        int by = F("tagged_by")->type != CL_V_NULL;
        int on = F("tagged_on")->type != CL_V_NULL;
        if (!primary && (by || on)) {
            bad(imp, line, "primary_cause",
                "required when tagged_by or tagged_on is given");
            return 0;
        }
        if (primary && !by) {
            bad(imp, line, "tagged_by",
                "required when primary_cause is "
                "given");
            return 0;
        }
        if (primary && !on) {
            bad(imp, line, "tagged_on",
                "required when primary_cause is "
                "given");
            return 0;
        }
        if (primary && contributing) {
            size_t n = strlen(primary);
            for (const char *p = contributing; p; p = strchr(p, ';')) {
                if (*p == ';')
                    p++;
                if (strncmp(p, primary, n) == 0 &&
                    (p[n] == ';' || p[n] == '\0')) {
                    bad(imp, line, "contributing_causes",
                        "'%s' is already the primary cause", primary);
                    return 0;
                }
            }
        }
        int open = closed_churn_gate(imp, row, line, err);
        if (open <= 0)
            return open;
        if (deal->type == CL_V_NULL) {
            /* The original deal: the account's earliest won new deal. */
            int found;
            if (cl_store_first_won_new_deal(imp->st, account, deal_buf,
                                            deal_len, &found, err) != CL_OK)
                return -1;
            if (found) {
                deal->type = CL_V_TEXT;
                deal->s = deal_buf;
            }
            return 1;
        }
        deal_brief d;
        if (get_deal(imp, deal->s, &d, err) != CL_OK)
            return -1;
        if (d.found && strcmp(d.account_id, account) != 0) {
            bad(imp, line, "deal_id", "deal '%s' is on account '%s', not '%s'",
                deal->s, d.account_id, account);
            return 0;
        }
        return 1;
    }
    case CL_KIND_RECOVERIES: {
        const char *orig = text(F("original_deal_id"));
        const char *neu = text(F("new_deal_id"));
        deal_brief o, n;
        if (strcmp(orig, neu) == 0) {
            bad(imp, line, "new_deal_id", "is the original deal itself");
            return 0;
        }
        if (get_deal(imp, orig, &o, err) != CL_OK ||
            get_deal(imp, neu, &n, err) != CL_OK)
            return -1;
        if (o.found && strcmp(o.stage, "closed_lost") != 0) {
            bad(imp, line, "original_deal_id",
                "deal '%s' is not closed_lost (stage '%s')", orig, o.stage);
            return 0;
        }
        if (o.found && n.found && strcmp(o.account_id, n.account_id) != 0) {
            bad(imp, line, "new_deal_id",
                "deal '%s' is on account '%s', the original deal on '%s'", neu,
                n.account_id, o.account_id);
            return 0;
        }
        return 1;
    }
    case CL_KIND_REVIEWS: {
        const char *id = row[0].s, *held = text(F("held_on"));
        deal_brief d;
        if (get_deal(imp, id, &d, err) != CL_OK)
            return -1;
        if (d.found && strcmp(d.stage, "closed_won") != 0) {
            bad(imp, line, "deal_id",
                "deal '%s' is not closed_won (stage "
                "'%s')",
                id, d.stage);
            return 0;
        }
        if (d.found && d.closed_on[0] && strcmp(held, d.closed_on) < 0) {
            bad(imp, line, "held_on", "%s is before the deal closed (%s)", held,
                d.closed_on);
            return 0;
        }
        return 1;
    }
    case CL_KIND_ICP: {
        /* A version is written once; the same row again is a no-op. */
        cl_value stored[MAX_FIELDS];
        int found = 0;
        const char *why;
        if (cl_store_get(imp->st, CL_KIND_ICP, row, stored, &found, err) !=
            CL_OK)
            return -1;
        const char *f = cl_icp_version_check(row, found ? stored : NULL, &why);
        if (f) {
            bad(imp, line, f, "%s", why);
            return 0;
        }
        return 1;
    }
    default:
        return 1;
    }
}

/* The source key of row as text, parts joined by '|'. */
static size_t
key_of(const cl_kind_def *def, const cl_value *row, char *buf, size_t len)
{
    size_t used = 0;
    if (def->nkey == 1 && row[0].type == CL_V_TEXT) {
        /* The common case, once per row: no formatting needed. */
        size_t n = strlen(row[0].s);
        if (n >= len)
            n = len - 1;
        memcpy(buf, row[0].s, n);
        buf[n] = '\0';
        return n;
    }
    for (size_t i = 0; i < def->nkey; i++) {
        int w;
        if (row[i].type == CL_V_INT)
            w = snprintf(buf + used, len - used, "%s%lld", i ? "|" : "",
                         (long long)row[i].i);
        else
            w = snprintf(buf + used, len - used, "%s%s", i ? "|" : "",
                         row[i].type == CL_V_TEXT ? row[i].s : "");
        if (w < 0 || (size_t)w >= len - used)
            return len - 1;
        used += (size_t)w;
    }
    return used;
}

/* Fills the fields whose columns the file lacks from the stored record, so
   a file with fewer columns updates only the columns it has. */
static cl_err
keep_absent(cl_importer *imp, cl_value *row, cl_error *err)
{
    cl_value stored[MAX_FIELDS];
    int found;
    cl_err rc = cl_store_get(imp->st, imp->def->kind, row, stored, &found, err);
    if (rc != CL_OK || !found)
        return rc;
    for (size_t f = 0; f < imp->def->nfields; f++) {
        if (imp->col_of_field[f] >= 0)
            continue;
        row[f] = stored[f];
        if (row[f].type == CL_V_TEXT) {
            /* stored[] dies at the next store call; keep a copy. */
            size_t n = strlen(row[f].s) + 1;
            if (cl_grow(&imp->scratch[f], &imp->scratch_cap[f], n, 1) != CL_OK)
                return cl_error_set(err, CL_ENOMEM, "out of memory");
            memcpy(imp->scratch[f], row[f].s, n);
            row[f].s = imp->scratch[f];
        }
    }
    return CL_OK;
}

cl_err
cl_importer_row(cl_importer *imp, const char *const *cells, size_t n, long line,
                cl_error *err)
{
    const cl_kind_def *def = imp->def;
    cl_value row[MAX_FIELDS];
    char deal_buf[72];
    cl_error ferr;

    imp->rep.rows++;
    if (imp->map_run) {
        const char *column;
        cl_err rc =
            cl_mapping_row(imp->map_run, cells, n, &cells, &n, &column, &ferr);
        if (rc == CL_EINVAL) {
            bad(imp, line, column, "%s", ferr.msg);
            return CL_OK;
        }
        if (rc != CL_OK)
            return cl_error_set(err, rc, "%s", ferr.msg);
    }
    if (n != imp->ncols) {
        bad(imp, line, "row", "has %zu cells, the header has %zu", n,
            imp->ncols);
        return CL_OK;
    }
    for (size_t f = 0; f < def->nfields; f++) {
        int c = imp->col_of_field[f];
        cl_field tmp;
        const cl_field *fd =
            cl_field_with_causes(&def->fields[f], imp->causes, &tmp);
        if (c < 0) {
            row[f].type = CL_V_NULL;
            continue;
        }
        size_t len = strlen(cells[c]);
        /* The apostrophe an export put before formula-like text (csv.h) is
           not part of the value.  Only a CSV file carries that guard: a
           JSON body's text is taken as written. */
        const char *cell = cells[c];
        if (cl_field_is_text(fd)) {
            size_t g = cl_csv_unguard(cell, len);
            cell += g;
            len -= g;
        }
        if (cl_grow(&imp->scratch[f], &imp->scratch_cap[f], len + 1, 1) !=
            CL_OK)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
        if (cl_field_parse(fd, cell, len, &row[f], imp->scratch[f], &ferr) !=
            CL_OK) {
            bad(imp, line, fd->name, "%s", ferr.msg);
            return CL_OK;
        }
        if (fd->ref != CL_KIND_NONE && row[f].type == CL_V_TEXT &&
            !cl_strset_has(imp->ids[fd->ref], row[f].s, strlen(row[f].s))) {
            bad(imp, line, fd->name, "no %s record with id '%s'",
                cl_kind_get(fd->ref)->name, row[f].s);
            return CL_OK;
        }
    }

    char key[512];
    size_t klen = key_of(def, row, key, sizeof key);
    int added = cl_strset_add(imp->keys, key, klen);
    if (added < 0)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    if (added == 0) {
        bad(imp, line, def->fields[0].name, "'%s' appears twice in this file",
            key);
        return CL_OK;
    }

    int ok = check_row(imp, row, line, deal_buf, sizeof deal_buf, err);
    if (ok < 0)
        return err->code;
    if (ok == 0)
        return CL_OK;
    if (imp->partial) {
        cl_err rc = keep_absent(imp, row, err);
        if (rc != CL_OK)
            return rc;
    }

    /* Written in batches where the backend can (PostgreSQL: COPY); the
       reads above are of other kinds or of keys this file has not held
       yet (each key once per file), so a held row is never read. */
    cl_err rc = cl_store_put_bulk(imp->st, def->kind, row, &imp->counts, err);
    imp->rep.inserted = imp->counts.inserted;
    imp->rep.updated = imp->counts.updated;
    imp->rep.unchanged = imp->counts.unchanged;
    if (rc != CL_OK)
        return rc;
    if (imp->ids[def->kind] &&
        cl_strset_add(imp->ids[def->kind], row[0].s, strlen(row[0].s)) < 0)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    return CL_OK;
}

static void
importer_free(cl_importer *imp)
{
    for (int k = 0; k < CL_KIND_COUNT; k++)
        cl_strset_free(imp->ids[k]);
    cl_strset_free(imp->keys);
    cl_mapping_run_free(imp->map_run);
    cl_strset_free(imp->deal_ids);
    cl_strset_free(imp->deal_text);
    free(imp->deal_rows);
    free(imp->causes);
    for (int f = 0; f < MAX_FIELDS; f++)
        free(imp->scratch[f]);
    free(imp);
}

cl_err
cl_importer_finish(cl_importer *imp, cl_import_report *rep, cl_error *err)
{
    cl_err rc = CL_OK;
    if (imp->rep.bad > 0 && !imp->opts.skip_bad) {
        cl_store_rollback(imp->st);
        rc = cl_error_set(err, CL_EINVAL,
                          "%s: %lld bad row%s; nothing "
                          "imported",
                          imp->source, (long long)imp->rep.bad,
                          imp->rep.bad == 1 ? "" : "s");
        imp->rep.inserted = imp->rep.updated = 0;
        imp->rep.unchanged = 0;
    } else {
        rc = cl_store_put_flush(imp->st, &imp->counts, err);
        imp->rep.inserted = imp->counts.inserted;
        imp->rep.updated = imp->counts.updated;
        imp->rep.unchanged = imp->counts.unchanged;
        /* The rows' events (review tasks, the flag to Sales, routing) in
           the import's transaction: the next tick has nothing left. */
        /* Thousands of new rows: the events' searches below need the
           planner to know them (about 10x faster on a 30,000-deal file). */
        if (rc == CL_OK && !imp->opts.dry_run && !imp->opts.no_events &&
            imp->counts.inserted + imp->counts.updated >= 1000)
            rc = cl_store_analyze(imp->st, imp->def->kind, err);
        if (rc == CL_OK && !imp->opts.dry_run && !imp->opts.no_events)
            rc = cl_engine_imported(imp->st, imp->def->kind, imp->keys,
                                    imp->opts.now, NULL, err);
        if (rc == CL_OK && !imp->opts.dry_run)
            rc = cl_store_commit(imp->st, err);
        if (rc != CL_OK || imp->opts.dry_run)
            cl_store_rollback(imp->st);
        else
            imp->rep.applied = 1;
    }
    if (rep)
        *rep = imp->rep;
    importer_free(imp);
    return rc;
}

void
cl_importer_abort(cl_importer *imp)
{
    if (imp == NULL)
        return;
    cl_store_rollback(imp->st);
    importer_free(imp);
}

/* The index of the first of the n cells that holds a NUL byte, or n. */
static size_t
nul_cell(const cl_csv *csv, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(cells[i]) != cl_csv_cell_len(csv, i))
            return i;
    return n;
}

/* The header's names, kept to name a column after the reader moved on. */
typedef struct header_copy {
    char **names;
    size_t n;
} header_copy;

static void
header_free(header_copy *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->names[i]);
    free(h->names);
    h->names = NULL;
    h->n = 0;
}

static cl_err
copy_header(const char *const *cells, size_t n, header_copy *h, cl_error *err)
{
    h->names = calloc(n, sizeof *h->names);
    if (h->names == NULL)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    for (; h->n < n; h->n++)
        if ((h->names[h->n] = strdup(cells[h->n])) == NULL)
            return cl_error_set(err, CL_ENOMEM, "out of memory");
    return CL_OK;
}

cl_err
cl_import_file(cl_store *st, cl_kind kind, const char *path,
               const cl_import_opts *opts, cl_import_report *rep, cl_error *err)
{
    cl_csv *csv;
    cl_importer *imp;
    cl_import_opts o = *opts;
    const char *const *cells;
    size_t n, nul;
    long line;
    cl_err rc;
    header_copy header = {NULL, 0};

    memset(rep, 0, sizeof *rep);
    if (o.source == NULL)
        o.source = path;
    if ((rc = cl_csv_open(path, &csv, err)) != CL_OK)
        return rc;
    if ((rc = cl_importer_new(st, kind, &o, &imp, err)) != CL_OK) {
        cl_csv_close(csv);
        return rc;
    }
    rc = cl_csv_next(csv, &cells, &n, &line, err);
    if (rc == CL_OK && n == 0)
        rc = cl_error_set(err, CL_EINVAL,
                          "%s: empty file; expected a header row", o.source);
    if (rc == CL_OK && (nul = nul_cell(csv, cells, n)) < n)
        rc = cl_error_set(err, CL_EINVAL,
                          "%s:%ld: header: column %zu holds a NUL byte",
                          o.source, line, nul + 1);
    if (rc == CL_OK)
        rc = copy_header(cells, n, &header, err);
    if (rc == CL_OK)
        rc = cl_importer_header(imp, cells, n, line, err);
    while (rc == CL_OK) {
        rc = cl_csv_next(csv, &cells, &n, &line, err);
        if (rc != CL_OK || n == 0)
            break;
        /* A NUL would end the cell early for every reader after this one:
           the row is bad, named by the column as the file's header has
           it, rather than imported short. */
        if ((nul = nul_cell(csv, cells, n)) < n)
            cl_importer_bad_row(imp, line,
                                nul < header.n ? header.names[nul] : "row",
                                "holds a NUL byte (0x00)");
        else
            rc = cl_importer_row(imp, cells, n, line, err);
        if (o.on_progress && (imp->rep.rows & 0xffff) == 0) {
            uint64_t done, total;
            cl_csv_progress(csv, &done, &total);
            o.on_progress(o.ud, imp->rep.rows, done, total);
        }
    }
    if (rc == CL_EINVAL && err &&
        strncmp(err->msg, o.source, strlen(o.source)) != 0) {
        /* The reader says "LINE: what"; name the file as well. */
        char what[sizeof err->msg];
        memcpy(what, err->msg, sizeof what);
        size_t slen = strlen(o.source), wlen = strlen(what);
        if (slen + wlen + 2 <= sizeof err->msg) {
            memcpy(err->msg, o.source, slen);
            err->msg[slen] = ':';
            memcpy(err->msg + slen + 1, what, wlen + 1);
        }
    }
    cl_csv_close(csv);
    header_free(&header);
    if (rc != CL_OK && err)
        one_line(err->msg);
    if (rc != CL_OK) {
        *rep = imp->rep;
        cl_importer_abort(imp);
        return rc;
    }
    if ((rc = cl_importer_finish(imp, rep, err)) != CL_OK && err)
        one_line(err->msg);
    return rc;
}

cl_err
cl_import_mapping_load(const char *path, cl_kind kind, cl_mapping **out,
                       cl_error *err)
{
    cl_csv *csv;
    const char *const *cells;
    size_t n;
    long line;
    cl_err rc;

    *out = NULL;
    if ((rc = cl_csv_open(path, &csv, err)) != CL_OK)
        return rc;
    if ((rc = cl_mapping_new(kind, path, out, err)) != CL_OK) {
        cl_csv_close(csv);
        return rc;
    }
    /* The header names the three columns, in this order. */
    rc = cl_csv_next(csv, &cells, &n, &line, err);
    if (rc == CL_OK &&
        (n != 3 || strcmp(cells[0], "column") || strcmp(cells[1], "source") ||
         strcmp(cells[2], "transform")))
        rc = cl_error_set(err, CL_EINVAL,
                          "%s:%ld: header: expected column,source,transform",
                          path, n ? line : 1L);
    while (rc == CL_OK) {
        rc = cl_csv_next(csv, &cells, &n, &line, err);
        if (rc != CL_OK || n == 0)
            break;
        if (n != 3)
            rc = cl_error_set(err, CL_EINVAL,
                              "%s:%ld: row: has %zu cells, expected 3 "
                              "(column,source,transform)",
                              path, line, n);
        else
            rc = cl_mapping_add(*out, cells[0], cells[1], cells[2], line, err);
    }
    if (rc == CL_EINVAL && strncmp(err->msg, path, strlen(path)) != 0) {
        /* The reader says "LINE: what"; name the file as well. */
        char what[sizeof err->msg];
        memcpy(what, err->msg, sizeof what);
        cl_error_set(err, rc, "%s:%s", path, what);
    }
    cl_csv_close(csv);
    if (rc != CL_OK) {
        cl_mapping_free(*out);
        *out = NULL;
    }
    return rc;
}
