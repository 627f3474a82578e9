/**
 * One shared live connection per page (GET /api/live, Server-Sent Events) and the views that
 * listen to it. The browser reconnects by itself after a drop (sending Last-Event-ID); when the
 * server refuses (401, 503 past its cap) or the network stays down, we retry with a growing,
 * jittered delay and meanwhile poll: every minute, open views refetch (`resync`).
 *
 * Catch-up: events are notifications, the server keeps nothing for us while we are away. After
 * any disconnection, the next `hello` brings the unread count of now and we emit `resync`: the
 * open views (dashboard, inbox, homework) refetch what they show.
 */

export type LiveEvent =
  | 'hello'
  | 'resync'
  | 'message.received'
  | 'homework.changed'
  | 'submission.received'
  | 'submission.reviewed'
  | 'timetable.changed'
  | 'documents.changed'
  | 'lesson.starting';

export interface LessonStarting {
  lessonId: string;
  occurrenceId: string | null;
  startsAt: string;
  subject: string;
  virtual: boolean;
}

type Listener = (data: unknown) => void;

const SERVER_EVENTS: readonly LiveEvent[] = [
  'hello',
  'message.received',
  'homework.changed',
  'submission.received',
  'submission.reviewed',
  'timetable.changed',
  'documents.changed',
  'lesson.starting',
];
const POLL_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

const listeners = new Map<LiveEvent, Set<Listener>>();
let source: EventSource | null = null;
let connected = false;
/** A connection was lost (or never made) since the last hello: the next hello means catch up. */
let missed = false;
let attempts = 0;
let retryTimer: number | undefined;
let pollTimer: number | undefined;
let wanted = false;

function emit(type: LiveEvent, data: unknown): void {
  for (const listener of [...(listeners.get(type) ?? [])]) {
    try {
      listener(data);
    } catch {
      // One view's bug must not stop the others.
    }
  }
}

/** Listens to live events; returns the function that stops listening. */
export function onLive(types: readonly LiveEvent[], listener: Listener): () => void {
  for (const type of types) {
    let set = listeners.get(type);
    if (!set) listeners.set(type, (set = new Set()));
    set.add(listener);
  }
  return () => {
    for (const type of types) listeners.get(type)?.delete(listener);
  };
}

/** True while the stream is open (the unread badge then stops polling). */
export function isLiveConnected(): boolean {
  return connected;
}

function startPolling(): void {
  if (pollTimer !== undefined) return;
  pollTimer = window.setInterval(() => {
    if (document.visibilityState === 'visible') emit('resync', null);
  }, POLL_MS);
}

function stopPolling(): void {
  window.clearInterval(pollTimer);
  pollTimer = undefined;
}

function connect(): void {
  const es = new EventSource('/api/live');
  source = es;
  for (const type of SERVER_EVENTS) {
    es.addEventListener(type, (e) => {
      let data: unknown = null;
      try {
        data = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return;
      }
      if (type === 'hello') {
        connected = true;
        attempts = 0;
        stopPolling();
        emit('hello', data);
        if (missed) emit('resync', data);
        missed = false;
        return;
      }
      emit(type, data);
    });
  }
  es.onerror = () => {
    connected = false;
    missed = true;
    // CONNECTING: the browser retries by itself (after the server's `retry`). CLOSED: refused
    // (401, 503…) — our own backoff, and polling meanwhile.
    if (es.readyState !== EventSource.CLOSED) return;
    es.close();
    if (source === es) source = null;
    startPolling();
    const delay = Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** attempts) * (0.5 + Math.random() / 2);
    attempts++;
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(() => {
      if (wanted && !source) connect();
    }, delay);
  };
}

/** Opens the live connection (signed in); idempotent. Without EventSource, polls. */
export function startLive(): void {
  if (wanted) return;
  wanted = true;
  missed = false;
  if (typeof EventSource === 'undefined') {
    startPolling();
    return;
  }
  connect();
}

/** Closes it (signed out). */
export function stopLive(): void {
  wanted = false;
  connected = false;
  source?.close();
  source = null;
  window.clearTimeout(retryTimer);
  stopPolling();
}
