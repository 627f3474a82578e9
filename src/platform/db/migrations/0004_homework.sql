-- Homework (cahier de textes): what was done in each lesson, what is to do for a given date, and
-- the pupils' hand-ins for the items that ask for one. Dates of lessons and due dates are
-- calendar dates; the deadline instant is computed in the school's time zone (Europe/Paris).

-- A lesson entry (« Séance ») of a class or group in a subject: what was done that day.
CREATE TABLE homework_lessons (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  school_id     uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  class_id      uuid NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  subject_code  text NOT NULL REFERENCES subjects(code),
  teacher_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  lesson_date   date NOT NULL,
  content       text NOT NULL CHECK (length(btrim(content)) > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX homework_lessons_class ON homework_lessons (class_id, subject_code, lesson_date);

-- A homework item: what is to do for a due date (optionally a time), possibly asking for a
-- hand-in. `due_at` is the deadline instant: the due time, or the end of the due day, in Paris.
CREATE TABLE homework_items (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  school_id            uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  class_id             uuid NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  subject_code         text NOT NULL REFERENCES subjects(code),
  teacher_id           uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  instructions         text NOT NULL CHECK (length(btrim(instructions)) > 0),
  due_date             date NOT NULL,
  due_time             time,
  due_at               timestamptz NOT NULL
                         GENERATED ALWAYS AS ((due_date + coalesce(due_time, time '23:59')) AT TIME ZONE 'Europe/Paris') STORED,
  requires_submission  boolean NOT NULL DEFAULT false,
  closed_at            timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX homework_items_class_due ON homework_items (class_id, due_date);
CREATE INDEX homework_items_teacher ON homework_items (teacher_id, due_date) WHERE requires_submission;

-- Files attached to a homework item (the files belong to the documents module).
CREATE TABLE homework_attachments (
  homework_id  uuid NOT NULL REFERENCES homework_items(id) ON DELETE CASCADE,
  file_id      uuid NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  position     smallint NOT NULL,
  PRIMARY KEY (homework_id, file_id)
);
CREATE INDEX homework_attachments_file ON homework_attachments (file_id);

-- One current hand-in per pupil and item, replaced (version + 1) until the teacher reviews it.
CREATE TABLE homework_submissions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  homework_id   uuid NOT NULL REFERENCES homework_items(id) ON DELETE CASCADE,
  pupil_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  text          text NOT NULL DEFAULT '',
  version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  submitted_at  timestamptz NOT NULL,
  feedback      text,
  mark          numeric(3, 1) CHECK (mark >= 0 AND mark <= 20),
  reviewed_at   timestamptz,
  reviewed_by   uuid REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (homework_id, pupil_id)
);
CREATE INDEX homework_submissions_pupil ON homework_submissions (pupil_id);

CREATE TABLE homework_submission_files (
  submission_id  uuid NOT NULL REFERENCES homework_submissions(id) ON DELETE CASCADE,
  file_id        uuid NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  position       smallint NOT NULL,
  PRIMARY KEY (submission_id, file_id)
);
CREATE INDEX homework_submission_files_file ON homework_submission_files (file_id);
