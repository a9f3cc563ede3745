/*
 * schema_sqlite.c - the SQLite migrations, one script per schema version.
 *
 * A migration, once released, is never edited: a change to the schema is a
 * new script.  Every table carries workspace_id and its primary key starts
 * with it, so a many-company install can shard by workspace.
 */
#include "schema_sqlite.h"

#include <stddef.h>

static const char v1[] =
    "CREATE TABLE workspaces ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"

    "CREATE TABLE users ("
    "  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),"
    "  id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  email TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  manager_id TEXT,"
    "  team TEXT,"
    "  password_hash TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, manager_id) REFERENCES users(workspace_id, "
    "id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE accounts ("
    "  workspace_id INTEGER NOT NULL,"
    "  id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  industry TEXT,"
    "  employees INTEGER,"
    "  region TEXT,"
    "  has_ops_function INTEGER,"
    "  csm_id TEXT,"
    "  customer_since TEXT,"
    "  status TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, csm_id) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE deals ("
    "  workspace_id INTEGER NOT NULL,"
    "  id TEXT NOT NULL,"
    "  account_id TEXT NOT NULL,"
    "  ae_id TEXT,"
    "  type TEXT NOT NULL,"
    "  source TEXT,"
    "  stage TEXT NOT NULL,"
    "  created_on TEXT NOT NULL,"
    "  first_demo_on TEXT,"
    "  closed_on TEXT,"
    "  arr REAL,"
    "  loss_reason TEXT,"
    "  icp_fit_score INTEGER,"
    "  champion_level TEXT,"
    "  champion_tenure_months INTEGER,"
    "  exec_sponsor INTEGER,"
    "  use_case TEXT,"
    "  kickoff_on TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, ae_id) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX deals_account ON deals(workspace_id, account_id);"

    "CREATE TABLE churns ("
    "  workspace_id INTEGER NOT NULL,"
    "  id TEXT NOT NULL,"
    "  account_id TEXT NOT NULL,"
    "  deal_id TEXT,"
    "  churned_on TEXT NOT NULL,"
    "  arr_lost REAL,"
    "  stated_reason TEXT,"
    "  diagnosis TEXT,"
    "  predictive_behavior TEXT,"
    "  primary_cause TEXT,"
    "  contributing_causes TEXT,"
    "  tagged_by TEXT,"
    "  tagged_on TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, tagged_by) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE recoveries ("
    "  workspace_id INTEGER NOT NULL,"
    "  id TEXT NOT NULL,"
    "  original_deal_id TEXT NOT NULL,"
    "  new_deal_id TEXT NOT NULL,"
    "  recovery_type TEXT,"
    "  cs_intervention TEXT,"
    "  what_changed TEXT,"
    "  csm_id TEXT,"
    "  logged_on TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, original_deal_id)"
    "    REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, new_deal_id)"
    "    REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, csm_id) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE reviews ("
    "  workspace_id INTEGER NOT NULL,"
    "  deal_id TEXT NOT NULL,"
    "  held_on TEXT NOT NULL,"
    "  q1 TEXT, q2 TEXT, q3 TEXT, q4 TEXT, q5 TEXT, q6 TEXT, q7 TEXT,"
    "  gut_read TEXT,"
    "  PRIMARY KEY (workspace_id, deal_id),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE cs_hours ("
    "  workspace_id INTEGER NOT NULL,"
    "  account_id TEXT NOT NULL,"
    "  month TEXT NOT NULL,"
    "  hours REAL NOT NULL,"
    "  PRIMARY KEY (workspace_id, account_id, month),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE arr_movements ("
    "  workspace_id INTEGER NOT NULL,"
    "  account_id TEXT NOT NULL,"
    "  \"on\" TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  amount REAL NOT NULL,"
    "  PRIMARY KEY (workspace_id, account_id, \"on\", kind),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE icp_versions ("
    "  workspace_id INTEGER NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  effective_on TEXT NOT NULL,"
    "  criteria TEXT NOT NULL,"
    "  owner_id TEXT,"
    "  rationale TEXT,"
    "  PRIMARY KEY (workspace_id, version),"
    "  FOREIGN KEY (workspace_id, owner_id) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE holidays ("
    "  workspace_id INTEGER NOT NULL,"
    "  \"on\" TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, \"on\")"
    ") WITHOUT ROWID;"

    /* The taxonomy and thresholds a workspace edits, seeded from the
       defaults of core/taxonomy.c when the workspace is created. */
    "CREATE TABLE taxonomy ("
    "  workspace_id INTEGER NOT NULL,"
    "  code TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  label TEXT NOT NULL,"
    "  definition TEXT NOT NULL,"
    "  sales_attributable INTEGER NOT NULL,"
    "  bad_fit_category TEXT,"
    "  routes_to TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, code)"
    ") WITHOUT ROWID;"

    "CREATE TABLE thresholds ("
    "  workspace_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  description TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, key)"
    ") WITHOUT ROWID;"

    "CREATE TABLE config ("
    "  workspace_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, key)"
    ") WITHOUT ROWID;"

    /* The loop engine's records (docs/design.md sections 2 and 3). */
    "CREATE TABLE sessions ("
    "  workspace_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"   /* monthly_debrief, bad_fit_review, ... */
    "  period TEXT NOT NULL," /* 2026-07 or 2026Q3 */
    "  status TEXT NOT NULL," /* open, closed */
    "  owner_id TEXT,"
    "  opened_at TEXT NOT NULL,"
    "  closed_at TEXT,"
    "  pack TEXT," /* the report JSON the session carries */
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, kind, period)"
    ");"

    "CREATE TABLE tasks ("
    "  workspace_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  assignee_id TEXT,"
    "  due_on TEXT,"
    "  status TEXT NOT NULL," /* open, done */
    "  subject_kind TEXT,"    /* deal, churn, recovery, session, ... */
    "  subject_id TEXT,"
    "  title TEXT,"
    "  attendees TEXT,"
    "  created_at TEXT NOT NULL,"
    "  done_at TEXT,"
    "  reminded_at TEXT,"
    "  escalated_at TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, kind, subject_kind, subject_id, assignee_id)"
    ");"

    "CREATE TABLE outbox ("
    "  workspace_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  recipient_id TEXT NOT NULL,"
    "  channel TEXT NOT NULL," /* email, webhook, inbox */
    "  kind TEXT NOT NULL,"
    "  subject TEXT,"
    "  body TEXT,"
    "  status TEXT NOT NULL," /* pending, sent, dead */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at TEXT,"
    "  last_error TEXT,"
    "  idempotency_key TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  sent_at TEXT,"
    "  read_at TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, idempotency_key)"
    ");"

    "CREATE TABLE process_changes ("
    "  workspace_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  session_id INTEGER NOT NULL,"
    "  owner_id TEXT NOT NULL,"
    "  description TEXT NOT NULL,"
    "  checkin_due TEXT NOT NULL,"
    "  checkin_on TEXT,"
    "  checkin_note TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, session_id),"
    "  FOREIGN KEY (workspace_id, session_id)"
    "    REFERENCES sessions(workspace_id, id)"
    ");"

    "CREATE TABLE triggers ("
    "  workspace_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  session_id INTEGER,"
    "  rule TEXT NOT NULL," /* a threshold key */
    "  period TEXT NOT NULL,"
    "  value REAL,"
    "  threshold REAL,"
    "  fired INTEGER NOT NULL,"
    "  task_id INTEGER,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, rule, period)"
    ");"

    "CREATE TABLE coaching_items ("
    "  workspace_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  ae_id TEXT NOT NULL,"
    "  session_id INTEGER,"
    "  period TEXT NOT NULL,"
    "  cause TEXT NOT NULL,"
    "  note TEXT,"
    "  status TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, ae_id, period, cause)"
    ");"

    /* Append-only: the triggers below refuse every UPDATE and DELETE, so
       a tag changed to game a report stays visible. */
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  entity_id TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  old TEXT,"
    "  new TEXT);"
    "CREATE INDEX audit_entity ON audit(workspace_id, entity, entity_id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/*
 * v2: what the loop engine's shell needs.  Flags raised once per record
 * (generic answers, pipeline flags) live in one table keyed by the rule's
 * idempotency key; a deal's recovery link is a row per new deal; churns
 * remember when the deal-attributable notice went out and when they were
 * closed; process changes when they were chased.  Outbox rows gain what
 * delivery needs (the recipient's address at enqueue time, the payload
 * subject) and inbox rows are outbox rows with channel 'inbox'.
 */
