/**
 * The fault tests' load: people of the demo school signing in, opening their dashboard, sending
 * messages, handing in homework and uploading files through the cluster's nginx, bounded in
 * number and in time, loopback only. Every write the platform acknowledged is recorded, to be
 * looked for in the database afterwards.
 */
import { randomBytes } from 'node:crypto';

export interface Answer {
  status: number;
  ms: number;
  body: unknown;
  retryAfter: string | null;
  /** Network error (status 0): nginx unreachable, or our own timeout. */
  error?: string;
}

/** A person's browser: cookies, CSRF token, and an address of their own (X-Forwarded-For). */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  userId = '';
  constructor(
    readonly base: string,
    readonly ip: string,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A copy that shares nothing: the same signed-in device seen from another request stream. */
  clone(): Browser {
    const b = new Browser(this.base, this.ip);
    for (const [k, v] of this.cookies) b.cookies.set(k, v);
    b.csrf = this.csrf;
    b.userId = this.userId;
    return b;
  }

  async call(method: string, path: string, o: { json?: unknown; body?: Buffer; contentType?: string; timeoutMs?: number } = {}): Promise<Answer> {
    const started = Date.now();
    const headers: Record<string, string> = { 'x-forwarded-for': this.ip, accept: 'application/json' };
    if (this.cookies.size > 0) headers['cookie'] = this.cookieHeader();
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    let body: string | Buffer | undefined;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.body) {
      headers['content-type'] = o.contentType ?? 'application/octet-stream';
      body = o.body;
    }
    try {
      const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? 15_000) });
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
        if (expired) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON
      }
      return { status: res.status, ms: Date.now() - started, body: parsed, retryAfter: res.headers.get('retry-after') };
    } catch (error) {
      return { status: 0, ms: Date.now() - started, body: null, retryAfter: null, error: (error as Error).message };
    }
  }

  async signIn(login: string, password: string): Promise<Answer> {
    const csrf = await this.call('GET', '/api/auth/csrf');
    if (csrf.status !== 200) return csrf;
    this.csrf = field(csrf.body, 'csrfToken') ?? '';
    const me = await this.call('POST', '/api/auth/login', { json: { login, password, remember: true } });
    if (me.status === 200) {
      this.csrf = field(me.body, 'csrfToken') ?? this.csrf;
      this.userId = field(me.body, 'id') ?? '';
    }
    return me;
  }
}

