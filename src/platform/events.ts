/**
 * Domain events: what changed, said once by the service that changed it, heard on every node.
 * Consumers: live updates (a person's open pages), caches that must agree (the dashboard's per
 * person and per class entries). Transport: the shared state's pub/sub (in-process by default,
 * Redis with many nodes). Handlers on the publishing node run at once, without waiting for the
 * round trip; a message that comes back from the shared store to its own node is ignored.
 *
 * Events are notifications, not records: the database stays the truth. A node that misses one
 * (Redis down) only shows a change a few seconds later (caches expire; live pages catch up).
 */
import { randomUUID } from 'node:crypto';
import type { SharedState, Unsubscribe } from './shared-state/shared-state.ts';

export type DomainEvent =
  /** New message in a thread: its recipients' unread counts and inboxes change. */
  | { type: 'message.received'; userIds: string[]; threadId: string; messageId: string }
  /** Homework or cahier-de-textes entry created, edited, closed or deleted for these classes. */
  | { type: 'homework.changed'; classIds: string[]; homeworkId: string; change: 'published' | 'updated' | 'deleted' }
  /** A pupil handed in: the teachers who review it. */
  | { type: 'submission.received'; userIds: string[]; assignmentId: string; submissionId: string }
  /** A teacher reviewed (feedback, mark) a hand-in: the pupil and their parents. */
  | { type: 'submission.reviewed'; userIds: string[]; assignmentId: string; submissionId: string }
  /** Lessons of these classes changed (exception, cancellation, room, video link). */
  | { type: 'timetable.changed'; classIds: string[] }
  /** A lesson starts soon: its class's pupils (and parents) and its teacher. */
  | {
      type: 'lesson.starting';
      classIds: string[];
      userIds: string[];
      lessonId: string;
      startsAt: string;
      subject: string;
      /** `<lessonId>_<date>`: what « Rejoindre » opens (added by live updates; optional for older publishers). */
      occurrenceId?: string;
      /** The occurrence has a virtual class. */
      virtual?: boolean;
    }
  /** Documents shared with (or withdrawn from) these classes. */
  | { type: 'documents.changed'; classIds: string[] }
  /** Something of these people's own changed (their write, a role change): forget what is cached. */
  | { type: 'people.changed'; userIds: string[] }
  /**
   * A school's people changed in bulk (an import created or updated accounts, roles, classes):
   * every node forgets the actors, rosters and dashboards it holds (imports are rare).
   */
  | { type: 'roster.changed'; schoolId: string };

export type DomainEventType = DomainEvent['type'];

/** Said with every event: an id (live pages hand the last one back on reconnect) and when. */
export interface EventMeta {
  /** `<ms since epoch, base 36>-<random>`: unique, and tells when it was published. */
  id: string;
  at: number;
}

export type EventHandler = (event: DomainEvent, meta: EventMeta) => void;

/** What services need of the bus: say what changed, after their write has committed. */
export type EventPublisher = Pick<EventBus, 'publish'>;

const CHANNEL = 'events:domain';

interface Envelope {
  origin: string;
  event: DomainEvent;
  id?: string;
  at?: number;
}

export class EventBus {
  private readonly handlers = new Set<EventHandler>();
  private readonly nodeId = randomUUID();
  private unsubscribe: Unsubscribe | null = null;

  constructor(private readonly state: SharedState) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.state.subscribe(CHANNEL, (raw) => this.receive(raw));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Handlers run synchronously on every node (here first); they must not throw. */
  on(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Delivers here at once and to every other node; never fails the caller's write. */
  async publish(event: DomainEvent): Promise<void> {
    const at = Date.now();
    const meta: EventMeta = { id: `${at.toString(36)}-${randomUUID().slice(0, 8)}`, at };
    this.deliver(event, meta);
    const envelope: Envelope = { origin: this.nodeId, event, ...meta };
    await this.state.publish(CHANNEL, JSON.stringify(envelope)).catch(() => {});
  }

  private receive(raw: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === this.nodeId || typeof envelope.event?.type !== 'string') return;
    const at = typeof envelope.at === 'number' ? envelope.at : Date.now();
    this.deliver(envelope.event, { id: typeof envelope.id === 'string' ? envelope.id : `${at.toString(36)}-0`, at });
  }

  private deliver(event: DomainEvent, meta: EventMeta): void {
    for (const handler of this.handlers) {
      try {
        handler(event, meta);
      } catch {
        // A consumer's bug must not break the publisher's write or the other consumers.
      }
    }
  }
}