static const char v2[] =
    "ALTER TABLE deals ADD COLUMN health_score INTEGER;"
    "ALTER TABLE churns ADD COLUMN sales_flagged_on TEXT;"
    "ALTER TABLE churns ADD COLUMN closed_on TEXT;"
    "ALTER TABLE process_changes ADD COLUMN reminded_on TEXT;"
    "ALTER TABLE process_changes ADD COLUMN escalated_on TEXT;"
    "ALTER TABLE sessions ADD COLUMN decisions TEXT;" /* JSON array */
    "ALTER TABLE coaching_items ADD COLUMN audience TEXT;"
    "ALTER TABLE outbox ADD COLUMN subject_kind TEXT;"
    "ALTER TABLE outbox ADD COLUMN subject_id TEXT;"

    "CREATE TABLE flags ("
    "  workspace_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL," /* the rule's idempotency key */
    "  subject_kind TEXT NOT NULL,"
    "  subject_id TEXT NOT NULL,"
    "  flag TEXT NOT NULL," /* generic_answer, champion_stability, ... */
    "  field TEXT,"         /* q2, ... or NULL */
    "  reason TEXT,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, key)"
    ") WITHOUT ROWID;"
    "CREATE INDEX flags_subject ON flags(workspace_id, subject_kind, "
    "subject_id);"

    "CREATE TABLE recovery_links ("
    "  workspace_id INTEGER NOT NULL,"
    "  new_deal_id TEXT NOT NULL,"
    "  original_deal_id TEXT NOT NULL,"
    "  months INTEGER NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, new_deal_id),"
    "  FOREIGN KEY (workspace_id, new_deal_id)"
    "    REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, original_deal_id)"
    "    REFERENCES deals(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE INDEX tasks_open ON tasks(workspace_id, status, due_on);"
    "CREATE INDEX outbox_due ON outbox(workspace_id, status, "
    "next_attempt_at);";

