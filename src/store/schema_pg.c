/*
 * schema_pg.c - the PostgreSQL migrations, one script per schema version,
 * the same versions as schema_sqlite.c in PostgreSQL's dialect.
 *
 * A released script is never edited.  Every table's primary key starts with
 * workspace_id, so Citus can distribute every table by it (docs/deploy.md).
 * Days are `date`, money and hours numeric(14,2) (the importer allows two
 * decimals, so a value read back equals the one written), computed figures
 * double precision, booleans boolean.  Instants ("2026-07-01T09:00:00Z") stay
 * ISO-8601 UTC text, as on SQLite: they order as text and come back byte for
 * byte.  Text columns collate "C" so key order is byte order on both
 * backends, whatever the cluster's locale.
 */
#include "schema_pg.h"

#include <stddef.h>

#define TXT "text COLLATE \"C\""

static const char v1[] =
    "CREATE TABLE workspaces ("
    "  id bigint PRIMARY KEY,"
    "  name " TXT " NOT NULL,"
    "  created_at " TXT " NOT NULL);"

    "CREATE TABLE users ("
    "  workspace_id bigint NOT NULL REFERENCES workspaces(id),"
    "  id " TXT " NOT NULL,"
    "  name " TXT " NOT NULL,"
    "  email " TXT " NOT NULL,"
    "  role " TXT " NOT NULL,"
    "  manager_id " TXT ","
    "  team " TXT ","
    "  password_hash " TXT ","
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, manager_id)"
    "    REFERENCES users(workspace_id, id));"

    "CREATE TABLE accounts ("
    "  workspace_id bigint NOT NULL,"
    "  id " TXT " NOT NULL,"
    "  name " TXT " NOT NULL,"
    "  industry " TXT ","
    "  employees bigint,"
    "  region " TXT ","
    "  has_ops_function boolean,"
    "  csm_id " TXT ","
    "  customer_since date,"
    "  status " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, csm_id) REFERENCES users(workspace_id, id));"

    "CREATE TABLE deals ("
    "  workspace_id bigint NOT NULL,"
    "  id " TXT " NOT NULL,"
    "  account_id " TXT " NOT NULL,"
    "  ae_id " TXT ","
    "  type " TXT " NOT NULL,"
    "  source " TXT ","
    "  stage " TXT " NOT NULL,"
    "  created_on date NOT NULL,"
    "  first_demo_on date,"
    "  closed_on date,"
    "  arr numeric(14,2),"
    "  loss_reason " TXT ","
    "  icp_fit_score bigint,"
    "  champion_level " TXT ","
    "  champion_tenure_months bigint,"
    "  exec_sponsor boolean,"
    "  use_case " TXT ","
    "  kickoff_on date,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, ae_id) REFERENCES users(workspace_id, id));"
    "CREATE INDEX deals_account ON deals(workspace_id, account_id);"

    "CREATE TABLE churns ("
    "  workspace_id bigint NOT NULL,"
    "  id " TXT " NOT NULL,"
    "  account_id " TXT " NOT NULL,"
    "  deal_id " TXT ","
    "  churned_on date NOT NULL,"
    "  arr_lost numeric(14,2),"
    "  stated_reason " TXT ","
    "  diagnosis " TXT ","
    "  predictive_behavior " TXT ","
    "  primary_cause " TXT ","
    "  contributing_causes " TXT ","
    "  tagged_by " TXT ","
    "  tagged_on date,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, tagged_by)"
    "    REFERENCES users(workspace_id, id));"

    "CREATE TABLE recoveries ("
    "  workspace_id bigint NOT NULL,"
    "  id " TXT " NOT NULL,"
    "  original_deal_id " TXT " NOT NULL,"
    "  new_deal_id " TXT " NOT NULL,"
    "  recovery_type " TXT ","
    "  cs_intervention " TXT ","
    "  what_changed " TXT ","
    "  csm_id " TXT ","
    "  logged_on date,"
    "  PRIMARY KEY (workspace_id, id),"
    "  FOREIGN KEY (workspace_id, original_deal_id)"
    "    REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, new_deal_id)"
    "    REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, csm_id) REFERENCES users(workspace_id, id));"

    "CREATE TABLE reviews ("
    "  workspace_id bigint NOT NULL,"
    "  deal_id " TXT " NOT NULL,"
    "  held_on date NOT NULL,"
    "  q1 " TXT ", q2 " TXT ", q3 " TXT ", q4 " TXT ", q5 " TXT ","
    "  q6 " TXT ", q7 " TXT ","
    "  gut_read " TXT ","
    "  PRIMARY KEY (workspace_id, deal_id),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id));"

    "CREATE TABLE cs_hours ("
    "  workspace_id bigint NOT NULL,"
    "  account_id " TXT " NOT NULL,"
    "  month " TXT " NOT NULL,"
    "  hours numeric(14,2) NOT NULL,"
    "  PRIMARY KEY (workspace_id, account_id, month),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id));"

    "CREATE TABLE arr_movements ("
    "  workspace_id bigint NOT NULL,"
    "  account_id " TXT " NOT NULL,"
    "  \"on\" date NOT NULL,"
    "  kind " TXT " NOT NULL,"
    "  amount numeric(14,2) NOT NULL,"
    "  PRIMARY KEY (workspace_id, account_id, \"on\", kind),"
    "  FOREIGN KEY (workspace_id, account_id)"
    "    REFERENCES accounts(workspace_id, id));"

    "CREATE TABLE icp_versions ("
    "  workspace_id bigint NOT NULL,"
    "  version bigint NOT NULL,"
    "  effective_on date NOT NULL,"
    "  criteria " TXT " NOT NULL,"
    "  owner_id " TXT ","
    "  rationale " TXT ","
    "  PRIMARY KEY (workspace_id, version),"
    "  FOREIGN KEY (workspace_id, owner_id) REFERENCES users(workspace_id, "
    "id));"

    "CREATE TABLE holidays ("
    "  workspace_id bigint NOT NULL,"
    "  \"on\" date NOT NULL,"
    "  name " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, \"on\"));"

    "CREATE TABLE taxonomy ("
    "  workspace_id bigint NOT NULL,"
    "  code " TXT " NOT NULL,"
    "  position integer NOT NULL,"
    "  label " TXT " NOT NULL,"
    "  definition " TXT " NOT NULL,"
    "  sales_attributable boolean NOT NULL,"
    "  bad_fit_category " TXT ","
    "  routes_to " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, code));"

    "CREATE TABLE thresholds ("
    "  workspace_id bigint NOT NULL,"
    "  key " TXT " NOT NULL,"
    "  value double precision NOT NULL,"
    "  unit " TXT " NOT NULL,"
    "  description " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, key));"

    "CREATE TABLE config ("
    "  workspace_id bigint NOT NULL,"
    "  key " TXT " NOT NULL,"
    "  value " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, key));"

    "CREATE TABLE sessions ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint NOT NULL,"
    "  kind " TXT " NOT NULL,"
    "  period " TXT " NOT NULL,"
    "  status " TXT " NOT NULL,"
    "  owner_id " TXT ","
    "  opened_at " TXT " NOT NULL,"
    "  closed_at " TXT ","
    "  pack " TXT ","
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, kind, period));"

    "CREATE TABLE tasks ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint NOT NULL,"
    "  kind " TXT " NOT NULL,"
    "  assignee_id " TXT ","
    "  due_on date,"
    "  status " TXT " NOT NULL,"
    "  subject_kind " TXT ","
    "  subject_id " TXT ","
    "  title " TXT ","
    "  attendees " TXT ","
    "  created_at " TXT " NOT NULL,"
    "  done_at " TXT ","
    "  reminded_at " TXT ","
    "  escalated_at " TXT ","
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, kind, subject_kind, subject_id, assignee_id));"

    "CREATE TABLE outbox ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint NOT NULL,"
    "  recipient_id " TXT " NOT NULL,"
    "  channel " TXT " NOT NULL,"
    "  kind " TXT " NOT NULL,"
    "  subject " TXT ","
    "  body " TXT ","
    "  status " TXT " NOT NULL,"
    "  attempts integer NOT NULL DEFAULT 0,"
    "  next_attempt_at " TXT ","
    "  last_error " TXT ","
    "  idempotency_key " TXT " NOT NULL,"
    "  created_at " TXT " NOT NULL,"
    "  sent_at " TXT ","
    "  read_at " TXT ","
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, idempotency_key));"

    "CREATE TABLE process_changes ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint NOT NULL,"
    "  session_id bigint NOT NULL,"
    "  owner_id " TXT " NOT NULL,"
    "  description " TXT " NOT NULL,"
    "  checkin_due date NOT NULL,"
    "  checkin_on date,"
    "  checkin_note " TXT ","
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, session_id),"
    "  FOREIGN KEY (workspace_id, session_id)"
    "    REFERENCES sessions(workspace_id, id));"

    "CREATE TABLE triggers ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint NOT NULL,"
    "  session_id bigint,"
    "  rule " TXT " NOT NULL,"
    "  period " TXT " NOT NULL,"
    "  value double precision,"
    "  threshold double precision,"
    "  fired integer NOT NULL,"
    "  task_id bigint,"
    "  created_at " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, rule, period));"

    "CREATE TABLE coaching_items ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint NOT NULL,"
    "  ae_id " TXT " NOT NULL,"
    "  session_id bigint,"
    "  period " TXT " NOT NULL,"
    "  cause " TXT " NOT NULL,"
    "  note " TXT ","
    "  status " TXT " NOT NULL,"
    "  created_at " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, ae_id, period, cause));"

    /* Append-only: the trigger refuses every UPDATE, DELETE and TRUNCATE.
       Ids come from one sequence; the key is (workspace_id, id) so the
       table distributes by workspace like the others. */
    "CREATE TABLE audit ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint GENERATED BY DEFAULT AS IDENTITY,"
    "  at " TXT " NOT NULL,"
    "  actor " TXT " NOT NULL,"
    "  entity " TXT " NOT NULL,"
    "  entity_id " TXT " NOT NULL,"
    "  action " TXT " NOT NULL,"
    "  old " TXT ","
    "  new " TXT ","
    "  PRIMARY KEY (workspace_id, id));"
    "CREATE INDEX audit_entity ON audit(workspace_id, entity, entity_id);"
    "CREATE FUNCTION audit_append_only() RETURNS trigger"
    "  LANGUAGE plpgsql AS $$ BEGIN"
    "  RAISE EXCEPTION 'the audit log is append-only'"
    "    USING ERRCODE = 'restrict_violation';"
    "  END $$;"
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
    "  FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
    "  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();";

