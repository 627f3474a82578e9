/**
 * Garbage collection of file contents: removes blobs that no record can reach any more
 * (`npm run preau -- blobs-gc [--dry-run]`). Files are deleted softly (`files.deleted_at`), so
 * that message attachments and homework keep working; a blob is still needed while any `files`
 * row with its hash is
 *   - not deleted, or
 *   - attached to homework (instructions or a pupil's hand-in), or
 *   - attached to a message that someone still has (a copy not deleted).
 * Anything else (deleted documents, attachments of messages every participant deleted, uploads
 * refused after storing, contents with no row at all) goes.
 *
 * Safety: blobs written in the last `marginMs` (1 hour) are never touched, whatever the database
 * says — an upload stores its blob before its row exists. A new upload of contents already stored
 * refreshes the blob's time (both stores do), and the final delete is conditional on that time, so
 * contents uploaded again while the collector runs are kept. Do not run it during a backup.
 * New tables that point at `files` must be added to LIVE_SQL below.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { BlobStore } from './blob-store.ts';

export interface BlobsGcOptions {
  /** Report what would go, delete nothing. */
  dryRun: boolean;
  /** Blobs written more recently than this are kept (default one hour). */
  marginMs?: number;
  now?: Date;
}

export interface BlobsGcReport {
  /** Blobs in the store. */
  scanned: number;
  /** Written within the margin: kept without asking. */
  recent: number;
  /** Still needed by a record. */
  referenced: number;
  /** Removed (or, with dryRun, that would be). */
  removed: number;
  removedBytes: number;
  /** Found unreferenced but written again meanwhile: kept. */
  rescued: number;
}

const BATCH = 1000;

/** Of `hashes`, those some record still needs. */
async function stillNeeded(db: Kysely<DB>, hashes: string[]): Promise<Set<string>> {
  const { rows } = await sql<{ sha256: string }>`
    SELECT DISTINCT f.sha256 FROM files f
    WHERE f.sha256 = ANY(${hashes}::text[])
      AND (f.deleted_at IS NULL
        OR EXISTS (SELECT 1 FROM homework_attachments h WHERE h.file_id = f.id)
        OR EXISTS (SELECT 1 FROM homework_submission_files s WHERE s.file_id = f.id)
        OR EXISTS (SELECT 1 FROM message_attachments a
                   JOIN message_copies c ON c.message_id = a.message_id AND c.deleted_at IS NULL
                   WHERE a.file_id = f.id))`.execute(db);
  return new Set(rows.map((r) => r.sha256));
}

export async function collectBlobGarbage(db: Kysely<DB>, blobs: BlobStore, options: BlobsGcOptions): Promise<BlobsGcReport> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.marginMs ?? 3600_000));
  const report: BlobsGcReport = { scanned: 0, recent: 0, referenced: 0, removed: 0, removedBytes: 0, rescued: 0 };

  // Listed first, then asked about: a reference added after the question is covered by the
  // blob's refreshed time, checked again at the delete.
  let batch: { sha256: string; size: number }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const needed = await stillNeeded(
      db,
      batch.map((b) => b.sha256),
    );
    for (const blob of batch) {
      if (needed.has(blob.sha256)) {
        report.referenced += 1;
        continue;
      }
      if (!options.dryRun) {
        await blobs.delete(blob.sha256, { unlessModifiedAfter: cutoff });
        if ((await blobs.stat(blob.sha256)) !== null) {
          report.rescued += 1;
          continue;
        }
      }
      report.removed += 1;
      report.removedBytes += blob.size;
    }
    batch = [];
  };

  for await (const blob of blobs.list()) {
    report.scanned += 1;
    if (blob.modifiedAt.getTime() > cutoff.getTime()) {
      report.recent += 1;
      continue;
    }
    batch.push(blob);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return report;
}

/** The report in French, one line per figure, for the command line. */
export function formatBlobsGcReport(report: BlobsGcReport, dryRun: boolean): string {
  const mo = (bytes: number): string => `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
  const lines = [
    `Contenus examinés : ${report.scanned}`,
    `  récents (moins d'une heure, gardés) : ${report.recent}`,
    `  encore utilisés : ${report.referenced}`,
    dryRun
      ? `  à supprimer (simulation, rien n'est supprimé) : ${report.removed} (${mo(report.removedBytes)})`
      : `  supprimés : ${report.removed} (${mo(report.removedBytes)})`,
  ];
  if (report.rescued > 0) lines.push(`  déposés à nouveau pendant le nettoyage, gardés : ${report.rescued}`);
  return `${lines.join('\n')}\n`;
}
