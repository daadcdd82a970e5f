#include "store/postgres/pg_migrations.h"

namespace pingan::pg {

// Times are bigint UTC seconds and flags integers, as in the SQLite store,
// so that records move between the two unchanged.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "units, incidents and their append-only events", R"sql(
-- path: the materialised path '/PA/S1/S1-C1/' kept by the unit store, so
-- that a unit scope is one index range over units at province scale.
CREATE TABLE units (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  kind        text NOT NULL,
  parent_code text REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,  -- parents may come later in a batch
  boundary    text,
  path        text NOT NULL DEFAULT ''
);
CREATE INDEX units_parent ON units(parent_code);
CREATE INDEX units_path ON units(path text_pattern_ops);

CREATE SEQUENCE incidents_id_seq;

-- Incidents are partitioned by month of reported_at (UTC; the store creates
-- each month's partition before its first row). A unique key across
-- partitions must include the partition key, so (source, source_id) and the
-- id's month live in incident_keys: the guard against a second import and
-- the way from an id to its partition.
CREATE TABLE incident_keys (
  id          bigint PRIMARY KEY,
  source      text NOT NULL,
  source_id   text NOT NULL,
  reported_at bigint NOT NULL,
  UNIQUE (source, source_id)
);

CREATE TABLE incidents (
  id                  bigint NOT NULL,
  source              text NOT NULL,
  source_id           text NOT NULL,
  case_number         text,
  original_code       text,
  reported_at         bigint NOT NULL,
  lat                 double precision,
  lon                 double precision,
  address             text,
  type_code           text NOT NULL,
  class_code          text NOT NULL,
  unit_code           text,
  status              text NOT NULL,
  reporter_phone      text,
  description         text,
  dispatched_at       bigint,
  arrived_at          bigint,
  handled_at          bigint,
  followup_at         bigint,
  fed_back_at         bigint,
  verified_at         bigint,
  closed_at           bigint,
  followup_assignee   text,
  followup_deadline   bigint,
  followup_assessment text,
  voided              integer NOT NULL DEFAULT 0,
  void_reason         text,
  merged_into         bigint,
  reporter_name       text,
  reporter_id_number  text,
  reporter_phone_hash text,
  reporter_id_hash    text,
  personal_key        text,
  PRIMARY KEY (id, reported_at)
) PARTITION BY RANGE (reported_at);
-- The list route: newest first, within a unit or overall.
CREATE INDEX incidents_reported_at ON incidents(reported_at DESC, id DESC);
CREATE INDEX incidents_unit_reported_at ON incidents(unit_code, reported_at DESC, id DESC);
CREATE INDEX incidents_type_reported_at ON incidents(type_code, reported_at DESC);

CREATE TABLE incident_events (
  incident_id bigint NOT NULL REFERENCES incident_keys(id),
  seq         integer NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  at          bigint NOT NULL,
  actor       text,
  note        text,
  PRIMARY KEY (incident_id, seq)
);
)sql"},
      // Nothing to drop: the PostgreSQL schema never had the case index.
      {2, "drop the case-number index (import corrections match in memory)", "SELECT 1"},
      {3, "patrol units, dispatch assignments and unit tracks", R"sql(
CREATE TABLE patrol_units (
  call_sign    text PRIMARY KEY,
  kind         text NOT NULL,
  station_code text NOT NULL,
  crew_size    integer NOT NULL,
  roles        text NOT NULL DEFAULT '',
  status       text NOT NULL,
  assignment   bigint
);
CREATE INDEX patrol_units_station ON patrol_units(station_code);

CREATE TABLE dispatch_assignments (
  id            bigserial PRIMARY KEY,
  incident_id   bigint NOT NULL,
  call_sign     text NOT NULL,
  dispatched_at bigint NOT NULL,
  arrived_at    bigint,
  cleared_at    bigint,
  actor         text,
  UNIQUE (incident_id, call_sign, dispatched_at)
);
CREATE INDEX dispatch_assignments_time ON dispatch_assignments(dispatched_at);
CREATE INDEX dispatch_assignments_open ON dispatch_assignments(call_sign) WHERE cleared_at IS NULL;

CREATE TABLE unit_track_points (
  call_sign text NOT NULL,
  at        bigint NOT NULL,
  lat       double precision NOT NULL,
  lon       double precision NOT NULL,
  PRIMARY KEY (call_sign, at)
);
)sql"},
      {4, "merged_into: a duplicate call linked under another incident", R"sql(
CREATE INDEX incidents_merged_into ON incidents(merged_into) WHERE merged_into IS NOT NULL;
)sql"},
      {5, "patrol posts (执勤点位) and shifts (勤务班次)", R"sql(
CREATE TABLE patrol_posts (
  code         text PRIMARY KEY,
  name         text NOT NULL,
  kind         text NOT NULL,
  station_code text NOT NULL,
  lat          double precision NOT NULL,
  lon          double precision NOT NULL,
  start_minute integer NOT NULL,
  end_minute   integer NOT NULL
);

CREATE TABLE patrol_shifts (
  id           bigserial PRIMARY KEY,
  call_sign    text NOT NULL,
  station_code text NOT NULL,
  kind         text NOT NULL,
  starts_at    bigint NOT NULL,
  ends_at      bigint NOT NULL,
  crew         integer NOT NULL,
  post_code    text REFERENCES patrol_posts(code)
);
CREATE INDEX patrol_shifts_starts_at ON patrol_shifts(starts_at);
)sql"},
      // The PostgreSQL store pads row-numbered source ids from its first row.
      {6, "zero-padded line numbers in row-numbered source ids", "SELECT 1"},
      {7, "users, sessions, API tokens and failed sign-ins", R"sql(
CREATE TABLE users (
  username             text PRIMARY KEY,
  display_name         text NOT NULL,
  unit_code            text NOT NULL,
  role                 text NOT NULL,
  password_hash        text NOT NULL,
  totp_secret          text NOT NULL DEFAULT '',
  totp_last_step       bigint NOT NULL DEFAULT 0,
  must_change_password integer NOT NULL DEFAULT 0,
  locked               integer NOT NULL DEFAULT 0,
  disabled             integer NOT NULL DEFAULT 0,
  created_at           bigint NOT NULL,
  password_changed_at  bigint NOT NULL
);

CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  username     text NOT NULL REFERENCES users(username),
  csrf_token   text NOT NULL,
  address      text NOT NULL,
  created_at   bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  ended_at     bigint
);
CREATE INDEX sessions_username ON sessions(username) WHERE ended_at IS NULL;

CREATE TABLE api_tokens (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  username    text NOT NULL REFERENCES users(username),
  permissions text NOT NULL,
  created_at  bigint NOT NULL,
  revoked_at  bigint
);

CREATE TABLE failed_logins (
  username text NOT NULL,
  at       bigint NOT NULL
);
CREATE INDEX failed_logins_username_at ON failed_logins(username, at);
)sql"},
      // Append-only by trigger, as in SQLite: UPDATE refused, DELETE only
      // while prune() holds the gate inside its own transaction, INSERT only
      // of the next seq.
      {8, "audit log: hash-chained, append-only", R"sql(
CREATE TABLE audit_log (
  seq       bigint PRIMARY KEY,
  at        bigint NOT NULL,
  user_name text NOT NULL DEFAULT '',
  unit_code text NOT NULL DEFAULT '',
  address   text NOT NULL DEFAULT '',
  action    text NOT NULL,
  target    text NOT NULL DEFAULT '',
  outcome   text NOT NULL,
  reason    text NOT NULL DEFAULT '',
  alg       text NOT NULL,
  prev_hash text NOT NULL,
  hash      text NOT NULL
);
CREATE INDEX audit_log_user ON audit_log(user_name, seq);
CREATE INDEX audit_log_unit ON audit_log(unit_code, seq);
CREATE INDEX audit_log_target ON audit_log(target, seq) WHERE target <> '';
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE audit_anchor (
  last_seq  bigint PRIMARY KEY,
  last_hash text NOT NULL,
  before    bigint NOT NULL,
  pruned_at bigint NOT NULL
);
CREATE TABLE audit_prune_gate (open integer NOT NULL);

-- The functions name the log's tables through TG_TABLE_SCHEMA, not the
-- caller's search_path: a session whose path puts another schema (another
-- store) first must not have the next seq checked against that log, nor
-- open the gate with that schema's audit_prune_gate.
CREATE FUNCTION audit_log_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_seq bigint;
BEGIN
  EXECUTE format('SELECT 1 + COALESCE((SELECT MAX(seq) FROM %1$I.audit_log), (SELECT MAX(last_seq) FROM %1$I.audit_anchor), 0)',
                 TG_TABLE_SCHEMA) INTO next_seq;
  IF NEW.seq IS DISTINCT FROM next_seq THEN
    RAISE EXCEPTION 'audit_log is append-only: an entry must take the next seq';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_next_seq();