/* v2: the loop engine's shell (see schema_sqlite.c). */
static const char v2[] =
    "ALTER TABLE deals ADD COLUMN health_score bigint;"
    "ALTER TABLE churns ADD COLUMN sales_flagged_on date;"
    "ALTER TABLE churns ADD COLUMN closed_on date;"
    "ALTER TABLE process_changes ADD COLUMN reminded_on date;"
    "ALTER TABLE process_changes ADD COLUMN escalated_on date;"
    "ALTER TABLE sessions ADD COLUMN decisions " TXT ";"
    "ALTER TABLE coaching_items ADD COLUMN audience " TXT ";"
    "ALTER TABLE outbox ADD COLUMN subject_kind " TXT ";"
    "ALTER TABLE outbox ADD COLUMN subject_id " TXT ";"

    "CREATE TABLE flags ("
    "  workspace_id bigint NOT NULL,"
    "  key " TXT " NOT NULL,"
    "  subject_kind " TXT " NOT NULL,"
    "  subject_id " TXT " NOT NULL,"
    "  flag " TXT " NOT NULL,"
    "  field " TXT ","
    "  reason " TXT ","
    "  created_at " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, key));"
    "CREATE INDEX flags_subject ON flags(workspace_id, subject_kind, "
    "subject_id);"

    "CREATE TABLE recovery_links ("
    "  workspace_id bigint NOT NULL,"
    "  new_deal_id " TXT " NOT NULL,"
    "  original_deal_id " TXT " NOT NULL,"
    "  months integer NOT NULL,"
    "  created_at " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, new_deal_id),"
    "  FOREIGN KEY (workspace_id, new_deal_id)"
    "    REFERENCES deals(workspace_id, id),"
    "  FOREIGN KEY (workspace_id, original_deal_id)"
    "    REFERENCES deals(workspace_id, id));"

    "CREATE INDEX tasks_open ON tasks(workspace_id, status, due_on);"
    "CREATE INDEX outbox_due ON outbox(workspace_id, status, "
    "next_attempt_at);";

