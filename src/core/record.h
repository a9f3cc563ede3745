/*
 * record.h - the canonical records of docs/design.md section 7, as data.
 *
 * Each record kind (users, accounts, deals, ...) is described once here: its
 * columns, their types, which are required, which form the source key and
 * which refer to another kind.  The importer validates against this table and
 * the store derives its SQL from it, so a column is added in one place.
 */
#ifndef CL_RECORD_H
#define CL_RECORD_H

#include <stddef.h>
#include <stdint.h>

typedef enum cl_kind {
    CL_KIND_NONE = -1,
    CL_KIND_USERS = 0,
    CL_KIND_ACCOUNTS,
    CL_KIND_DEALS,
    CL_KIND_CHURNS,
    CL_KIND_RECOVERIES,
    CL_KIND_REVIEWS,
    CL_KIND_CS_HOURS,
    CL_KIND_ARR_MOVEMENTS,
    CL_KIND_ICP,
    CL_KIND_HOLIDAYS,
    CL_KIND_COUNT
} cl_kind;

/* How a cell's text is read and checked. */
typedef enum cl_ftype {
    CL_F_ID,        /* a source id: 1-64 printable characters, no ';' */
    CL_F_TEXT,      /* free text, any length up to 64 KiB */
    CL_F_INT,       /* a whole number within [min, max] */
    CL_F_MONEY,     /* an amount >= 0 with at most 2 decimals */
    CL_F_HOURS,     /* a number of hours >= 0 with at most 2 decimals */
    CL_F_DATE,      /* YYYY-MM-DD, a real calendar date */
    CL_F_MONTH,     /* YYYY-MM */
    CL_F_BOOL,      /* true or false */
    CL_F_ENUM,      /* one of values[] */
    CL_F_ENUM_LIST, /* ';'-separated values[], no repeats */
    CL_F_EMAIL,     /* local@domain with a dot in the domain */
    CL_F_STAGE,     /* closed_won, closed_lost or an open stage name */
    CL_F_ICP_EXPR   /* an ICP criteria expression (icp_expr.h) */
} cl_ftype;

/* Flags of a field. */
#define CL_FF_REQUIRED 1u /* an empty cell is an error */

typedef struct cl_field {
    const char *name; /* the canonical CSV column and SQL column */
    cl_ftype type;
    unsigned flags;            /* CL_FF_* */
    const char *const *values; /* for ENUM and ENUM_LIST: NULL-terminated */
    cl_kind ref;               /* for ID: the kind whose key it names */
    int64_t min, max;          /* for INT: the inclusive range */
} cl_field;

typedef struct cl_kind_def {
    cl_kind kind;
    const char *name;  /* the KIND of `closeloop import`, e.g. "deals" */
    const char *table; /* the SQL table, e.g. "deals", "icp_versions" */
    const cl_field *fields;
    size_t nfields;
    size_t nkey; /* the first nkey fields are the source key */
} cl_kind_def;

/* The definition of kind k (0 <= k < CL_KIND_COUNT). */
const cl_kind_def *cl_kind_get(cl_kind k);

/* The kind named name ("deals"), or CL_KIND_NONE. */
cl_kind cl_kind_from_name(const char *name);

/* Index of the column called name in def, or -1. */
int cl_kind_field_index(const cl_kind_def *def, const char *name);

/*
 * A cell's value after validation.  TEXT carries ids, dates ("YYYY-MM-DD"),
 * months, enums and lists in their canonical text form; INT carries integers
 * and booleans (0/1); REAL carries money and hours.  s is not owned by the
 * value.
 */
typedef enum cl_vtype {
    CL_V_NULL = 0,
    CL_V_TEXT,
    CL_V_INT,
    CL_V_REAL
} cl_vtype;

typedef struct cl_value {
    cl_vtype type;
    int64_t i;
    double r;
    const char *s;
} cl_value;

/* 1 if a and b hold the same value (REAL compared to the cent). */
int cl_value_equal(const cl_value *a, const cl_value *b);

/* Enum value lists shared by records, the engine and reports. */
extern const char *const cl_roles[];
extern const char *const cl_account_statuses[];
extern const char *const cl_deal_types[];
extern const char *const cl_champion_levels[];
extern const char *const cl_loss_reasons[];
extern const char *const cl_recovery_types[];
extern const char *const cl_gut_reads[];
extern const char *const cl_arr_kinds[];

/* The audit action (entity icp_versions, id the version reviewed) of an ICP
   review's "reviewed, no change" decision; its new value is {decided_on,
   version, owner_id, rationale}. */
#define CL_ICP_NO_CHANGE "icp_reviewed_no_change"

/* 1 if s is NULL or holds only blanks (a rationale that says nothing). */
int cl_text_blank(const char *s);

/*
 * The rules of an ICP version beyond its cells (issue 14).  row is a
 * version of CL_KIND_ICP; stored is the version of the same number already
 * in the workspace, or NULL.  Returns NULL when the row may be written (a
 * new version, or the very same one again), else the field to name and
 * sets *why to a static message: a rationale of blanks only, or a version
 * that exists with other values (versions are immutable).
 */
const char *cl_icp_version_check(const cl_value *row, const cl_value *stored,
                                 const char **why);

/* Index of s in the NULL-terminated list, or -1. */
int cl_enum_index(const char *const *values, const char *s);

#endif
