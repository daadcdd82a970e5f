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
  };
  return kMigrations;
}

}  // namespace pingan::sqlite
