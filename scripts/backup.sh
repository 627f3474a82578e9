#!/usr/bin/env bash
# Préau backup: the PostgreSQL database (pg_dump, custom format) and the file contents.
#
#   DATABASE_URL=postgres://… [STORAGE=local] [BLOBS_DIR=… | DATA_DIR=…] scripts/backup.sh [DESTINATION]
#
# Writes DESTINATION/preau-<UTC time>/ (DESTINATION defaults to ./backups) holding:
#   database.dump   pg_dump --format=custom: one consistent snapshot, restored by scripts/restore.sh
#   blobs.tar       the local blob folder (STORAGE=local), taken AFTER the dump, so every file the
#                   dump names is in it (blobs are immutable and content-addressed; do not run
#                   `preau blobs-gc` at the same time)
#   SHA256SUMS      checksums of the two, checked by restore.sh before it touches anything
#   backup.txt      what, when, from where
# With STORAGE=s3 the bucket is not copied: keep versioning on (and replication to another site),
# or mirror it with the command printed at the end. Exit status 0 only when everything is written.
set -euo pipefail

fail() { printf 'Sauvegarde impossible : %s\n' "$*" >&2; exit 1; }

[[ -n "${DATABASE_URL:-}" ]] || fail "DATABASE_URL est vide (la base PostgreSQL à sauvegarder, postgres://…)."
command -v pg_dump >/dev/null || fail "pg_dump est introuvable (paquet postgresql-client, même version majeure que le serveur ou plus récente)."
storage="${STORAGE:-local}"
case "$storage" in
  local) blobs_dir="${BLOBS_DIR:-${DATA_DIR:-data}/blobs}" ;;
  s3) blobs_dir="" ;;
  *) fail "STORAGE=\"$storage\" : attendu local ou s3." ;;
esac

destination="${1:-backups}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$destination/preau-$stamp"
[[ ! -e "$target" ]] || fail "$target existe déjà."
mkdir -p "$target"
partial=1
cleanup() {
  if [[ $partial == 1 ]]; then
    rm -rf "$target"
    printf 'Sauvegarde incomplète supprimée : %s\n' "$target" >&2
  fi
}
trap cleanup EXIT

# 1. The database: one transaction-consistent snapshot, compressed.
pg_dump --format=custom --compress=6 --no-password --file="$target/database.dump" --dbname="$DATABASE_URL" \
  || fail "pg_dump a échoué (voir le message ci-dessus)."

# 2. The file contents, after the dump. Temporary files of uploads in flight are skipped; a blob
#    removed while tar reads (exit status 1, "file changed/removed") is not one the dump needs.
blob_count=0
if [[ "$storage" == local ]]; then
  [[ -d "$blobs_dir" ]] || fail "le dossier des fichiers $blobs_dir n'existe pas (BLOBS_DIR ou DATA_DIR)."
  set +e
  tar --create --file="$target/blobs.tar" --directory="$blobs_dir" --exclude='.incoming-*' --warning=no-file-changed --warning=no-file-removed .
  tar_status=$?
  set -e
  (( tar_status <= 1 )) || fail "tar a échoué (code $tar_status) en lisant $blobs_dir."
  blob_count=$(tar --list --file="$target/blobs.tar" | grep -cE '/[0-9a-f]{64}$' || true)
fi

# 3. Checksums and a description.
(cd "$target" && sha256sum database.dump $([[ -f blobs.tar ]] && echo blobs.tar) > SHA256SUMS)
{
  echo "préau-sauvegarde 1"
  echo "date: $stamp"
  echo "base: $(sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$DATABASE_URL")"
  echo "stockage: $storage"
  [[ "$storage" == local ]] && echo "fichiers: $blob_count (depuis $blobs_dir)"
  [[ "$storage" == s3 ]] && echo "fichiers: compartiment S3 ${S3_BUCKET:-?} non copié (versionnage et réplication du compartiment)"
} > "$target/backup.txt"

partial=0
printf 'Sauvegarde écrite : %s (base : %s' "$target" "$(du -h "$target/database.dump" | cut -f1)"
[[ "$storage" == local ]] && printf ', %s fichiers' "$blob_count"
printf ')\n'
if [[ "$storage" == s3 ]]; then
  cat <<EOF
Fichiers : le compartiment ${S3_BUCKET:-<S3_BUCKET>} n'est pas copié par ce script. Gardez le versionnage
activé et une réplication vers un autre site ; pour une copie hors ligne (incrémentale : les objets ne
changent jamais) :
  aws s3 sync s3://${S3_BUCKET:-<S3_BUCKET>} "$target/blobs" ${S3_ENDPOINT:+--endpoint-url $S3_ENDPOINT}
EOF
fi
