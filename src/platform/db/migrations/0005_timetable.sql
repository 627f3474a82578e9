-- Timetable: weekly recurring lessons, exceptions per occurrence, virtual-class presence, and the
-- private calendar feeds. An occurrence is never stored: it is a lesson on a date, computed for the
-- range asked (timetable/occurrences.ts); only what differs from the rule is a row (exceptions).

-- A weekly lesson of a class or group. Times are wall-clock times in `time_zone` (the school's),
-- so 8:00 stays 8:00 across the changes to and from summer time.
CREATE TABLE timetable_lessons (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  school_id     uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  class_id      uuid NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  subject_code  text NOT NULL REFERENCES subjects(code),
  teacher_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  room          text NOT NULL DEFAULT '' CHECK (length(room) <= 60),
  -- ISO weekday: 1 = Monday … 7 = Sunday.
  weekday       smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts_at     time NOT NULL,
  ends_at       time NOT NULL,
  time_zone     text NOT NULL DEFAULT 'Europe/Paris',
  valid_from    date NOT NULL,
  valid_to      date NOT NULL,
  -- Semaine A (odd ISO weeks) or B (even ISO weeks); null: every week.
  week_parity   text CHECK (week_parity IN ('A', 'B')),
  -- The virtual class: a plain https link, or a room of a video provider.
  virtual_kind  text CHECK (virtual_kind IN ('url', 'jitsi', 'bbb')),
  virtual_url   text CHECK (virtual_url LIKE 'https://%'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (valid_to >= valid_from),
  CHECK ((virtual_kind IS NOT DISTINCT FROM 'url') = (virtual_url IS NOT NULL))
);
CREATE INDEX timetable_lessons_class ON timetable_lessons (class_id, weekday);
CREATE INDEX timetable_lessons_teacher ON timetable_lessons (teacher_id, weekday);
CREATE INDEX timetable_lessons_school ON timetable_lessons (school_id);

-- What differs for one occurrence (the lesson on `occurs_on`, its scheduled date): cancelled with
-- a reason, moved (new date and times, and/or room), a substitute teacher, its own virtual class.
CREATE TABLE timetable_exceptions (
  lesson_id      uuid NOT NULL REFERENCES timetable_lessons(id) ON DELETE CASCADE,
  occurs_on      date NOT NULL,
  cancelled      boolean NOT NULL DEFAULT false,
  cancel_reason  text CHECK (length(cancel_reason) <= 300),
  moved_on       date,
  moved_start    time,
  moved_end      time,
  moved_room     text CHECK (length(moved_room) <= 60),
  substitute_id  uuid REFERENCES users(id) ON DELETE SET NULL,
  virtual_kind   text CHECK (virtual_kind IN ('url', 'jitsi', 'bbb')),
  virtual_url    text CHECK (virtual_url LIKE 'https://%'),
  updated_by     uuid REFERENCES users(id) ON DELETE SET NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (lesson_id, occurs_on),
  CHECK ((moved_on IS NULL) = (moved_start IS NULL) AND (moved_start IS NULL) = (moved_end IS NULL)),
  CHECK (moved_end > moved_start),
  CHECK ((virtual_kind IS NOT DISTINCT FROM 'url') = (virtual_url IS NOT NULL))
);
CREATE INDEX timetable_exceptions_moved ON timetable_exceptions (moved_on) WHERE moved_on IS NOT NULL;
CREATE INDEX timetable_exceptions_substitute ON timetable_exceptions (substitute_id) WHERE substitute_id IS NOT NULL;

-- Who joined the virtual class of an occurrence: the first time only (joining again changes nothing).
CREATE TABLE timetable_presence (
  lesson_id  uuid NOT NULL REFERENCES timetable_lessons(id) ON DELETE CASCADE,
  occurs_on  date NOT NULL,
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('moderator', 'attendee')),
  joined_at  timestamptz NOT NULL,
  PRIMARY KEY (lesson_id, occurs_on, user_id)
);

-- One private calendar feed per person. The token in the URL is an HMAC (server secret) of the
-- person and a random nonce: the database keeps the nonce and the token's SHA-256 only, so a copy
-- of the database alone gives no feed away. Regenerating replaces the row; revoking deletes it.
CREATE TABLE timetable_calendar_feeds (
  user_id     uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  nonce       text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