-- Once per statement, not per row: a prune of a year's entries deletes
-- millions in one statement.
CREATE FUNCTION audit_log_delete_gate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gate_open boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.audit_prune_gate)', TG_TABLE_SCHEMA) INTO gate_open;
  IF NOT gate_open THEN
    RAISE EXCEPTION 'audit_log is append-only: DELETE refused (only prune removes entries)';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_delete_gate();
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;
-- Statement triggers: also an UPDATE or DELETE that matches no row is
-- refused, and TRUNCATE (which fires no row trigger) with them.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_anchor
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
)sql"},
      {9, "reporter name and ID number, look-up hashes and the sealing key of personal data", R"sql(
CREATE INDEX incidents_reporter_phone_hash ON incidents(reporter_phone_hash) WHERE reporter_phone_hash IS NOT NULL;
CREATE INDEX incidents_reporter_id_hash ON incidents(reporter_id_hash) WHERE reporter_id_hash IS NOT NULL;
CREATE INDEX incidents_personal_key ON incidents(personal_key) WHERE personal_key IS NOT NULL;
)sql"},
      // The change log (store/change_log.h). Statement triggers with
      // transition tables: an import's COPY of 100,000 rows logs them in one
      // set-based INSERT, not 100,000 trigger calls. An update is logged only
      // when a column seen downstream changed (not personal data or its
      // sealing). The advisory lock, held to commit, makes seq order commit
      // order across servers; NOTIFY wakes the followers (LISTEN).
      {10, "the change log of incidents and units, for servers following other writers", R"sql(
CREATE TABLE changes (
  seq         bigserial PRIMARY KEY,
  at          bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('incident', 'units')),
  incident_id bigint,
  writer      text NOT NULL
);
CREATE INDEX changes_at ON changes(at);