/* v3: what the server needs (see schema_sqlite.c).  Emails are found
   case-insensitively (ASCII, like SQLite's NOCASE): the index is on
   lower(email). */
static const char v3[] =
    "CREATE TABLE api_tokens ("
    "  workspace_id bigint NOT NULL,"
    "  id " TXT " NOT NULL,"
    "  user_id " TXT " NOT NULL,"
    "  token_hash " TXT " NOT NULL,"
    "  created_at " TXT " NOT NULL,"
    "  revoked_at " TXT ","
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, token_hash),"
    "  FOREIGN KEY (workspace_id, user_id)"
    "    REFERENCES users(workspace_id, id));"

    "CREATE TABLE web_sessions ("
    "  workspace_id bigint NOT NULL,"
    "  token_hash " TXT " NOT NULL,"
    "  user_id " TXT " NOT NULL,"
    "  csrf " TXT " NOT NULL,"
    "  created_at " TXT " NOT NULL,"
    "  expires_at " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, token_hash),"
    "  FOREIGN KEY (workspace_id, user_id)"
    "    REFERENCES users(workspace_id, id));"

    "CREATE INDEX users_email ON users(workspace_id, lower(email));"
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
static const char v4[] = "ALTER TABLE recoveries ADD COLUMN cs_led boolean;";

