/**
 * Virtual classes behind one interface: a provider creates the room of an occurrence and gives
 * each person their own join URL, as moderator (the teacher) or attendee (a pupil). Jitsi rooms
 * are links with unguessable names; BigBlueButton rooms are created through its signed API.
 */
import { AppError } from '../../../shared/errors.ts';
import type { VideoConfig } from '../../../config.ts';
import { BigBlueButtonProvider } from './bigbluebutton.ts';
import { JitsiProvider } from './jitsi.ts';

export type VideoRole = 'moderator' | 'attendee';
export type ProviderKind = 'jitsi' | 'bbb';

export interface VideoUser {
  id: string;
  fullName: string;
}

/** What a provider needs to know of the occurrence whose room it creates. */
export interface RoomRequest {
  lessonId: string;
  /** The occurrence's scheduled date. */
  date: string;
  /** « Mathématiques — 6e A ». */
  title: string;
}

export interface VideoRoom {
  /** The provider's name for the room (Jitsi room name, BigBlueButton meetingID). */
  readonly roomId: string;
  joinUrlFor(user: VideoUser, role: VideoRole): string;
}

export interface VideoProvider {
  readonly kind: ProviderKind;
  createRoom(request: RoomRequest): Promise<VideoRoom>;
}

export interface VideoProviders {
  /** The provider new rooms are created with (VIDEO_PROVIDER). */
  readonly preferred: ProviderKind;
  /** The provider of that kind, or UNAVAILABLE when it is not configured any more. */
  get(kind: ProviderKind): VideoProvider;
}

/** The providers the configuration allows; `roomKey` makes Jitsi room names unguessable. */
export function createVideoProviders(config: VideoConfig, roomKey: Buffer, fetchImpl: typeof fetch = fetch): VideoProviders {
  const jitsi = new JitsiProvider({ baseUrl: config.jitsiBaseUrl, key: roomKey });
  const bbb = config.bbb ? new BigBlueButtonProvider({ ...config.bbb, fetch: fetchImpl }) : null;
  return {
    preferred: config.provider,
    get(kind) {
      if (kind === 'jitsi') return jitsi;
      if (bbb) return bbb;
      throw new AppError('UNAVAILABLE', {
        message: "Cette classe virtuelle utilise BigBlueButton, qui n'est plus configuré sur ce serveur. Demandez à l'enseignant de redéfinir le lien.",
      });
    },
  };
}
