/** Size wording and the one PAYLOAD_TOO_LARGE error shared by every BlobStore and upload path. */
import { AppError } from '../../shared/errors.ts';

const MEGABYTE = 1024 * 1024;

/** « 20 Mo », « 1,5 Mo », « 0,2 Mo »: a byte count as people read it (1 Mo = 1 048 576 octets), rounded down. */
export function formatMegabytes(bytes: number): string {
  const mo = Math.max(0, bytes) / MEGABYTE;
  const rounded = mo >= 10 ? Math.floor(mo) : Math.floor(mo * 10) / 10;
  return `${rounded.toLocaleString('fr-FR')} Mo`;
}

/** AppError PAYLOAD_TOO_LARGE (413) naming the limit in Mo, or with a caller's own message. */
export function fileTooLarge(maxBytes: number, message?: string): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', {
    message: message ?? `Le fichier dépasse la taille maximale autorisée (${formatMegabytes(maxBytes)}).`,
    details: { maxBytes },
  });
}