/* v5: people (see schema_sqlite.c): deactivation and one-time links. */
static const char v5[] =
    "ALTER TABLE users ADD COLUMN deactivated_at " TXT ";"
    "CREATE TABLE invites ("
    "  workspace_id bigint NOT NULL,"
    "  token_hash " TXT " NOT NULL,"
    "  user_id " TXT " NOT NULL,"
    "  kind " TXT " NOT NULL,"
    "  created_at " TXT " NOT NULL,"
    "  expires_at " TXT " NOT NULL,"
    "  used_at " TXT ","
    "  PRIMARY KEY (workspace_id, token_hash),"
    "  FOREIGN KEY (workspace_id, user_id)"
    "    REFERENCES users(workspace_id, id));"
    "CREATE INDEX invites_user ON invites(workspace_id, user_id);";

/* v6: as schema_sqlite.c's v6 says (issue 14). */
static const char v6[] =
    "ALTER TABLE reviews ADD COLUMN implementation_risk boolean;"
    "ALTER TABLE reviews ADD COLUMN capacity_risk boolean;"
    "ALTER TABLE reviews ADD COLUMN context_gaps boolean;"
    "ALTER TABLE reviews ADD COLUMN csm_note " TXT ";"

    "CREATE TABLE review_answers ("
    "  workspace_id bigint NOT NULL,"
    "  deal_id " TXT " NOT NULL,"
    "  q1 " TXT ", q2 " TXT ", q3 " TXT ", q4 " TXT ", q7 " TXT ","
    "  answered_by " TXT " NOT NULL,"
    "  answered_at " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, deal_id),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id));"

    "CREATE TABLE health_readings ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint NOT NULL,"
    "  key " TXT " NOT NULL,"
    "  deal_id " TXT " NOT NULL,"
    "  score bigint NOT NULL,"
    "  source " TXT " NOT NULL,"
    "  note " TXT ","
    "  recorded_by " TXT ","
    "  recorded_on date NOT NULL,"
    "  created_at " TXT " NOT NULL,"
    "  PRIMARY KEY (workspace_id, id),"
    "  UNIQUE (workspace_id, key),"
    "  FOREIGN KEY (workspace_id, deal_id) REFERENCES deals(workspace_id, id));"
    "CREATE INDEX health_readings_deal ON health_readings(workspace_id, "
    "deal_id);";