/*
 * v3: what the server needs.  Sign-in sessions and API tokens are stored
 * by the SHA-256 of their secret only, so a copy of the workspace file
 * signs nobody in.  users.password_hash (v1) holds the argon2id string.
 * The record indexes serve the API's filtered lists and the account page.
 */
static const char v3[] =
    "CREATE TABLE api_tokens ("
    "  workspace_id INTEGER NOT NULL,"
    "  id TEXT NOT NULL,"
    "  user_id TEXT NOT NULL,"
    "  token_hash TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  revoked_at TEXT,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, token_hash),"
    "  FOREIGN KEY (workspace_id, user_id) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE web_sessions ("
    "  workspace_id INTEGER NOT NULL,"
    "  token_hash TEXT NOT NULL,"
    "  user_id TEXT NOT NULL,"
    "  csrf TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  expires_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, token_hash),"
    "  FOREIGN KEY (workspace_id, user_id) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE INDEX users_email ON users(workspace_id, email);"
    "CREATE INDEX churns_account ON churns(workspace_id, account_id);"
    "CREATE INDEX recoveries_new ON recoveries(workspace_id, new_deal_id);"
    "CREATE INDEX recoveries_original ON recoveries(workspace_id, "
    "original_deal_id);"
    "CREATE INDEX tasks_assignee ON tasks(workspace_id, assignee_id);"
    "CREATE INDEX outbox_recipient ON outbox(workspace_id, recipient_id, "
    "channel);";

/*
 * v4: a recovery says whether CS led it (issue 14).  NULL reads as true, so
 * the rows of earlier versions stay CS-led.
 */
static const char v4[] = "ALTER TABLE recoveries ADD COLUMN cs_led INTEGER;";

/*
 * v5: people (issue 16).  A deactivated user keeps every record and audit
 * entry and signs in no more (deactivated_at set).  Invitations and
 * password resets are one-time links: only the SHA-256 of the link's
 * secret is stored, with its expiry and the time it was used.
 */
