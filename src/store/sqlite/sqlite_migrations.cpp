#include "store/sqlite/sqlite_migrations.h"

namespace pingan::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "units, incidents and their append-only events", R"sql(
CREATE TABLE units (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL,
  parent_code TEXT REFERENCES units(code),
  boundary    TEXT              -- JSON: [[ring of [lon,lat]], hole ...] per polygon
);
CREATE INDEX units_parent ON units(parent_code);

CREATE TABLE incidents (
  id                  INTEGER PRIMARY KEY,
  source              TEXT NOT NULL,
  source_id           TEXT NOT NULL,
  case_number         TEXT,
  original_code       TEXT,
  reported_at         INTEGER NOT NULL,   -- UTC seconds
  lat                 REAL,
  lon                 REAL,
  address             TEXT,
  type_code           TEXT NOT NULL,
  class_code          TEXT NOT NULL,
  unit_code           TEXT,
  status              TEXT NOT NULL,
  reporter_phone      TEXT,
  description         TEXT,
  dispatched_at       INTEGER,
  arrived_at          INTEGER,
  handled_at          INTEGER,
  followup_at         INTEGER,
  fed_back_at         INTEGER,
  verified_at         INTEGER,
  closed_at           INTEGER,
  followup_assignee   TEXT,
  followup_deadline   INTEGER,
  followup_assessment TEXT,
  voided              INTEGER NOT NULL DEFAULT 0,
  void_reason         TEXT,
  UNIQUE (source, source_id)
);
CREATE INDEX incidents_reported_at ON incidents(reported_at);
CREATE INDEX incidents_case ON incidents(source, case_number) WHERE case_number IS NOT NULL;