/*
 * v7: the event inbox (issue 15).  A webhook's event is stored raw here
 * first, in the request that receives it, and applied afterwards in a
 * transaction of its own; so a crash between the two loses nothing, and
 * the unique source event id makes a resent event a no-op.  status:
 * pending, applied, failed, discarded.  The id counts like the audit's:
 * the order events arrived in (an identity, so concurrent receivers never
 * take the same one).
 */
static const char v7[] =
    "CREATE TABLE inbox ("
    "  workspace_id bigint NOT NULL,"
    "  id bigint GENERATED BY DEFAULT AS IDENTITY,"
    "  source " TXT " NOT NULL,"
    "  event_id " TXT " NOT NULL,"
    "  received_at " TXT " NOT NULL,"
    "  payload " TXT " NOT NULL,"
    "  status " TXT " NOT NULL,"
    "  error " TXT ","
    "  attempts integer NOT NULL DEFAULT 0,"
    "  applied_at " TXT ","
    "  PRIMARY KEY (workspace_id, id),"
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
static const char v9[] = "ALTER TABLE taxonomy ADD COLUMN retired_at " TXT ";";

/*
 * v10: sessions scheduled by hand (issue 16).  RevOps picks the day a
 * session opens; the daily tick opens it then, through the same engine
 * rule as the cadence, and the cadence leaves a scheduled (kind, period)
 * to its day.  Rescheduling rewrites the row; an opened session's row is
 * kept, as the day it was asked for.
 */
static const char v10[] =
    "CREATE TABLE session_schedule ("
    "  workspace_id bigint NOT NULL,"
    "  kind " TXT " NOT NULL,"
    "  period " TXT " NOT NULL,"
    "  open_on " TXT " NOT NULL," /* YYYY-MM-DD */
    "  by_id " TXT ","
    "  created_at " TXT " NOT NULL,"
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
    "  workspace_id bigint NOT NULL,"
    "  user_id " TXT " NOT NULL,"
    "  mode " TXT " NOT NULL,"
    "  chat_url " TXT ","
    "  chat_format " TXT ","
    "  updated_by " TXT ","
    "  updated_at " TXT " NOT NULL,"
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
    "UPDATE tasks SET title = substr(title, 1, strpos(title, ': ') + 1) "
    "|| " V12_DN
    " WHERE status = 'open' AND subject_kind = 'deal' AND kind LIKE "
    "'review_checkin_%' AND title LIKE '% (deal ' || subject_id || ')' "
    "AND " V12_DN " IS NOT NULL;"
    "UPDATE tasks SET title = 'Recovery record: ' || " V12_DN " || "
    "' returns after a lost deal ' || substr(title, strpos(title, ' (') + 1) "
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
cl__pg_migration(int version)
{
    if (version < 1 ||
        (size_t)version > sizeof migrations / sizeof migrations[0])
        return NULL;
    return migrations[version - 1];
}