static const char v5[] =
    "ALTER TABLE users ADD COLUMN deactivated_at TEXT;"
    "CREATE TABLE invites ("
    "  workspace_id INTEGER NOT NULL,"
    "  token_hash TEXT NOT NULL,"
    "  user_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL," /* invite, reset */
    "  created_at TEXT NOT NULL,"
    "  expires_at TEXT NOT NULL,"
    "  used_at TEXT,"
    "  PRIMARY KEY (workspace_id, token_hash),"
    "  FOREIGN KEY (workspace_id, user_id) REFERENCES users(workspace_id, id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX invites_user ON invites(workspace_id, user_id);";

/*
 * v6: the won-deal review's asynchronous half (issue 14).  The AE's own
 * answers wait in review_answers until the CSM holds the review; the
 * review carries the CSM's three flags and a note; every health reading
 * (the review's initial score, each 30/60/90-day check-in) is kept, keyed
 * by the engine effect that made it, so a re-applied effect adds none.
 */
static const char v6[] =
    "ALTER TABLE reviews ADD COLUMN implementation_risk INTEGER;"
    "ALTER TABLE reviews ADD COLUMN capacity_risk INTEGER;"
    "ALTER TABLE reviews ADD COLUMN context_gaps INTEGER;"
    "ALTER TABLE reviews ADD COLUMN csm_note TEXT;"

    "CREATE TABLE review_answers ("
    "  workspace_id INTEGER NOT NULL,"
    "  deal_id TEXT NOT NULL,"
    "  q1 TEXT, q2 TEXT, q3 TEXT, q4 TEXT, q7 TEXT,"
    "  answered_by TEXT NOT NULL,"
    "  answered_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, deal_id),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE health_readings ("
    "  workspace_id INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  deal_id TEXT NOT NULL,"
    "  score INTEGER NOT NULL,"
    "  source TEXT NOT NULL," /* review, checkin */
    "  note TEXT,"
    "  recorded_by TEXT,"
    "  recorded_on TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, key),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id)"
    ");"
    "CREATE INDEX health_readings_deal ON health_readings(workspace_id, "
    "deal_id);";


/*
 * v7: the event inbox (issue 15).  A webhook's event is stored raw here
 * first, in the request that receives it, and applied afterwards in a
 * transaction of its own; so a crash between the two loses nothing, and
 * the unique source event id makes a resent event a no-op.  status:
 * pending, applied, failed, discarded.  The id counts like the audit's:
 * the order events arrived in.
 */
static const char v7[] =
    "CREATE TABLE inbox ("
    "  id INTEGER PRIMARY KEY,"
    "  workspace_id INTEGER NOT NULL,"
    "  source TEXT NOT NULL," /* generic, hubspot, salesforce */
    "  event_id TEXT NOT NULL,"
    "  received_at TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  error TEXT,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  applied_at TEXT,"
    "  UNIQUE (workspace_id, source, event_id));"
    "CREATE INDEX inbox_status ON inbox(workspace_id, status, id);";

/*
 * v8: the engine's selections of deals by index, not by reading every deal
 * (issue 12): each import and each daily tick looks for the deals won
 * since its lookback and for the open pipeline, which at a million deals
 * is a million rows read several times a day.  deals_open is partial, so
 * it holds only the open pipeline and costs an import of closed history
 * nothing; its WHERE is the one the open-deals query says word for word,
 * as both planners need to match it.
 */
static const char v8[] =
    "CREATE INDEX deals_stage_closed ON deals(workspace_id, stage, "
    "closed_on);"
    "CREATE INDEX deals_open ON deals(workspace_id, id) "
    "WHERE stage NOT IN ('closed_won', 'closed_lost');";

/*
 * v9: a cause can be retired (issue 16): it stays for the tags and reports
 * that use it, and is no longer offered when tagging.  NULL: in use.
 */
static const char v9[] = "ALTER TABLE taxonomy ADD COLUMN retired_at TEXT;";

