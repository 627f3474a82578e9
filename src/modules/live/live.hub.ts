/**
 * The open live-update streams of this node, and which events go to which of them. Memory is
 * the point: an idle stream costs its socket and one small record (the response, the person,
 * the classes they follow or teach), indexed by person and by class. No timer, closure or
 * buffer per stream: one heartbeat for all, one shared `close` listener, and each event is
 * framed once, then written to every stream it concerns.
 */
import type { ServerResponse } from 'node:http';
import type { DomainEvent, EventMeta } from '../../platform/events.ts';

export interface LiveHubOptions {
  /** Streams this node accepts (LIVE_MAX_CONNECTIONS); beyond, the route answers 503. */
  maxConnections: number;
  /** Between two heartbeats, one timer for every stream (default 25 s: under proxies' 30–60 s idle timeouts). */
  heartbeatMs?: number;
}

/** One open stream: what routing needs, nothing else. */
interface Conn {
  readonly res: ServerResponse;
  readonly userId: string;
  /** The device session it was opened with: signing that session out ends the stream. */
  readonly sessionId: string;
  /** Classes whose pupils' and parents' news this person gets (their own, their children's). */
  readonly follows: readonly string[];
  /** Classes they teach: their class news, not other teachers' lesson reminders. */
  readonly teaches: readonly string[];
}

/** A slow reader with this much unsent is cut (it reconnects and refetches). */
const MAX_UNSENT_BYTES = 64 * 1024;
const CONN = Symbol('preau.live');
type Tagged = ServerResponse & { [CONN]?: Conn };

/** What each kind of event tells the browser: never the other recipients, never class lists. */
function publicData(event: DomainEvent): Record<string, unknown> | null {
  switch (event.type) {
    case 'message.received':
      return { threadId: event.threadId };
    case 'homework.changed':
      return { homeworkId: event.homeworkId, change: event.change };
    case 'submission.received':
    case 'submission.reviewed':
      return { assignmentId: event.assignmentId, submissionId: event.submissionId };
    case 'timetable.changed':
    case 'documents.changed':
      return {};
    case 'lesson.starting':
      return {
        lessonId: event.lessonId,
        occurrenceId: event.occurrenceId ?? null,
        startsAt: event.startsAt,
        subject: event.subject,
        virtual: event.virtual ?? false,
      };
    case 'people.changed':
    case 'roster.changed':
      return null; // for caches only
  }
}

/** An SSE frame. Ids and types are ours; data is JSON (no newline). */
export function frame(type: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class LiveHub {
  private readonly byUser = new Map<string, Set<Conn>>();
  private readonly byFollowed = new Map<string, Set<Conn>>();
  private readonly byTaught = new Map<string, Set<Conn>>();
  private readonly bySession = new Map<string, Set<Conn>>();
  private count = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Shared by every stream: `this` is the response that closed. */
  private readonly onClose: (this: Tagged) => void;

  constructor(private readonly options: LiveHubOptions) {
    const remove = (conn: Conn): void => this.remove(conn);
    this.onClose = function (this: Tagged) {
      const conn = this[CONN];
      if (conn) remove(conn);
    };
  }

  get size(): number {
    return this.count;
  }

  hasRoom(): boolean {
    return this.count < this.options.maxConnections;
  }

  /** Starts the one heartbeat timer. */
  start(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs ?? 25_000);
    this.heartbeat.unref();
  }

  /** Registers an open stream (headers already written). */
  add(res: ServerResponse, who: { userId: string; sessionId: string }, follows: readonly string[], teaches: readonly string[]): void {
    const conn: Conn = { res, userId: who.userId, sessionId: who.sessionId, follows, teaches };
    (res as Tagged)[CONN] = conn;
    res.once('close', this.onClose);
    index(this.byUser, who.userId, conn);
    index(this.bySession, who.sessionId, conn);
    for (const c of follows) index(this.byFollowed, c, conn);
    for (const c of teaches) index(this.byTaught, c, conn);
    this.count++;
  }

  private remove(conn: Conn): void {
    const tagged = conn.res as Tagged;
    if (tagged[CONN] !== conn) return;
    tagged[CONN] = undefined;
    unindex(this.byUser, conn.userId, conn);
    unindex(this.bySession, conn.sessionId, conn);
    for (const c of conn.follows) unindex(this.byFollowed, c, conn);
    for (const c of conn.teaches) unindex(this.byTaught, c, conn);
    this.count--;
  }

  /** Writes an event to every stream it concerns; returns how many. */
  dispatch(event: DomainEvent, meta: EventMeta): number {
    const data = publicData(event);
    if (data === null || this.count === 0) return 0;
    const targets = new Set<Conn>();
    if ('userIds' in event) for (const id of event.userIds) addAll(targets, this.byUser.get(id));
    if ('classIds' in event) {
      for (const id of event.classIds) {
        addAll(targets, this.byFollowed.get(id));
        // A lesson reminder goes to its own teacher (userIds), not to every teacher of the class.
        if (event.type !== 'lesson.starting') addAll(targets, this.byTaught.get(id));
      }
    }
    if (targets.size === 0) return 0;
    const text = frame(event.type, data, meta.id);
    for (const conn of targets) this.write(conn, text);
    return targets.size;
  }

  /** A comment line to every stream: keeps proxies from closing idle streams, finds dead ones. */
  beat(): void {
    for (const set of this.byUser.values()) for (const conn of set) this.write(conn, ':\n\n');
  }

  /**
   * Ends the streams of a session that was signed out or revoked: the browser's reconnect is then
   * refused (401), so a lost device stops hearing news at once, not at its next reconnect.
   */
  closeSession(sessionId: string): number {
    const conns = [...(this.bySession.get(sessionId) ?? [])];
    for (const conn of conns) conn.res.end();
    return conns.length;
  }

  /** Ends every stream (drain before shutdown): browsers reconnect, to another node. */
  closeAll(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const set of [...this.byUser.values()]) for (const conn of [...set]) conn.res.end();
  }

  private write(conn: Conn, text: string): void {
    const { res } = conn;
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > MAX_UNSENT_BYTES) {
      res.destroy();
      return;
    }
    res.write(text);
  }
}

function index(map: Map<string, Set<Conn>>, key: string, conn: Conn): void {
  const set = map.get(key);
  if (set) set.add(conn);
  else map.set(key, new Set([conn]));
}

function unindex(map: Map<string, Set<Conn>>, key: string, conn: Conn): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}

function addAll(into: Set<Conn>, from: Set<Conn> | undefined): void {
  if (from) for (const conn of from) into.add(conn);
}
