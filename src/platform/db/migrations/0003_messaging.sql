-- Messaging (messagerie): threads of messages between the people of a school, who may write to
-- whom per school, and each person's own copy of every message they sent or received (read,
-- archived, deleted for themselves). A message to a whole class is one `messages` row and one
-- INSERT … SELECT of its copies.

-- Who may write to whom in a school, overriding the built-in defaults (see messaging.rules.ts).
-- Roles are the messaging roles: pupil, parent, teacher, staff (principal, CPE, school admin).
-- reach: none (never), linked (people who share a class with the writer: their teachers, their
-- classmates, their children's classes…), school (anyone of that role in the school).
CREATE TABLE messaging_rules (
  school_id   uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  from_role   text NOT NULL CHECK (from_role IN ('pupil', 'parent', 'teacher', 'staff')),
  to_role     text NOT NULL CHECK (to_role IN ('pupil', 'parent', 'teacher', 'staff')),
  reach       text NOT NULL CHECK (reach IN ('none', 'linked', 'school')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES users(id) ON DELETE SET NULL,
  PRIMARY KEY (school_id, from_role, to_role),
  -- Staff have no classes: between staff and anyone, the choice is none or the whole school.
  CHECK (reach <> 'linked' OR (from_role <> 'staff' AND to_role <> 'staff'))
);

-- Lower case without accents, so that « eleve » finds « Élève » (PGlite has no unaccent).
CREATE FUNCTION messaging_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT translate(lower(value), 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿ', 'aaaaaaceeeeiiiinooooouuuuyy') $$;

CREATE TABLE message_threads (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  school_id   uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  subject     text NOT NULL CHECK (length(btrim(subject)) BETWEEN 1 AND 200),
  created_by  uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  search      tsvector GENERATED ALWAYS AS (to_tsvector('french', messaging_fold(subject))) STORED
);

-- `audience` is what the writer addressed, for display and for reply-all:
-- {"groups": [{"kind", "classId", "className", "label"}], "people": [{"id", "firstName", "lastName"}]}.
-- The people behind a group are those of the class when the message was sent (message_copies).
CREATE TABLE messages (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  thread_id        uuid NOT NULL REFERENCES message_threads(id) ON DELETE CASCADE,
  sender_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  in_reply_to      uuid REFERENCES messages(id) ON DELETE SET NULL,
  body             text NOT NULL CHECK (length(btrim(body)) > 0 AND length(body) <= 20000),
  audience         jsonb NOT NULL,
  recipient_count  integer NOT NULL DEFAULT 0,
  sent_at          timestamptz NOT NULL DEFAULT now(),
  search           tsvector GENERATED ALWAYS AS (to_tsvector('french', messaging_fold(body))) STORED
);
CREATE INDEX messages_thread ON messages (thread_id, sent_at);
CREATE INDEX messages_search ON messages USING gin (search);

-- Each person's copy of a message: one per recipient, and one for the sender (is_sender, read).
-- thread_id and sent_at are copied from the message so that an inbox is read from this table.
CREATE TABLE message_copies (
  message_id   uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  thread_id    uuid NOT NULL REFERENCES message_threads(id) ON DELETE CASCADE,
  sent_at      timestamptz NOT NULL,
  is_sender    boolean NOT NULL,
  read_at      timestamptz,
  archived_at  timestamptz,
  deleted_at   timestamptz,
  PRIMARY KEY (message_id, user_id)
);
CREATE INDEX message_copies_inbox ON message_copies (user_id, thread_id, sent_at) WHERE deleted_at IS NULL;
CREATE INDEX message_copies_unread ON message_copies (user_id) WHERE read_at IS NULL AND deleted_at IS NULL;

-- Files attached to a message (uploaded by its sender through the documents module; a file the
-- sender later deletes from their documents stays readable here: files are deleted softly).
CREATE TABLE message_attachments (
  message_id  uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  file_id     uuid NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  position    smallint NOT NULL,
  PRIMARY KEY (message_id, file_id)
);
CREATE INDEX message_attachments_file ON message_attachments (file_id);