CREATE FUNCTION changes_writer() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('pingan.writer', true), ''), 'sql:' || session_user)
$$;

CREATE FUNCTION changes_log_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7215001902);
  INSERT INTO changes (at, kind, incident_id, writer)
    SELECT extract(epoch FROM clock_timestamp())::bigint, 'incident', n.id, changes_writer()
      FROM new_rows n ORDER BY n.id;
  IF FOUND THEN PERFORM pg_notify('pingan_changes', current_schema()); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION changes_log_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7215001902);
  INSERT INTO changes (at, kind, incident_id, writer)
    SELECT extract(epoch FROM clock_timestamp())::bigint, 'incident', n.id, changes_writer()
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.source, n.source_id, n.case_number, n.original_code, n.reported_at, n.lat, n.lon, n.address,
            n.type_code, n.class_code, n.unit_code, n.status, n.description, n.dispatched_at, n.arrived_at,
            n.handled_at, n.followup_at, n.fed_back_at, n.verified_at, n.closed_at, n.followup_assignee,
            n.followup_deadline, n.followup_assessment, n.voided, n.void_reason, n.merged_into)
           IS DISTINCT FROM
           (o.source, o.source_id, o.case_number, o.original_code, o.reported_at, o.lat, o.lon, o.address,
            o.type_code, o.class_code, o.unit_code, o.status, o.description, o.dispatched_at, o.arrived_at,
            o.handled_at, o.followup_at, o.fed_back_at, o.verified_at, o.closed_at, o.followup_assignee,
            o.followup_deadline, o.followup_assessment, o.voided, o.void_reason, o.merged_into)
     ORDER BY n.id;
  IF FOUND THEN PERFORM pg_notify('pingan_changes', current_schema()); END IF;
  RETURN NULL;
END $$;

