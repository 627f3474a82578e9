-- Regions, schools, classes and groups, people, their roles, and how they are linked.
CREATE TABLE regions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL
);

CREATE TABLE schools (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_id   uuid NOT NULL REFERENCES regions(id),
  uai         char(8) NOT NULL UNIQUE CHECK (uai ~ '^[0-9]{7}[A-Z]$'),
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('ecole', 'college', 'lycee')),
  city        text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  login          text NOT NULL,
  first_name     text NOT NULL,
  last_name      text NOT NULL,
  email          text,
  birth_date     date,
  locale         text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
  password_hash  text,
  activated_at   timestamptz,
  disabled_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_login_key ON users (lower(login));

-- A person's roles. school_id is null only for the platform operator.
CREATE TABLE role_assignments (
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('pupil', 'parent', 'teacher', 'principal', 'cpe', 'school_admin', 'operator')),
  school_id   uuid REFERENCES schools(id) ON DELETE CASCADE,
  CHECK ((role = 'operator') = (school_id IS NULL))
);
CREATE UNIQUE INDEX role_assignments_key
  ON role_assignments (user_id, role, coalesce(school_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX role_assignments_school ON role_assignments (school_id, role);

-- The school's own identifier for a person (SIECLE/STS id, or the import file's), so that
-- re-importing the same file finds the same account.
CREATE TABLE school_people (
  school_id    uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  external_id  text NOT NULL,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (school_id, external_id)
);
CREATE INDEX school_people_user ON school_people (user_id);

-- Classes (a pupil is in exactly one per school) and groups (options, languages, half-classes).
CREATE TABLE classes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  school_id   uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  kind        text NOT NULL DEFAULT 'class' CHECK (kind IN ('class', 'group')),
  name        text NOT NULL,
  level       text NOT NULL DEFAULT '',
  UNIQUE (school_id, name)
);

CREATE TABLE class_members (
  class_id   uuid NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  pupil_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (class_id, pupil_id)
);
CREATE INDEX class_members_pupil ON class_members (pupil_id);

CREATE TABLE parent_links (
  parent_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  child_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (parent_id, child_id),
  CHECK (parent_id <> child_id)
);
CREATE INDEX parent_links_child ON parent_links (child_id);

CREATE TABLE subjects (
  code   text PRIMARY KEY,
  label  text NOT NULL
);

CREATE TABLE teaching_assignments (
  teacher_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  class_id      uuid NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  subject_code  text NOT NULL REFERENCES subjects(code),
  PRIMARY KEY (teacher_id, class_id, subject_code)
);
CREATE INDEX teaching_assignments_class ON teaching_assignments (class_id);

-- One live activation code per account, stored as a hash; shown once to the school admin.
CREATE TABLE activation_codes (
  user_id     uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  code_hash   text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  uuid REFERENCES users(id) ON DELETE SET NULL
);

-- Device sessions ("remember this device"). The cookie is signed; this row makes it listable and
-- revocable. Rows of expired sessions are swept.
CREATE TABLE sessions (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  remember      boolean NOT NULL,
  user_agent    text NOT NULL DEFAULT '',
  ip            text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

INSERT INTO subjects (code, label) VALUES
  ('FRANCAIS', 'Français'), ('MATHS', 'Mathématiques'), ('HISTGEO', 'Histoire-géographie'),
  ('ANGLAIS', 'Anglais'), ('ESPAGNOL', 'Espagnol'), ('ALLEMAND', 'Allemand'), ('SVT', 'SVT'),
  ('PHYSCHIM', 'Physique-chimie'), ('TECHNO', 'Technologie'), ('EPS', 'EPS'),
  ('ARTS', 'Arts plastiques'), ('MUSIQUE', 'Éducation musicale'), ('LATIN', 'Latin'), ('EMC', 'EMC');
