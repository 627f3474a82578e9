/**
 * BigBlueButton through its API (docs.bigbluebutton.org/development/api): every call is
 * `<server>/bigbluebutton/api/<call>?<query>&checksum=<hex>` where the checksum is SHA-1 or
 * SHA-256 of callName + query string + shared secret. `create` is made server-to-server (it is
 * idempotent: a running meeting answers SUCCESS with its createTime); `join` is a URL the person's
 * browser opens, signed here, with role=MODERATOR|VIEWER (BigBlueButton 2.4+) and the createTime,
 * so a join link cannot be reused for a later meeting of the same lesson.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import type { RoomRequest, VideoProvider, VideoRoom, VideoRole, VideoUser } from './video-provider.ts';

export type ChecksumAlgorithm = 'sha1' | 'sha256';

/** The checksum of an API call, as the BigBlueButton API specifies it. */
export function bbbChecksum(callName: string, queryString: string, secret: string, algorithm: ChecksumAlgorithm): string {
  return createHash(algorithm).update(callName + queryString + secret).digest('hex');
}

/** Reads `<tag>value</tag>` from a BigBlueButton XML answer (flat, well known tags only). */
export function xmlTag(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!m) return null;
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return m[1]!.trim().replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => entities[e] ?? '');
}

/** meetingID of an occurrence: 2 to 256 characters, no comma. */
export const meetingIdOf = (request: RoomRequest): string => `preau-${request.lessonId}-${request.date}`;

/** Meeting names must be 2 to 64 characters. */
const meetingName = (title: string): string => (title.length > 64 ? `${title.slice(0, 63)}…` : title.padEnd(2, '.'));

export interface BigBlueButtonOptions {
  /** The URL `bbb-conf --secret` prints, e.g. https://bbb.example.org/bigbluebutton/ */
  url: string;
  secret: string;
  checksumAlgorithm: ChecksumAlgorithm;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const unavailable = (message: string, details?: unknown): AppError =>
  new AppError('UNAVAILABLE', { message, details, retryAfterSeconds: 30 });

export class BigBlueButtonProvider implements VideoProvider {
  readonly kind = 'bbb' as const;
  private readonly apiBase: string;

  constructor(private readonly options: BigBlueButtonOptions) {
    const base = options.url.replace(/\/+$/, '').replace(/\/api$/, '');
    this.apiBase = `${base}/api/`;
  }

  /** A signed API URL; parameters keep their order (the checksum covers the exact query string). */
  signedUrl(callName: string, params: ReadonlyArray<readonly [string, string]>): string {
    const query = new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString();
    const checksum = bbbChecksum(callName, query, this.options.secret, this.options.checksumAlgorithm);
    return `${this.apiBase}${callName}?${query}${query ? '&' : ''}checksum=${checksum}`;
  }

  async createRoom(request: RoomRequest): Promise<VideoRoom> {
    const meetingID = meetingIdOf(request);
    const xml = await this.call('create', [
      ['name', meetingName(request.title)],
      ['meetingID', meetingID],
      ['record', 'false'],
    ]);
    const createTime = xmlTag(xml, 'createTime');
    return {
      roomId: meetingID,
      joinUrlFor: (user: VideoUser, role: VideoRole) =>
        this.signedUrl('join', [
          ['fullName', user.fullName],
          ['meetingID', meetingID],
          ['role', role === 'moderator' ? 'MODERATOR' : 'VIEWER'],
          ['userID', user.id],
          ...(createTime ? [['createTime', createTime] as const] : []),
          ['redirect', 'true'],
        ]),
    };
  }

  /** A server-to-server call; its XML answer when SUCCESS, UNAVAILABLE otherwise. */
  private async call(callName: string, params: ReadonlyArray<readonly [string, string]>): Promise<string> {
    const fetchImpl = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await fetchImpl(this.signedUrl(callName, params), { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
    } catch {
      throw unavailable('Le serveur de classe virtuelle (BigBlueButton) ne répond pas. Réessayez dans un instant.');
    }
    const xml = await response.text();
    if (!response.ok) throw unavailable(`Le serveur de classe virtuelle a répondu ${response.status}. Réessayez dans un instant.`);
    if (xmlTag(xml, 'returncode') !== 'SUCCESS') {
      const messageKey = xmlTag(xml, 'messageKey');
      const hint = messageKey === 'checksumError' ? ' (secret BBB_SECRET ou algorithme BBB_CHECKSUM_ALGORITHM incorrect)' : '';
      throw unavailable(`Le serveur de classe virtuelle a refusé d'ouvrir la salle${hint}. Prévenez l'établissement.`, {
        messageKey,
        message: xmlTag(xml, 'message'),
      });
    }
    return xml;
  }
}