-- Once per transaction: an upsert of a tree is one change, however many
-- statements it takes (the rows, then the paths).
CREATE FUNCTION changes_log_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('pingan.units_logged', true) = 't' THEN RETURN NULL; END IF;
  PERFORM set_config('pingan.units_logged', 't', true);
  PERFORM pg_advisory_xact_lock(7215001902);
  INSERT INTO changes (at, kind, incident_id, writer)
    VALUES (extract(epoch FROM clock_timestamp())::bigint, 'units', NULL, changes_writer());
  PERFORM pg_notify('pingan_changes', current_schema());
  RETURN NULL;
END $$;

CREATE TRIGGER changes_incident_insert AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION changes_log_inserted();
CREATE TRIGGER changes_incident_update AFTER UPDATE ON incidents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION changes_log_updated();
CREATE TRIGGER changes_units AFTER INSERT OR UPDATE OR DELETE ON units
  FOR EACH STATEMENT EXECUTE FUNCTION changes_log_units();
)sql"},
      // The dispatch desk's records in the change log (kind 'patrol', by
      // call sign), so that servers sharing a database share the desk.
      //
      // Patrol units and assignments: constraint triggers deferred to the
      // commit, so that the change-log lock is the last lock such a
      // transaction takes. A desk step locks its units, then its incident
      // (whose update takes the log lock); were the units' log rows written
      // at once, the step would hold the log lock while waiting for the
      // incident, and a transition of that incident (incident, then log
      // lock) would deadlock with it. A row trigger per changed row is
      // cheap here: a step writes a few units.
      //
      // Track points: a statement trigger, one row per unit of an AVL batch
      // (one statement, no other lock after it). The points are the desk's
      // downsampled track, so positions reach other servers at the track's
      // resolution without a log row per raw report.
      {11, "the dispatch desk's patrol records in the change log", R"sql(
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check CHECK (kind IN ('incident', 'units', 'patrol'));
ALTER TABLE changes ADD COLUMN call_sign text;

CREATE FUNCTION changes_log_patrol() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign text;
BEGIN
  IF TG_OP = 'DELETE' THEN sign := OLD.call_sign; ELSE sign := NEW.call_sign; END IF;
  PERFORM pg_advisory_xact_lock(7215001902);
  INSERT INTO changes (at, kind, call_sign, writer)
    VALUES (extract(epoch FROM clock_timestamp())::bigint, 'patrol', sign, changes_writer());
  PERFORM pg_notify('pingan_changes', current_schema());
  RETURN NULL;
END $$;

CREATE FUNCTION changes_log_track_points() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_points) THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock(7215001902);
  INSERT INTO changes (at, kind, call_sign, writer)
    SELECT extract(epoch FROM clock_timestamp())::bigint, 'patrol', p.call_sign, changes_writer()
      FROM (SELECT DISTINCT call_sign FROM new_points) p ORDER BY p.call_sign;
  PERFORM pg_notify('pingan_changes', current_schema());
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER changes_patrol_units_written AFTER INSERT OR DELETE ON patrol_units
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_patrol();
CREATE CONSTRAINT TRIGGER changes_patrol_units_updated AFTER UPDATE ON patrol_units
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION changes_log_patrol();
CREATE CONSTRAINT TRIGGER changes_assignments_written AFTER INSERT OR DELETE ON dispatch_assignments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_patrol();
CREATE CONSTRAINT TRIGGER changes_assignments_updated AFTER UPDATE ON dispatch_assignments
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION changes_log_patrol();
CREATE TRIGGER changes_track_points AFTER INSERT ON unit_track_points
  REFERENCING NEW TABLE AS new_points FOR EACH STATEMENT EXECUTE FUNCTION changes_log_track_points();
)sql"},
      // SQLite's migration 12 adds the (unit_code, reported_at) index that
      // incidents_unit_reported_at above has given PostgreSQL from the start;
      // the number is kept equal in both dialects, with nothing to do here.
      {12, "the incidents of a unit over a period, by index", R"sql(
SELECT 1;
)sql"},
      // Issue 20 (store/case_store.h). Times bigint UTC seconds and money
      // bigint fen, as everywhere here. Persons' name, ID number, phone and
      // address and a task's target phone are tokens of the store's cipher
      // (plain without one); id_key is the ID number's keyed hash, the one
      // key a person is matched and found by. Table and column names are
      // SQLite's migration 13, so records move between the two unchanged.
      //
      // The change log gains kinds 'case', 'fugitive' and 'dissuasion' with
      // the record's id in record_id. Constraint triggers deferred to the
      // commit, as the desk's (migration 11): the log lock, which every
      // logged write on the database needs, is the last lock such a
      // transaction takes, so it never waits for a row lock (another case,
      // a person's row under a foreign-key check) while holding it. A transaction
      // writing one record in several tables (a case, its incidents, its
      // first steps) logs it once: the function notes what it logged in a
      // transaction-local setting. Persons are not logged (personal data
      // only), nor a dissuasion task's re-sealed phone.
      {13, "cases, persons, measures, fugitives, fraud money and dissuasion tasks", R"sql(
CREATE TABLE cases (
  id                 bigserial PRIMARY KEY,
  source             text NOT NULL,
  source_id          text,  -- NULL: a case typed in, keyed by its number alone
  case_number        text NOT NULL UNIQUE,
  type_code          text NOT NULL,
  case_class         text NOT NULL,
  unit_code          text NOT NULL,
  summary            text NOT NULL DEFAULT '',
  opened_at          bigint NOT NULL,
  status             text NOT NULL,
  investigating_at   bigint,
  solved_at          bigint,
  closed_unsolved_at bigint,
  withdrawn_at       bigint,
  flag_major         integer NOT NULL DEFAULT 0,
  flag_gang          integer NOT NULL DEFAULT 0,
  flag_task_force    integer NOT NULL DEFAULT 0,
  flag_homicide      integer NOT NULL DEFAULT 0,
  money_involved_fen bigint NOT NULL DEFAULT 0,
  UNIQUE (source, source_id)
);
-- The list route: newest opened first, overall, within a unit, of a type.
CREATE INDEX cases_opened_at ON cases(opened_at DESC, id DESC);
CREATE INDEX cases_unit_opened_at ON cases(unit_code, opened_at DESC, id DESC);
CREATE INDEX cases_type_opened_at ON cases(type_code, opened_at DESC, id DESC);
CREATE INDEX cases_solved_at ON cases(solved_at) WHERE solved_at IS NOT NULL;

CREATE TABLE case_incidents (
  case_id     bigint NOT NULL REFERENCES cases(id),
  incident_id bigint NOT NULL,
  PRIMARY KEY (case_id, incident_id)
);
CREATE INDEX case_incidents_incident ON case_incidents(incident_id);

CREATE TABLE case_steps (
  case_id     bigint NOT NULL REFERENCES cases(id),
  seq         integer NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  at          bigint NOT NULL,
  actor       text NOT NULL DEFAULT '',
  note        text NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, seq)
);

