#!/usr/bin/env bash
# Préau restore: a backup written by scripts/backup.sh into a FRESH database and a blob folder.
#
#   DATABASE_URL=postgres://…/nouvelle_base [STORAGE=local] [BLOBS_DIR=… | DATA_DIR=…] scripts/restore.sh BACKUP_DIR
#
# 1. checks SHA256SUMS (a damaged copy is refused before anything is written);
# 2. refuses a database that already has tables (create it first: createdb, or CREATE DATABASE);
# 3. pg_restore (no owners or grants from the old server: the connecting role owns everything);
# 4. puts the blobs back (existing identical files are kept: names are the hash of the contents);
# 5. checks that every file the database names is in the blob folder.
# Then start Préau on this DATABASE_URL: migrations newer than the backup run at boot.
set -euo pipefail

fail() { printf 'Restauration impossible : %s\n' "$*" >&2; exit 1; }
psql_value() { psql --no-psqlrc --no-password --quiet --tuples-only --no-align --dbname="$DATABASE_URL" --command="$1"; }

backup="${1:-}"
[[ -n "$backup" ]] || fail "indiquez le dossier de sauvegarde (scripts/restore.sh backups/preau-…)."
[[ -f "$backup/database.dump" && -f "$backup/SHA256SUMS" ]] || fail "$backup ne contient pas database.dump et SHA256SUMS (est-ce une sauvegarde de scripts/backup.sh ?)."
[[ -n "${DATABASE_URL:-}" ]] || fail "DATABASE_URL est vide (la base PostgreSQL, neuve, où restaurer)."
for tool in pg_restore psql sha256sum tar; do command -v "$tool" >/dev/null || fail "$tool est introuvable."; done
storage="${STORAGE:-local}"
case "$storage" in
  local) blobs_dir="${BLOBS_DIR:-${DATA_DIR:-data}/blobs}" ;;
  s3) blobs_dir="" ;;
  *) fail "STORAGE=\"$storage\" : attendu local ou s3." ;;
esac

# 1. Integrity of the copy.
(cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS) || fail "les sommes de contrôle ne correspondent pas : la sauvegarde $backup est abîmée."

# 2. A fresh database only: restoring over live data would mix two histories.
tables=$(psql_value "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
  || fail "connexion à la base impossible (DATABASE_URL). Créez-la d'abord : createdb …"
[[ "$tables" == 0 ]] || fail "la base contient déjà $tables tables ; restaurez dans une base neuve (CREATE DATABASE …)."

# 3. The database.
pg_restore --no-owner --no-privileges --exit-on-error --no-password --dbname="$DATABASE_URL" "$backup/database.dump" \
  || fail "pg_restore a échoué (voir le message ci-dessus) ; supprimez la base et recommencez."

# 4. The file contents.
if [[ "$storage" == local ]]; then
  if [[ -f "$backup/blobs.tar" ]]; then
    mkdir -p "$blobs_dir"
    tar --extract --file="$backup/blobs.tar" --directory="$blobs_dir" --skip-old-files --no-same-owner \
      || fail "l'extraction des fichiers dans $blobs_dir a échoué."
  else
    printf 'Attention : la sauvegarde ne contient pas de fichiers (blobs.tar) ; copiez-les à part dans %s.\n' "$blobs_dir" >&2
  fi
  # 5. Every file row must find its contents.
  missing=0
  while read -r sha; do
    [[ -z "$sha" ]] && continue
    [[ -f "$blobs_dir/${sha:0:2}/${sha:2:2}/$sha" ]] || { missing=$((missing + 1)); printf 'Contenu manquant : %s\n' "$sha" >&2; }
  done < <(psql_value "SELECT DISTINCT sha256 FROM files")
  (( missing == 0 )) || fail "$missing contenus de fichiers manquent dans $blobs_dir (la base est restaurée, les fichiers non)."
else
  printf 'STORAGE=s3 : les fichiers restent dans le compartiment %s (ou restaurez-le depuis sa réplique / ses versions).\n' "${S3_BUCKET:-<S3_BUCKET>}"
fi

files=$(psql_value "SELECT count(*) FROM files")
users=$(psql_value "SELECT count(*) FROM users")
printf 'Restauration terminée : %s comptes, %s fichiers. Démarrez Préau sur cette base (les migrations plus récentes passeront au démarrage).\n' "$users" "$files"