CREATE TABLE incident_events (
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  seq         INTEGER NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT,
  note        TEXT,
  PRIMARY KEY (incident_id, seq)
) WITHOUT ROWID;
)sql"},
      // Corrections are matched in memory by the importer (ingest/correction_targets.h):
      // no writer needs this index, and every imported row paid for its upkeep.
      {2, "drop the case-number index (import corrections match in memory)", R"sql(
DROP INDEX IF EXISTS incidents_case;
)sql"},
      {3, "patrol units, dispatch assignments and unit tracks", R"sql(
CREATE TABLE patrol_units (
  call_sign    TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,            -- car, motorcycle, ebike, foot
  station_code TEXT NOT NULL,
  crew_size    INTEGER NOT NULL,
  roles        TEXT NOT NULL DEFAULT '', -- comma-separated, e.g. "rapid"
  status       TEXT NOT NULL,            -- available, en_route, on_scene, off_duty
  assignment   INTEGER                   -- incident id while en route / on scene
);
CREATE INDEX patrol_units_station ON patrol_units(station_code);

-- 派警记录: which unit went to which incident and when; response metrics per unit.
CREATE TABLE dispatch_assignments (
  id            INTEGER PRIMARY KEY,
  incident_id   INTEGER NOT NULL,
  call_sign     TEXT NOT NULL,
  dispatched_at INTEGER NOT NULL,
  arrived_at    INTEGER,
  cleared_at    INTEGER,
  actor         TEXT,
  UNIQUE (incident_id, call_sign, dispatched_at)
);
CREATE INDEX dispatch_assignments_time ON dispatch_assignments(dispatched_at);
CREATE INDEX dispatch_assignments_open ON dispatch_assignments(call_sign) WHERE cleared_at IS NULL;

CREATE TABLE unit_track_points (
  call_sign TEXT NOT NULL,
  at        INTEGER NOT NULL,            -- UTC seconds
  lat       REAL NOT NULL,
  lon       REAL NOT NULL,
  PRIMARY KEY (call_sign, at)
) WITHOUT ROWID;
)sql"},
      {4, "merged_into: a duplicate call linked under another incident", R"sql(
ALTER TABLE incidents ADD COLUMN merged_into INTEGER REFERENCES incidents(id);
CREATE INDEX incidents_merged_into ON incidents(merged_into) WHERE merged_into IS NOT NULL;
)sql"},
      {5, "patrol posts (执勤点位) and shifts (勤务班次)", R"sql(
CREATE TABLE patrol_posts (
  code         TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL,               -- night, school, checkpoint, traffic, other
  station_code TEXT NOT NULL,
  lat          REAL NOT NULL,
  lon          REAL NOT NULL,
  start_minute INTEGER NOT NULL,            -- local minutes after midnight
  end_minute   INTEGER NOT NULL             -- <= start_minute: past midnight
) WITHOUT ROWID;

CREATE TABLE patrol_shifts (
  id           INTEGER PRIMARY KEY,
  call_sign    TEXT NOT NULL,
  station_code TEXT NOT NULL,               -- the unit's station when recorded
  kind         TEXT NOT NULL,               -- the unit's kind when recorded
  starts_at    INTEGER NOT NULL,            -- UTC seconds
  ends_at      INTEGER NOT NULL,
  crew         INTEGER NOT NULL,
  post_code    TEXT REFERENCES patrol_posts(code)
);
CREATE INDEX patrol_shifts_starts_at ON patrol_shifts(starts_at);
)sql"},
      // Row-numbered source ids get their line zero-padded (ingest/source_files.h
      // row_source_id), so that re-importing a file imported before still finds
      // every row present.
      {6, "zero-padded line numbers in row-numbered source ids", R"sql(
UPDATE incidents
   SET source_id = substr(source_id, 1, instr(source_id, ':')) ||
                   printf('%07d', CAST(substr(source_id, instr(source_id, ':') + 1) AS INTEGER))
 WHERE source IN ('stlouis', 'portland-nij')
   AND instr(source_id, ':') > 0
   AND length(source_id) - instr(source_id, ':') < 7;
)sql"},
      // Sign-in (issue 17): users of a unit with a role, their sessions (the
      // cookie's SHA-256 only), API tokens (hashed) and failed sign-ins.
      {7, "users, sessions, API tokens and failed sign-ins", R"sql(
CREATE TABLE users (
  username             TEXT PRIMARY KEY,
  display_name         TEXT NOT NULL,
  unit_code            TEXT NOT NULL,
  role                 TEXT NOT NULL,
  password_hash        TEXT NOT NULL,
  totp_secret          TEXT NOT NULL DEFAULT '',
  totp_last_step       INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  locked               INTEGER NOT NULL DEFAULT 0,
  disabled             INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  password_changed_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,
  username     TEXT NOT NULL REFERENCES users(username),
  csrf_token   TEXT NOT NULL,
  address      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ended_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX sessions_username ON sessions(username) WHERE ended_at IS NULL;

CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  username    TEXT NOT NULL REFERENCES users(username),
  permissions TEXT NOT NULL,               -- space-separated
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);

CREATE TABLE failed_logins (
  username TEXT NOT NULL,
  at       INTEGER NOT NULL
);
CREATE INDEX failed_logins_username_at ON failed_logins(username, at);
)sql"},
      // The audit log (issue 17, auth/audit_log.h): append-only by trigger,
      // so that no UPDATE or DELETE through SQL changes it; the hash chain is
      // what detects an edit made around the triggers. DELETE passes only
      // while prune() holds the gate (a row of audit_prune_gate, inside
      // prune's own transaction).
      {8, "audit log: hash-chained, append-only", R"sql(
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,         -- 1, 2, 3..., assigned by the store
  at        INTEGER NOT NULL,            -- UTC seconds
  user_name TEXT NOT NULL DEFAULT '',    -- '' for anonymous
  unit_code TEXT NOT NULL DEFAULT '',
  address   TEXT NOT NULL DEFAULT '',
  action    TEXT NOT NULL,
  target    TEXT NOT NULL DEFAULT '',    -- e.g. 'incident:123'
  outcome   TEXT NOT NULL,               -- ok, refused, failed
  reason    TEXT NOT NULL DEFAULT '',
  alg       TEXT NOT NULL,               -- sha256, sm3
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log(user_name, seq);
CREATE INDEX audit_log_unit ON audit_log(unit_code, seq);
CREATE INDEX audit_log_target ON audit_log(target, seq) WHERE target <> '';
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_at ON audit_log(at);

-- Where the chain starts after a prune: the last removed entry.
CREATE TABLE audit_anchor (
  last_seq  INTEGER PRIMARY KEY,
  last_hash TEXT NOT NULL,
  before    INTEGER NOT NULL,            -- prune's cut-off, UTC seconds
  pruned_at INTEGER NOT NULL
);
-- Holds a row only inside prune's transaction.
CREATE TABLE audit_prune_gate (open INTEGER NOT NULL);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_prune_gate)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused (only prune removes entries)'); END;
-- Only the next seq, linked to the head: no entry slipped in between others
-- (INSERT OR REPLACE over an old seq would bypass the DELETE trigger).
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT 1 + COALESCE((SELECT MAX(seq) FROM audit_log), (SELECT MAX(last_seq) FROM audit_anchor), 0)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an entry must take the next seq'); END;
CREATE TRIGGER audit_anchor_no_update BEFORE UPDATE ON audit_anchor
BEGIN SELECT RAISE(ABORT, 'audit_anchor is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor
BEGIN SELECT RAISE(ABORT, 'audit_anchor is append-only: DELETE refused'); END;
)sql"},
      // Personal data sealed field by field (issue 17, docs/personal-data.md):
      // the tokens stay in the TEXT columns; the hashes serve exact look-ups;
      // personal_key names the key of a row's tokens ('' plain text, NULL no
      // personal data) so rotation finds the rows due through an index. The
      // store seals the plain rows when it opens with a key ring.
      {9, "reporter name and ID number, look-up hashes and the sealing key of personal data", R"sql(
ALTER TABLE incidents ADD COLUMN reporter_name TEXT;
ALTER TABLE incidents ADD COLUMN reporter_id_number TEXT;
ALTER TABLE incidents ADD COLUMN reporter_phone_hash TEXT;
ALTER TABLE incidents ADD COLUMN reporter_id_hash TEXT;
ALTER TABLE incidents ADD COLUMN personal_key TEXT;
UPDATE incidents SET personal_key = '' WHERE reporter_phone IS NOT NULL AND reporter_phone <> '';
CREATE INDEX incidents_reporter_phone_hash ON incidents(reporter_phone_hash) WHERE reporter_phone_hash IS NOT NULL;
CREATE INDEX incidents_reporter_id_hash ON incidents(reporter_id_hash) WHERE reporter_id_hash IS NOT NULL;
CREATE INDEX incidents_personal_key ON incidents(personal_key) WHERE personal_key IS NOT NULL;
)sql"},
      // The change log (issue 19, store/change_log.h): one row per committed
      // change of an incident or of the units, written by each store's TEMP
      // triggers with its own token, read by servers from their position.
      {10, "the change log of incidents and units, for servers following other writers", R"sql(
CREATE TABLE changes (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('incident', 'units')),
  incident_id INTEGER,
  writer      TEXT NOT NULL
);
CREATE INDEX changes_at ON changes(at);
)sql"},
      // The dispatch desk's records in the change log (kind 'patrol', by
      // call sign), so that servers sharing a database share the desk. A
      // CHECK cannot be altered in SQLite: the table is rebuilt with its rows,
      // and its AUTOINCREMENT counter is carried over, so that the position
      // never goes back (pruned rows included). The triggers that fill it are
      // TEMP (sqlite_change_log.cpp).
      {11, "the dispatch desk's patrol records in the change log", R"sql(
CREATE TABLE changes_11 (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('incident', 'units', 'patrol')),
  incident_id INTEGER,
  call_sign   TEXT,
  writer      TEXT NOT NULL
);
INSERT INTO changes_11 (seq, at, kind, incident_id, writer) SELECT seq, at, kind, incident_id, writer FROM changes;
DELETE FROM sqlite_sequence WHERE name = 'changes_11';
INSERT INTO sqlite_sequence (name, seq) SELECT 'changes_11', seq FROM sqlite_sequence WHERE name = 'changes';
DROP TABLE changes;
ALTER TABLE changes_11 RENAME TO changes;
CREATE INDEX changes_at ON changes(at);
)sql"},
      // A unit's incidents over a period (a station's week in the incident
      // list, a scope on every list) read through the time index alone
      // visited every incident of the period in the whole database: 5.5 s
      // for a station's week at 20 M incidents (bench/scale). PostgreSQL has
      // had this index from its first migration.
      {12, "the incidents of a unit over a period, by index", R"sql(
CREATE INDEX incidents_unit_reported_at ON incidents(unit_code, reported_at);
)sql"},
      // Cases, the persons they name, measures, fugitives, fraud money and
      // dissuasion tasks (issue 20, store/case_store.h). Enums are kept by
      // their names, times in UTC seconds, money in fen. A person's fields
      // and a task's target phone are sealed like incident reporters';
      // persons.id_key is the keyed hash of the ID number (its normal form
      // without a cipher), NULL without one, so that persons without an ID
      // number never match. The change log is rebuilt as in migration 11 to
      // widen its kinds and add record_id, its rows and position kept. Its
      // tables are created IF NOT EXISTS: should migration 11 land after it
      // (numbers are reserved ahead), 11 rebuilds the log without record_id
      // and 13 must run again over tables it made.
      {13, "cases, persons, measures, fugitives, fraud money, dissuasion; their kinds in the change log", R"sql(
CREATE TABLE IF NOT EXISTS cases (
  id                 INTEGER PRIMARY KEY,
  source             TEXT NOT NULL,
  source_id          TEXT,                 -- NULL: a case typed in, keyed by its number alone
  case_number        TEXT NOT NULL UNIQUE,
  type_code          TEXT NOT NULL,
  case_class         TEXT NOT NULL,
  unit_code          TEXT NOT NULL,
  summary            TEXT NOT NULL DEFAULT '',
  opened_at          INTEGER NOT NULL,
  status             TEXT NOT NULL,
  investigating_at   INTEGER,
  solved_at          INTEGER,
  closed_unsolved_at INTEGER,
  withdrawn_at       INTEGER,
  flag_major         INTEGER NOT NULL DEFAULT 0,
  flag_gang          INTEGER NOT NULL DEFAULT 0,
  flag_task_force    INTEGER NOT NULL DEFAULT 0,
  flag_homicide      INTEGER NOT NULL DEFAULT 0,
  money_involved_fen INTEGER NOT NULL DEFAULT 0,
  UNIQUE (source, source_id)
);
CREATE INDEX IF NOT EXISTS cases_unit_opened_at ON cases(unit_code, opened_at);
CREATE INDEX IF NOT EXISTS cases_opened_at ON cases(opened_at);

CREATE TABLE IF NOT EXISTS case_incidents (
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  incident_id INTEGER NOT NULL,
  PRIMARY KEY (case_id, incident_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS case_steps (
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  seq         INTEGER NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS persons (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,              -- sealed
  id_number    TEXT,                       -- sealed
  phone        TEXT,                       -- sealed
  address      TEXT,                       -- sealed
  id_key       TEXT UNIQUE,                -- keyed hash of the ID number; NULL without one
  birth_date   TEXT,                       -- YYYY-MM-DD, from the ID number
  sex          TEXT,                       -- male, female
  personal_key TEXT                        -- the key that sealed the row, '' plain text
);
CREATE INDEX IF NOT EXISTS persons_personal_key ON persons(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE IF NOT EXISTS case_parties (
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  role      TEXT NOT NULL,
  added_at  INTEGER NOT NULL,
  actor     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, person_id, role)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_parties_person ON case_parties(person_id, case_id);

CREATE TABLE IF NOT EXISTS measures (
  id        INTEGER PRIMARY KEY,
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  kind      TEXT NOT NULL,
  at        INTEGER NOT NULL,
  unit_code TEXT NOT NULL,
  actor     TEXT NOT NULL DEFAULT '',
  note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS measures_case_person ON measures(case_id, person_id, at);

CREATE TABLE IF NOT EXISTS fugitives (
  id             INTEGER PRIMARY KEY,
  listing_number TEXT NOT NULL UNIQUE,
  person_id      INTEGER NOT NULL REFERENCES persons(id),
  case_id        INTEGER REFERENCES cases(id),
  listed_at      INTEGER NOT NULL,
  listing_unit   TEXT NOT NULL,
  status         TEXT NOT NULL,
  caught_at      INTEGER,
  caught_by_unit TEXT NOT NULL DEFAULT '',
  revoked_at     INTEGER,
  revoke_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS fugitives_person ON fugitives(person_id);

CREATE TABLE IF NOT EXISTS fugitive_steps (
  fugitive_id INTEGER NOT NULL REFERENCES fugitives(id),
  seq         INTEGER NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (fugitive_id, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS fraud_money (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  kind            TEXT NOT NULL,
  amount_fen      INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  unit_code       TEXT NOT NULL,
  actor           TEXT NOT NULL DEFAULT '',
  note            TEXT NOT NULL DEFAULT '',
  override_limit  INTEGER NOT NULL DEFAULT 0,
  override_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS fraud_money_case ON fraud_money(case_id, at);

CREATE TABLE IF NOT EXISTS dissuasion_tasks (
  id             INTEGER PRIMARY KEY,
  warning_number TEXT NOT NULL UNIQUE,
  unit_code      TEXT NOT NULL,
  issued_at      INTEGER NOT NULL,
  person_id      INTEGER REFERENCES persons(id),
  target_phone   TEXT,                     -- sealed
  status         TEXT NOT NULL,
  contacted_at   INTEGER,
  dissuaded_at   INTEGER,
  not_reached_at INTEGER,
  defrauded_at   INTEGER,
  case_id        INTEGER REFERENCES cases(id),
  personal_key   TEXT                      -- the key that sealed target_phone, '' plain, NULL none
);
CREATE INDEX IF NOT EXISTS dissuasion_unit_issued_at ON dissuasion_tasks(unit_code, issued_at);

CREATE TABLE IF NOT EXISTS dissuasion_steps (
  task_id     INTEGER NOT NULL REFERENCES dissuasion_tasks(id),
  seq         INTEGER NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;

CREATE TABLE changes_13 (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('incident', 'units', 'patrol', 'case', 'fugitive', 'dissuasion')),
  incident_id INTEGER,
  call_sign   TEXT,
  record_id   INTEGER,
  writer      TEXT NOT NULL
);
INSERT INTO changes_13 (seq, at, kind, incident_id, call_sign, writer)
  SELECT seq, at, kind, incident_id, call_sign, writer FROM changes;
DELETE FROM sqlite_sequence WHERE name = 'changes_13';
INSERT INTO sqlite_sequence (name, seq) SELECT 'changes_13', seq FROM sqlite_sequence WHERE name = 'changes';
DROP TABLE changes;
ALTER TABLE changes_13 RENAME TO changes;
CREATE INDEX changes_at ON changes(at);
)sql"},
      {14, "the method of a fraud case (电诈手法: 刷单返利, 冒充客服 ...), '' for none or not yet known", R"sql(
ALTER TABLE cases ADD COLUMN fraud_method TEXT NOT NULL DEFAULT '';
)sql"},
      // The base registry and its cameras (issue 21, store/registry_store.h;
      // rows in store/registry_rows.h). Codes unique, unit_code indexed for
      // the lists by unit subtree; dates 'YYYY-MM-DD'. A place's contact
      // name and phone and a resident's address are sealed like a
      // reporter's, personal_key naming their key; landlords, tenants and
      // residents are persons of migration 13. The change log is rebuilt as
      // in migration 13 to admit kind 'camera' (record_id: cameras.id).
      {15, "the base registry: cameras, places, enterprises, rental houses and tenancies, residents", R"sql(
CREATE TABLE cameras (
  id                INTEGER PRIMARY KEY,
  code              TEXT NOT NULL UNIQUE,
  name              TEXT NOT NULL,
  lat               REAL NOT NULL,
  lon               REAL NOT NULL,
  direction_deg     REAL,
  field_of_view_deg REAL,
  owner_kind        TEXT NOT NULL,
  owner_name        TEXT NOT NULL,
  unit_code         TEXT NOT NULL,
  stream_url        TEXT NOT NULL,
  status            TEXT NOT NULL
);
CREATE INDEX cameras_unit ON cameras(unit_code, code);

CREATE TABLE places (
  id             INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  category       TEXT NOT NULL,
  address        TEXT NOT NULL,
  lat            REAL NOT NULL,
  lon            REAL NOT NULL,
  unit_code      TEXT NOT NULL,
  licence_number TEXT NOT NULL DEFAULT '',
  contact_name   TEXT,
  contact_phone  TEXT,
  opened_on      TEXT,
  closed_on      TEXT,
  personal_key   TEXT
);
CREATE INDEX places_unit ON places(unit_code, code);
CREATE INDEX places_category ON places(category);
CREATE INDEX places_personal_key ON places(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE enterprises (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  credit_code TEXT NOT NULL,
  address     TEXT NOT NULL,
  lat         REAL NOT NULL,
  lon         REAL NOT NULL,
  unit_code   TEXT NOT NULL
);
CREATE INDEX enterprises_unit ON enterprises(unit_code, code);
CREATE INDEX enterprises_credit_code ON enterprises(credit_code);

CREATE TABLE rental_houses (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  address     TEXT NOT NULL,
  lat         REAL NOT NULL,
  lon         REAL NOT NULL,
  unit_code   TEXT NOT NULL,
  landlord_id INTEGER NOT NULL REFERENCES persons(id),
  rooms       INTEGER NOT NULL
);
CREATE INDEX rental_houses_unit ON rental_houses(unit_code, code);
CREATE INDEX rental_houses_landlord ON rental_houses(landlord_id);

CREATE TABLE rental_tenancies (
  house_id  INTEGER NOT NULL REFERENCES rental_houses(id),
  seq       INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  room      TEXT NOT NULL DEFAULT '',
  from_date TEXT NOT NULL,
  to_date   TEXT,
  PRIMARY KEY (house_id, seq)
) WITHOUT ROWID;
CREATE INDEX rental_tenancies_person ON rental_tenancies(person_id);

CREATE TABLE residents (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL UNIQUE REFERENCES persons(id),
  kind          TEXT NOT NULL,
  address       TEXT,
  house_code    TEXT NOT NULL DEFAULT '',
  unit_code     TEXT NOT NULL,
  registered_on TEXT NOT NULL,
  left_on       TEXT,
  personal_key  TEXT
);
CREATE INDEX residents_unit ON residents(unit_code, person_id);
CREATE INDEX residents_personal_key ON residents(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE changes_15 (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  kind        TEXT NOT NULL
              CHECK (kind IN ('incident', 'units', 'patrol', 'case', 'fugitive', 'dissuasion', 'camera')),
  incident_id INTEGER,
  call_sign   TEXT,
  record_id   INTEGER,
  writer      TEXT NOT NULL
);
INSERT INTO changes_15 (seq, at, kind, incident_id, call_sign, record_id, writer)
  SELECT seq, at, kind, incident_id, call_sign, record_id, writer FROM changes;
DELETE FROM sqlite_sequence WHERE name = 'changes_15';
INSERT INTO sqlite_sequence (name, seq) SELECT 'changes_15', seq FROM sqlite_sequence WHERE name = 'changes';
DROP TABLE changes;
ALTER TABLE changes_15 RENAME TO changes;
CREATE INDEX changes_at ON changes(at);
)sql"},
      {16, "ledger work items (台账条目) and their histories", R"sql(
CREATE TABLE ledger_items (
  id           INTEGER PRIMARY KEY,
  type_code    TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  unit_code    TEXT NOT NULL,
  officer_id   TEXT NOT NULL DEFAULT '',
  state        TEXT NOT NULL,
  fields       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  source       TEXT NOT NULL DEFAULT 'api',
  source_id    TEXT,
  personal_key TEXT,
  UNIQUE (source, source_id)
);
CREATE INDEX ledger_items_type_unit ON ledger_items(type_code, unit_code, created_at);
CREATE INDEX ledger_items_type_created ON ledger_items(type_code, created_at, id);
CREATE INDEX ledger_items_personal_key ON ledger_items(personal_key) WHERE personal_key IS NOT NULL;

CREATE TABLE ledger_steps (
  item_id    INTEGER NOT NULL REFERENCES ledger_items(id),
  seq        INTEGER NOT NULL,
  step       TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state   TEXT NOT NULL,
  actor      TEXT NOT NULL,
  at         INTEGER NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  changes    TEXT NOT NULL DEFAULT '[]',
  unit_code  TEXT NOT NULL DEFAULT '',
  officer_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (item_id, seq)
) WITHOUT ROWID;

-- The change log admits kind 'ledger' (record_id: ledger_items.id); the
-- triggers are the change log's (sqlite_change_log.cpp). The CHECK cannot
-- be altered in SQLite: the table is rebuilt with its rows, as in 15.
CREATE TABLE changes_16 (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  kind        TEXT NOT NULL
              CHECK (kind IN ('incident', 'units', 'patrol', 'case', 'fugitive', 'dissuasion', 'camera', 'ledger')),
  incident_id INTEGER,
  call_sign   TEXT,
  record_id   INTEGER,
  writer      TEXT NOT NULL
);
INSERT INTO changes_16 (seq, at, kind, incident_id, call_sign, record_id, writer)
  SELECT seq, at, kind, incident_id, call_sign, record_id, writer FROM changes;
DELETE FROM sqlite_sequence WHERE name = 'changes_16';
INSERT INTO sqlite_sequence (name, seq) SELECT 'changes_16', seq FROM sqlite_sequence WHERE name = 'changes';
DROP TABLE changes;
ALTER TABLE changes_16 RENAME TO changes;
CREATE INDEX changes_at ON changes(at);
)sql"},
      // The ledger scheduler's reminders and escalations (issue 21,
      // store/ledger_notice_store.h): one row per event. The key includes
      // the clock's start, so a deadline restarted (a hazard sent back to
      // 整改) warns again for its new run; level 0 is the reminder.
      {17, "ledger notices: the reminders and escalations (催办, 督办, 挂牌督办) of ledger deadlines", R"sql(
CREATE TABLE ledger_notices (
  id         INTEGER PRIMARY KEY,
  item_id    INTEGER NOT NULL REFERENCES ledger_items(id),
  type_code  TEXT NOT NULL,
  unit_code  TEXT NOT NULL,
  deadline   TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('remind', 'escalate')),
  level      INTEGER NOT NULL,
  due_at     INTEGER NOT NULL,
  noticed_at INTEGER NOT NULL,
  UNIQUE (item_id, deadline, started_at, kind, level)
);
CREATE INDEX ledger_notices_unit ON ledger_notices(unit_code, due_at);
CREATE INDEX ledger_notices_due ON ledger_notices(due_at, id);
)sql"},
  };
  return kMigrations;
}

}  // namespace pingan::sqlite