/*
 * v10: sessions scheduled by hand (issue 16).  RevOps picks the day a
 * session opens; the daily tick opens it then, through the same engine
 * rule as the cadence, and the cadence leaves a scheduled (kind, period)
 * to its day.  Rescheduling rewrites the row; an opened session's row is
 * kept, as the day it was asked for.
 */
static const char v10[] =
    "CREATE TABLE session_schedule ("
    "  workspace_id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  open_on TEXT NOT NULL," /* YYYY-MM-DD */
    "  by_id TEXT,"
    "  created_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, kind, period));";

/*
 * v11 (notify15; renumber on merge if another v11 lands first): how each
 * person gets their notifications (issue 15, chat; issue 16, the daily
 * digest).  mode: email (the default, and what a person without a row
 * gets), chat or digest.  chat_url is the person's own Slack or Teams
 * incoming webhook, a secret that the API never reads back;
 * chat_format says which of the two it is.
 */
static const char v11[] =
    "CREATE TABLE notify_prefs ("
    "  workspace_id INTEGER NOT NULL,"
    "  user_id TEXT NOT NULL,"
    "  mode TEXT NOT NULL,"
    "  chat_url TEXT,"
    "  chat_format TEXT,"
    "  updated_by TEXT,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (workspace_id, user_id));";

/*
 * v12 (ui16c, issue 16): open tasks created before their titles named the
 * account keep their id wording ("Tag the root cause of churn c-000075");
 * rewrite them as the rules now write them ("... of the churn of Acme
 * Corp").  Specific forms first (check-ins, recovery records, cause
 * follow-ups), then any "churn ID" / "deal ID" of the task's own subject.
 * Done tasks stay as they were: they are history.
 */
#define V12_NAME(kind)                                                         \
    "(SELECT a.name FROM " kind " x JOIN accounts a ON a.workspace_id = "      \
    "x.workspace_id AND a.id = x.account_id WHERE x.workspace_id = "           \
    "tasks.workspace_id AND x.id = tasks.subject_id)"
#define V12_DN V12_NAME("deals")
#define V12_CN V12_NAME("churns")
static const char v12[] =
    "UPDATE tasks SET title = substr(title, 1, instr(title, ': ') + 1) "
    "|| " V12_DN
    " WHERE status = 'open' AND subject_kind = 'deal' AND kind LIKE "
    "'review_checkin_%' AND title LIKE '% (deal ' || subject_id || ')' "
    "AND " V12_DN " IS NOT NULL;"
    "UPDATE tasks SET title = 'Recovery record: ' || " V12_DN " || "
    "' returns after a lost deal ' || substr(title, instr(title, ' (') + 1) "
    "WHERE status = 'open' AND subject_kind = 'deal' AND kind = "
    "'recovery_classification' AND title LIKE 'Recovery record: deal ' || "
    "subject_id || ' returns after lost deal % (%' AND " V12_DN " IS NOT NULL;"
    "UPDATE tasks SET title = replace(title, 'deal ' || subject_id, "
    "'the deal with ' || " V12_DN ") WHERE status = 'open' AND "
    "subject_kind = 'deal' AND title LIKE '%deal ' || subject_id || '%' "
    "AND " V12_DN " IS NOT NULL;"
    "UPDATE tasks SET title = " V12_CN " || ' churned: tagged ' || "
    "replace(substr(title, length('Churn ' || subject_id || ' tagged ') + "
    "1), ': for ', ', for ') WHERE status = 'open' AND subject_kind = "
    "'churn' AND kind = 'cause_followup' AND title LIKE 'Churn ' || "
    "subject_id || ' tagged %' AND " V12_CN " IS NOT NULL;"
    "UPDATE tasks SET title = replace(title, 'churn ' || subject_id, "
    "'the churn of ' || " V12_CN ") WHERE status = 'open' AND "
    "subject_kind = 'churn' AND title LIKE '%churn ' || subject_id || '%' "
    "AND " V12_CN " IS NOT NULL;";

static const char *const migrations[] = {v1, v2, v3, v4,  v5,  v6,
                                         v7, v8, v9, v10, v11, v12};

const char *
cl__sqlite_migration(int version)
{
    if (version < 1 ||
        (size_t)version > sizeof migrations / sizeof migrations[0])
        return NULL;
    return migrations[version - 1];
}
