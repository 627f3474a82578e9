-- Documents (espace documentaire): people's folders, the record of every uploaded file (other
-- modules reference files by id: message attachments, homework, hand-ins), and what is shared
-- with which class or group. File contents live in the BlobStore under their SHA-256.

-- A person's folders, nested to any depth; a name is unique (case-insensitively) among siblings.
CREATE TABLE folders (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  school_id   uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  parent_id   uuid REFERENCES folders(id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX folders_name_key
  ON folders (owner_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
CREATE INDEX folders_parent ON folders (parent_id);

-- THE record of an uploaded file. Deleting is soft (deleted_at) so that rows of other modules
-- pointing here stay valid; the owner's quota counts only files not deleted.
CREATE TABLE files (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  school_id     uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size          integer NOT NULL CHECK (size >= 0),
  content_type  text NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  folder_id     uuid REFERENCES folders(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);
CREATE INDEX files_owner ON files (owner_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX files_folder ON files (folder_id) WHERE deleted_at IS NULL;
CREATE INDEX files_sha256 ON files (sha256);

-- A file OR a folder (with everything inside it) shared with a class or group.
CREATE TABLE shares (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  file_id     uuid REFERENCES files(id) ON DELETE CASCADE,
  folder_id   uuid REFERENCES folders(id) ON DELETE CASCADE,
  class_id    uuid NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  shared_by   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  shared_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((file_id IS NULL) <> (folder_id IS NULL))
);
CREATE UNIQUE INDEX shares_file_class ON shares (file_id, class_id) WHERE file_id IS NOT NULL;
CREATE UNIQUE INDEX shares_folder_class ON shares (folder_id, class_id) WHERE folder_id IS NOT NULL;
CREATE INDEX shares_class ON shares (class_id, shared_at DESC);
