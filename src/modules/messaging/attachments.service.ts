/** Attachments: the sender's own uploaded files, checked when sending; downloads for the message's people only. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import { findOwnedFiles } from '../documents/index.ts';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './messaging.schemas.ts';
import * as store from './messaging.store.ts';
import type { MessagingDeps } from './send.service.ts';

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;

/**
 * The files to attach, in the order given: at most 5, 20 Mo in all, each one the sender
 * uploaded (unknown ids and other people's files are « introuvable », never described).
 */
export async function checkAttachments(db: Kysely<DB>, actor: Actor, ids: readonly string[] | undefined): Promise<string[]> {
  const wanted = [...new Set(ids ?? [])];
  if (wanted.length === 0) return [];
  if (wanted.length > MAX_ATTACHMENTS) {
    throw new AppError('VALIDATION', { message: `Un message peut porter ${MAX_ATTACHMENTS} pièces jointes au plus : retirez-en ${wanted.length - MAX_ATTACHMENTS}.` });
  }
  const files = await findOwnedFiles(db, actor.userId, wanted);
  if (files.length < wanted.length) {
    throw new AppError('NOT_FOUND', { message: 'Pièce jointe introuvable : joignez des fichiers que vous avez vous-même déposés.' });
  }
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > MAX_ATTACHMENT_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', {
      message: `Les pièces jointes pèsent ${megabytes(total)} : 20 Mo au plus par message. Retirez-en ou partagez les plus lourdes depuis vos documents.`,
    });
  }
  return wanted;
}

export interface AttachmentDownload {
  sha256: string;
  size: number;
  contentType: string;
  name: string;
}

/** A file attached to a message, for its sender and its recipients only (others: 404). */
export async function getAttachment(deps: MessagingDeps, actor: Actor, messageId: string, fileId: string): Promise<AttachmentDownload> {
  const row = await store.findAttachment(deps.db, actor.userId, messageId, fileId);
  if (!row) throw notFound('Pièce jointe');
  authorize(actor, 'messaging.message.read', { senderId: row.senderId, recipientIds: row.isRecipient ? [actor.userId] : [] });
  return { sha256: row.sha256, size: row.size, contentType: row.contentType, name: row.name };
}