CREATE TABLE persons (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  id_number    text,
  id_key       text UNIQUE,
  phone        text,
  address      text,
  birth_date   text,  -- YYYY-MM-DD, from the ID number (as SQLite keeps it)
  sex          text,  -- male, female
  personal_key text
);
CREATE INDEX persons_personal_key ON persons(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE case_parties (
  case_id   bigint NOT NULL REFERENCES cases(id),
  person_id bigint NOT NULL REFERENCES persons(id),
  role      text NOT NULL,
  added_at  bigint NOT NULL,
  actor     text NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, person_id, role)
);
CREATE INDEX case_parties_person ON case_parties(person_id);

CREATE TABLE measures (
  id        bigserial PRIMARY KEY,
  case_id   bigint NOT NULL REFERENCES cases(id),
  person_id bigint NOT NULL REFERENCES persons(id),
  kind      text NOT NULL,
  at        bigint NOT NULL,
  unit_code text NOT NULL,
  actor     text NOT NULL DEFAULT '',
  note      text NOT NULL DEFAULT ''
);
CREATE INDEX measures_case ON measures(case_id, at, id);
CREATE INDEX measures_kind_at ON measures(kind, at);

CREATE TABLE fraud_money (
  id              bigserial PRIMARY KEY,
  case_id         bigint NOT NULL REFERENCES cases(id),
  kind            text NOT NULL,
  amount_fen      bigint NOT NULL,
  at              bigint NOT NULL,
  unit_code       text NOT NULL,
  actor           text NOT NULL DEFAULT '',
  note            text NOT NULL DEFAULT '',
  override_limit  integer NOT NULL DEFAULT 0,
  override_reason text NOT NULL DEFAULT ''
);
CREATE INDEX fraud_money_case ON fraud_money(case_id, at, id);
CREATE INDEX fraud_money_kind_at ON fraud_money(kind, at);

