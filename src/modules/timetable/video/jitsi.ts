/**
 * Jitsi Meet rooms: https://<host>/<name>, where the name is an HMAC of the lesson id under a
 * server key: the same lesson always has the same room, and nobody can guess another's. Jitsi
 * has no roles without a token server, so both roles get the same room, with their name filled in.
 */
import { createHmac } from 'node:crypto';
import type { RoomRequest, VideoProvider, VideoRoom, VideoRole, VideoUser } from './video-provider.ts';

export class JitsiProvider implements VideoProvider {
  readonly kind = 'jitsi' as const;
  private readonly baseUrl: string;

  constructor(private readonly options: { baseUrl: string; key: Buffer }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** « Preau » and 32 hex digits (128 bits) of HMAC-SHA256(key, lesson id). */
  roomName(lessonId: string): string {
    return `Preau${createHmac('sha256', this.options.key).update(`jitsi-room:${lessonId}`).digest('hex').slice(0, 32)}`;
  }

  async createRoom(request: RoomRequest): Promise<VideoRoom> {
    const name = this.roomName(request.lessonId);
    const url = `${this.baseUrl}/${name}`;
    return {
      roomId: name,
      joinUrlFor: (user: VideoUser, _role: VideoRole) =>
        `${url}#userInfo.displayName=${encodeURIComponent(JSON.stringify(user.fullName))}` +
        `&config.subject=${encodeURIComponent(JSON.stringify(request.title))}`,
    };
  }
}