export function field(body: unknown, ...path: string[]): string | null {
  let v: unknown = body;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

let addresses = 0;
/** A documentation-range address (198.18.0.0/15), a new one per call. */
export function nextAddress(): string {
  const i = addresses++;
  return `198.18.${Math.floor(i / 250) % 256}.${(i % 250) + 1}`;
}

/** A small valid PDF whose bytes differ from every other one (each upload is a new blob). */
export function uniquePdf(): { body: Buffer; contentType: string } {
  const boundary = `----preaucluster${randomBytes(8).toString('hex')}`;
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'),
    Buffer.from(`% ${randomBytes(2048).toString('base64')}\n`),
    Buffer.from('trailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  ]);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fiche.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export type Kind = 'sign-in' | 'dashboard' | 'message' | 'hand-in' | 'upload';

export interface Outcome {
  kind: Kind;
  status: number;
  ms: number;
  retryAfter: string | null;
  /** When the request started (ms since the epoch). */
  at: number;
  error?: string;
}

/** What the platform said it stored: to be found in the database afterwards. */
export interface Acknowledged {
  messages: Set<string>;
  /** Hand-in id → highest acknowledged version. */
  handIns: Map<string, number>;
  files: Set<string>;
}

export interface Cast {
  base: string;
  password: string;
  /** Signed-in people: a pupil with homework to hand in, a parent who writes to a teacher, the teacher. */
  pupil: Browser;
  parent: Browser;
  teacher: Browser;
  homeworkId: string;
  /** Logins that sign in again and again during the load. */
  logins: string[];
}

export function newAcknowledged(): Acknowledged {
  return { messages: new Set(), handIns: new Map(), files: new Set() };
}

/** One operation of kind `kind` by the cast; records what was acknowledged. */
export async function operate(cast: Cast, kind: Kind, ack: Acknowledged, n: number): Promise<Answer> {
  switch (kind) {
    case 'sign-in': {
      const b = new Browser(cast.base, nextAddress());
      const a = await b.signIn(cast.logins[n % cast.logins.length]!, cast.password);
      return a.status === 200 ? b.call('GET', '/api/dashboard') : a;
    }
    case 'dashboard':
      return [cast.pupil, cast.parent, cast.teacher][n % 3]!.call('GET', '/api/dashboard');
    case 'message': {
      const a = await cast.parent.call('POST', '/api/messages/threads', {
        json: { subject: `Absence n° ${n}`, body: `Bonjour, mon enfant sera absent (${n}).`, recipients: { people: [cast.teacher.userId] } },
      });
      const id = field(a.body, 'messageId');
      if (a.status >= 200 && a.status < 300 && id) ack.messages.add(id);
      return a;
    }
    case 'hand-in': {
      const a = await cast.pupil.call('PUT', `/api/homework/${cast.homeworkId}/submission`, { json: { text: `Rendu n° ${n}` } });
      const id = field(a.body, 'id');
      const version = Number(field(a.body, 'version'));
      if (a.status >= 200 && a.status < 300 && id && Number.isFinite(version)) ack.handIns.set(id, Math.max(version, ack.handIns.get(id) ?? 0));
      return a;
    }
    case 'upload': {
      const { body, contentType } = uniquePdf();
      const a = await cast.teacher.call('POST', '/api/files', { body, contentType });
      const id = field(a.body, 'id') ?? field(a.body, 'file', 'id');
      if (a.status >= 200 && a.status < 300 && id) ack.files.add(id);
      return a;
    }
  }
}

const MIX: Kind[] = ['dashboard', 'hand-in', 'message', 'dashboard', 'upload', 'sign-in', 'dashboard', 'hand-in', 'message'];

/**
 * A steady load: `workers` loops, each doing one operation then pausing `pauseMs`, until stop()
 * or `maxOps` or `maxMs`, whichever comes first.
 */
export class Load {
  readonly outcomes: Outcome[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly cast: Cast,
    readonly ack: Acknowledged,
    o: { workers?: number; pauseMs?: number; maxOps?: number; maxMs?: number } = {},
  ) {
    const workers = o.workers ?? 3;
    const deadline = Date.now() + (o.maxMs ?? 60_000);
    const maxOps = o.maxOps ?? 2000;
    let next = 0;
    const worker = async (w: number) => {
      // Each worker walks the whole mix from its own starting point, so every kind keeps running
      // whatever the interleaving (a shared counter let workers settle into disjoint kinds).
      for (let k = 0; !this.stopped && next < maxOps && Date.now() < deadline; k++) {
        const n = next++;
        const kind = MIX[(k + w * 3) % MIX.length]!;
        const at = Date.now();
        const a = await operate(this.cast, kind, this.ack, n);
        this.outcomes.push({ kind, status: a.status, ms: a.ms, retryAfter: a.retryAfter, at, ...(a.error ? { error: a.error } : {}) });
        await new Promise((r) => setTimeout(r, o.pauseMs ?? 100));
      }
    };
    this.done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w))).then(() => {});
  }

  async stop(): Promise<Outcome[]> {
    this.stopped = true;
    await this.done;
    return this.outcomes;
  }
}

/** Counts by status, for messages: { '200': 12, '503': 3 }. */
export function statuses(outcomes: readonly Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) out[String(o.status)] = (out[String(o.status)] ?? 0) + 1;
  return out;
}

export const ok = (o: Outcome): boolean => o.status >= 200 && o.status < 300;

/** A live-updates stream (GET /api/live, Server-Sent Events) held open through nginx. */
export interface LiveStream {
  status: number;
  /** Set when the stream ended or broke (its node died). */
  endedAt: number | null;
  close(): void;
}

/** Opens /api/live as `b` and waits for its first event (« hello »); then watches for its end. */
export async function openLive(b: Browser, timeoutMs = 10_000): Promise<LiveStream> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await fetch(`${b.base}/api/live`, {
    headers: { cookie: b.cookieHeader(), 'x-forwarded-for': b.ip, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const stream: LiveStream = { status: res.status, endedAt: null, close: () => controller.abort() };
  if (res.status !== 200 || !res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    clearTimeout(timer);
    controller.abort();
    stream.endedAt = Date.now();
    return stream;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  while (!seen.includes('hello')) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
  }
  clearTimeout(timer);
  if (!seen.includes('hello')) stream.status = 0;
  void (async () => {
    try {
      for (;;) if ((await reader.read()).done) break;
    } catch {
      // broken: the node died, or we closed it
    }
    stream.endedAt = Date.now();
  })();
  return stream;
}