CREATE TABLE fugitives (
  id             bigserial PRIMARY KEY,
  listing_number text NOT NULL UNIQUE,
  person_id      bigint NOT NULL REFERENCES persons(id),
  case_id        bigint REFERENCES cases(id),
  listed_at      bigint NOT NULL,
  listing_unit   text NOT NULL,
  status         text NOT NULL,
  caught_at      bigint,
  caught_by_unit text NOT NULL DEFAULT '',
  revoked_at     bigint,
  revoke_reason  text NOT NULL DEFAULT ''
);
-- The fugitive check: id_key → person → listings, newest first.
CREATE INDEX fugitives_person ON fugitives(person_id, listed_at DESC, id DESC);

CREATE TABLE fugitive_steps (
  fugitive_id bigint NOT NULL REFERENCES fugitives(id),
  seq         integer NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  at          bigint NOT NULL,
  actor       text NOT NULL DEFAULT '',
  note        text NOT NULL DEFAULT '',
  PRIMARY KEY (fugitive_id, seq)
);

CREATE TABLE dissuasion_tasks (
  id             bigserial PRIMARY KEY,
  warning_number text NOT NULL UNIQUE,
  unit_code      text NOT NULL,
  issued_at      bigint NOT NULL,
  person_id      bigint REFERENCES persons(id),
  target_phone   text,
  personal_key   text,
  status         text NOT NULL,
  contacted_at   bigint,
  dissuaded_at   bigint,
  not_reached_at bigint,
  defrauded_at   bigint,
  case_id        bigint REFERENCES cases(id)
);
CREATE INDEX dissuasion_tasks_unit_issued_at ON dissuasion_tasks(unit_code, issued_at);
CREATE INDEX dissuasion_tasks_personal_key ON dissuasion_tasks(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE dissuasion_steps (
  task_id     bigint NOT NULL REFERENCES dissuasion_tasks(id),
  seq         integer NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  at          bigint NOT NULL,
  actor       text NOT NULL DEFAULT '',
  note        text NOT NULL DEFAULT '',
  PRIMARY KEY (task_id, seq)
);

ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
  CHECK (kind IN ('incident', 'units', 'patrol', 'case', 'fugitive', 'dissuasion'));
ALTER TABLE changes ADD COLUMN record_id bigint;

-- TG_ARGV[0]: the kind; TG_ARGV[1]: the column holding the record's id.
CREATE FUNCTION changes_log_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rec_id bigint;
  mark text;
BEGIN
  IF TG_OP = 'DELETE' THEN rec_id := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
  ELSE rec_id := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint; END IF;
  mark := TG_ARGV[0] || ':' || rec_id || ',';
  IF position(',' || mark IN ',' || COALESCE(current_setting('pingan.records_logged', true), '')) > 0 THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('pingan.records_logged', COALESCE(current_setting('pingan.records_logged', true), '') || mark, true);
  PERFORM pg_advisory_xact_lock(7215001902);
  INSERT INTO changes (at, kind, record_id, writer)
    VALUES (extract(epoch FROM clock_timestamp())::bigint, TG_ARGV[0], rec_id, changes_writer());
  PERFORM pg_notify('pingan_changes', current_schema());
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER changes_cases_inserted AFTER INSERT ON cases
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('case', 'id');
CREATE CONSTRAINT TRIGGER changes_cases_updated AFTER UPDATE ON cases
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION changes_log_record('case', 'id');
CREATE CONSTRAINT TRIGGER changes_case_incidents AFTER INSERT OR DELETE ON case_incidents
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('case', 'case_id');
CREATE CONSTRAINT TRIGGER changes_case_steps AFTER INSERT ON case_steps
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('case', 'case_id');
CREATE CONSTRAINT TRIGGER changes_case_parties AFTER INSERT OR DELETE ON case_parties
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('case', 'case_id');
CREATE CONSTRAINT TRIGGER changes_measures AFTER INSERT OR DELETE ON measures
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('case', 'case_id');
CREATE CONSTRAINT TRIGGER changes_fraud_money AFTER INSERT OR DELETE ON fraud_money
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('case', 'case_id');
CREATE CONSTRAINT TRIGGER changes_fugitives_inserted AFTER INSERT ON fugitives
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('fugitive', 'id');
CREATE CONSTRAINT TRIGGER changes_fugitives_updated AFTER UPDATE ON fugitives
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION changes_log_record('fugitive', 'id');
CREATE CONSTRAINT TRIGGER changes_dissuasion_inserted AFTER INSERT ON dissuasion_tasks
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('dissuasion', 'id');
CREATE CONSTRAINT TRIGGER changes_dissuasion_updated AFTER UPDATE ON dissuasion_tasks
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.warning_number, OLD.unit_code, OLD.issued_at, OLD.person_id, OLD.status, OLD.contacted_at,
         OLD.dissuaded_at, OLD.not_reached_at, OLD.defrauded_at, OLD.case_id)
        IS DISTINCT FROM
        (NEW.warning_number, NEW.unit_code, NEW.issued_at, NEW.person_id, NEW.status, NEW.contacted_at,
         NEW.dissuaded_at, NEW.not_reached_at, NEW.defrauded_at, NEW.case_id))
  EXECUTE FUNCTION changes_log_record('dissuasion', 'id');
)sql"},
      {14, "the method of a fraud case (电诈手法), '' for none or not yet known", R"sql(
ALTER TABLE cases ADD COLUMN fraud_method text NOT NULL DEFAULT '';
)sql"},
      // The base registry and its cameras (issue 21, store/registry_store.h),
      // tables and columns as SQLite's migration 15. The change log admits
      // kind 'camera' (record_id: cameras.id), logged by the deferred
      // constraint trigger of migration 13; an update that changes nothing
      // logs nothing.
      {15, "the base registry: cameras, places, enterprises, rental houses and tenancies, residents", R"sql(
CREATE TABLE cameras (
  id                bigserial PRIMARY KEY,
  code              text NOT NULL UNIQUE,
  name              text NOT NULL,
  lat               double precision NOT NULL,
  lon               double precision NOT NULL,
  direction_deg     double precision,
  field_of_view_deg double precision,
  owner_kind        text NOT NULL,
  owner_name        text NOT NULL,
  unit_code         text NOT NULL,
  stream_url        text NOT NULL,
  status            text NOT NULL
);
CREATE INDEX cameras_unit ON cameras(unit_code, code);

CREATE TABLE places (
  id             bigserial PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  category       text NOT NULL,
  address        text NOT NULL,
  lat            double precision NOT NULL,
  lon            double precision NOT NULL,
  unit_code      text NOT NULL,
  licence_number text NOT NULL DEFAULT '',
  contact_name   text,
  contact_phone  text,
  opened_on      text,
  closed_on      text,
  personal_key   text
);
CREATE INDEX places_unit ON places(unit_code, code);
CREATE INDEX places_category ON places(category);
CREATE INDEX places_personal_key ON places(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE enterprises (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  credit_code text NOT NULL,
  address     text NOT NULL,
  lat         double precision NOT NULL,
  lon         double precision NOT NULL,
  unit_code   text NOT NULL
);
CREATE INDEX enterprises_unit ON enterprises(unit_code, code);
CREATE INDEX enterprises_credit_code ON enterprises(credit_code);

CREATE TABLE rental_houses (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  address     text NOT NULL,
  lat         double precision NOT NULL,
  lon         double precision NOT NULL,
  unit_code   text NOT NULL,
  landlord_id bigint NOT NULL REFERENCES persons(id),
  rooms       integer NOT NULL
);
CREATE INDEX rental_houses_unit ON rental_houses(unit_code, code);
CREATE INDEX rental_houses_landlord ON rental_houses(landlord_id);

CREATE TABLE rental_tenancies (
  house_id  bigint NOT NULL REFERENCES rental_houses(id),
  seq       integer NOT NULL,
  person_id bigint NOT NULL REFERENCES persons(id),
  room      text NOT NULL DEFAULT '',
  from_date text NOT NULL,
  to_date   text,
  PRIMARY KEY (house_id, seq)
);
CREATE INDEX rental_tenancies_person ON rental_tenancies(person_id);

CREATE TABLE residents (
  id            bigserial PRIMARY KEY,
  person_id     bigint NOT NULL UNIQUE REFERENCES persons(id),
  kind          text NOT NULL,
  address       text,
  house_code    text NOT NULL DEFAULT '',
  unit_code     text NOT NULL,
  registered_on text NOT NULL,
  left_on       text,
  personal_key  text
);
CREATE INDEX residents_unit ON residents(unit_code, person_id);
CREATE INDEX residents_personal_key ON residents(personal_key) WHERE personal_key IS NOT NULL;

ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
  CHECK (kind IN ('incident', 'units', 'patrol', 'case', 'fugitive', 'dissuasion', 'camera'));
CREATE CONSTRAINT TRIGGER changes_cameras_inserted AFTER INSERT ON cameras
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('camera', 'id');
CREATE CONSTRAINT TRIGGER changes_cameras_updated AFTER UPDATE ON cameras
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION changes_log_record('camera', 'id');
)sql"},
      {16, "ledger work items (台账条目) and their histories", R"sql(
CREATE TABLE ledger_items (
  id           bigserial PRIMARY KEY,
  type_code    text NOT NULL,
  type_version bigint NOT NULL,
  unit_code    text NOT NULL,
  officer_id   text NOT NULL DEFAULT '',
  state        text NOT NULL,
  fields       text NOT NULL,
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL,
  source       text NOT NULL DEFAULT 'api',
  source_id    text,
  personal_key text,
  UNIQUE (source, source_id)
);
CREATE INDEX ledger_items_type_unit ON ledger_items(type_code, unit_code, created_at);
CREATE INDEX ledger_items_type_created ON ledger_items(type_code, created_at, id);
CREATE INDEX ledger_items_personal_key ON ledger_items(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE ledger_steps (
  item_id    bigint NOT NULL REFERENCES ledger_items(id),
  seq        bigint NOT NULL,
  step       text NOT NULL,
  from_state text NOT NULL DEFAULT '',
  to_state   text NOT NULL,
  actor      text NOT NULL,
  at         bigint NOT NULL,
  note       text NOT NULL DEFAULT '',
  changes    text NOT NULL DEFAULT '[]',
  unit_code  text NOT NULL DEFAULT '',
  officer_id text NOT NULL DEFAULT '',
  PRIMARY KEY (item_id, seq)
);

-- The change log's kind 'ledger' (record_id: ledger_items.id), logged by
-- the deferred trigger of migration 13 once per item and transaction: a
-- step updates the item's row, an item a step opens is inserted.
ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
  CHECK (kind IN ('incident', 'units', 'patrol', 'case', 'fugitive', 'dissuasion', 'camera', 'ledger'));
CREATE CONSTRAINT TRIGGER changes_ledger_items_inserted AFTER INSERT ON ledger_items
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_log_record('ledger', 'id');
CREATE CONSTRAINT TRIGGER changes_ledger_items_updated AFTER UPDATE ON ledger_items
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION changes_log_record('ledger', 'id');
)sql"},
      // The ledger scheduler's reminders and escalations (issue 21,
      // store/ledger_notice_store.h): one row per event. The key includes
      // the clock's start, so a deadline restarted (a hazard sent back to
      // 整改) warns again for its new run; level 0 is the reminder.
      {17, "ledger notices: the reminders and escalations (催办, 督办, 挂牌督办) of ledger deadlines", R"sql(
CREATE TABLE ledger_notices (
  id         bigserial PRIMARY KEY,
  item_id    bigint NOT NULL REFERENCES ledger_items(id),
  type_code  text NOT NULL,
  unit_code  text NOT NULL,
  deadline   text NOT NULL,
  started_at bigint NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('remind', 'escalate')),
  level      bigint NOT NULL,
  due_at     bigint NOT NULL,
  noticed_at bigint NOT NULL,
  UNIQUE (item_id, deadline, started_at, kind, level)
);
CREATE INDEX ledger_notices_unit ON ledger_notices(unit_code, due_at);
CREATE INDEX ledger_notices_due ON ledger_notices(due_at, id);
)sql"},
  };
  return kMigrations;
}

}  // namespace pingan::pg
