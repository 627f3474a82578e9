/** What every simulated person shares: the server, the client pool, the books, and the options. */
import type { Agent } from 'undici';
import type { ServerFigures } from './observer.ts';
import type { CookieJar } from '../lib/cookies.ts';
import type { Recorder } from './recorder.ts';

export interface Features {
  messaging: boolean;
  homework: boolean;
  /** A homework attachment pupils can open (homework id → file id), when homework is there. */
  documents: boolean;
}

export interface Person {
  login: string;
  password: string;
  userId: string;
  role: 'pupil' | 'parent' | 'teacher';
  /** The remembered cookies from provisioning (cloned per arrival), or null (never signed in here). */
  remembered: CookieJar | null;
  /** Still unused activation code (people who activate on the morning). */
  activationCode: string | null;
  ip: string;
  userAgent: string;
  /** Pupils: the assignment to hand in and its attachment. */
  homeworkId: string | null;
  attachmentId: string | null;
  /** Parents: a teacher of their child, to write to. */
  teacherUserId: string | null;
}

export type JourneyKind = 'resume' | 'password' | 'activate';

export interface WaitRecord {
  lane: string;
  /** Ticket arrival (server clock, ms) or the first request's start for direct entries. */
  arrivalMs: number;
  /** Ticket position (positionOf), null for direct entries. */
  position: number | null;
  firstSeenMs: number;
  shown: { lowS: number; highS: number } | null;
  admittedMs: number;
  waited: boolean;
}

export interface Writes {
  sessions: Set<string>;
  activations: Set<string>;
  messages: Set<string>;
  /** Submission id → acknowledged version. */
  handIns: Map<string, number>;
}

export const newWrites = (): Writes => ({ sessions: new Set(), activations: new Set(), messages: new Set(), handIns: new Map() });

export interface Options {
  timeoutMs: number;
  /** Browser polling interval (unread count), already compressed. */
  pollMs: number;
  /** Polls each person makes before leaving. */
  stayPolls: number;
  /** Longest a person keeps waiting in the room before giving up. */
  patienceMs: number;
  /** Probabilities of the optional actions. */
  openDocument: number;
  handIn: number;
  sendMessage: number;
}

export interface Context {
  agent: Agent;
  base: string;
  rec: Recorder;
  features: Features;
  writes: Writes;
  waits: WaitRecord[];
  options: Options;
  /** People who gave up (waited too long, or too many errors). */
  gaveUp: { count: number };
  /**
   * Set once the last phase is over, before the server stops: the journeys still under way (people
   * the last surge left waiting past its drain) stop calling, and what they would have met (a
   * stopped server: connection refused) is not counted against Préau.
   */
  halted?: { value: boolean };
  /** The server's own figures over a span (from /metrics), for the phases' reports. */
  serverDuring?: (fromMs: number, toMs: number) => ServerFigures | null;
}
