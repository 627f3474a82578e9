/**
 * `npm run preau -- salle-attente …`: the operator's controls from a terminal. It drives the running
 * server through the same operator API as the admin page (so it works in embedded mode, where the
 * waiting room's state lives inside the server, and in cluster mode alike), signed in as an operator.
 */
import { createInterface } from 'node:readline/promises';
import { solveChallenge } from './front-door/attack-mode.ts';
import type { TFrontDoorSettings, TFrontDoorView } from './modules/operations/operations.schemas.ts';

interface ErrorBody {
  error?: { code?: string; message: string; details?: { challenge?: string; bits?: number; redeemPath?: string; retryAfterSeconds?: number } };
}

/** How long the CLI waits in the queue like a browser would, before giving up. */
const MAX_QUEUE_WAIT_MS = 120_000;

export interface FrontDoorCliArgs {
  url: string;
  login: string;
  password: string | undefined;
  command: string[];
}

class Api {
  private cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly base: string) {}

  /** One API call that behaves at the front door like a browser: solves the puzzle, waits its turn. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const deadline = Date.now() + MAX_QUEUE_WAIT_MS;
    for (;;) {
      const res = await this.send(method, path, body);
      const json = (await res.json().catch(() => null)) as (T & ErrorBody & { csrfToken?: string }) | null;
      const details = json?.error?.details;
      const retryable = json?.error?.code === 'WAITING_ROOM' || json?.error?.code === 'UNAVAILABLE';
      if (res.status === 503 && retryable && Date.now() < deadline) {
        if (details?.challenge && details.redeemPath) await this.solve(details.challenge, details.bits ?? 16, details.redeemPath);
        else await new Promise((resolve) => setTimeout(resolve, 1000 * (details?.retryAfterSeconds ?? 5)));
        continue;
      }
      if (!res.ok) throw new Error(json?.error?.message ?? `${method} ${path} : HTTP ${res.status}`);
      if (json && typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
      return json as T;
    }
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, this.base), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  /** Attack mode: the same stateless puzzle a browser solves in its Web Worker, solved natively. */
  private async solve(challenge: string, bits: number, redeemPath: string): Promise<void> {
    const counter = solveChallenge(challenge, bits);
    if (counter === null) throw new Error('Impossible de résoudre la vérification de la salle d’attente.');
    const res = await this.send('POST', redeemPath, { challenge, counter });
    await res.body?.cancel();
  }
}

/** Parses `status`, `plafond <n>|aucun`, `attaque on|off|auto` into settings (null for status). */
export function parseFrontDoorCommand(words: string[]): TFrontDoorSettings | null {
  const [verb, value] = words;
  if (verb === undefined || verb === 'status' || verb === 'etat') return null;
  if (verb === 'plafond' || verb === 'cap') {
    if (value === 'aucun' || value === 'none') return { capPerMinute: null };
    if (value && /^[1-9]\d*$/.test(value)) return { capPerMinute: Number(value) };
    throw new Error('Plafond : un nombre entier positif de personnes par minute, ou « aucun ».');
  }
  if (verb === 'attaque' || verb === 'attack') {
    if (value === 'on' || value === 'off' || value === 'auto') return { attackMode: value };
    throw new Error('Mode attaque : on, off ou auto.');
  }
  throw new Error(`Commande inconnue : ${verb}. Attendu : status, plafond <n>|aucun, attaque on|off|auto.`);
}

/** The lanes' names as an operator reads them (a lane configured under another name shows as is). */
const LANE_LABELS: Readonly<Record<string, string>> = { priority: 'prioritaire', returning: 'retour', general: 'générale' };

export function formatFrontDoor(view: TFrontDoorView): string {
  const lines = [
    `Admissions par seconde : ${view.budgetPerSecond.toFixed(1)} · plafond : ${view.capPerMinute ?? 'aucun'} par minute`,
    `Mode attaque : ${view.attackMode} (${view.attackActive ? 'actif' : 'inactif'}) · nœuds : ${view.nodes} · état partagé : ${view.sharedStateHealthy ? 'joignable' : 'injoignable'}`,
    `Ce nœud : ${view.limiter.inflight} requêtes en cours / limite ${Math.round(view.limiter.limit)} · occupé ${Math.round(view.limiter.busy * 100)} %${view.limiter.overloaded ? ' (surcharge)' : ''}`,
    'File        En attente  Admissions/s  Retard  Attente annoncée',
  ];
  for (const lane of view.lanes) {
    lines.push(
      `${(LANE_LABELS[lane.name] ?? lane.name).padEnd(11)} ${String(lane.waiting).padStart(10)}  ${lane.pacePerSecond.toFixed(1).padStart(12)}  ${`${Math.round(lane.frontierLagSeconds)} s`.padStart(6)}  ${lane.waitLowSeconds}–${lane.waitHighSeconds} s`,
    );
  }
  return lines.join('\n');
}

async function askPassword(login: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const answer = await rl.question(`Mot de passe de ${login} : `);
  rl.close();
  return answer;
}

export async function runFrontDoorCommand(args: FrontDoorCliArgs, out: NodeJS.WritableStream): Promise<number> {
  const settings = parseFrontDoorCommand(args.command);
  const api = new Api(args.url);
  await api.call('GET', '/api/auth/csrf');
  await api.call('POST', '/api/auth/login', { login: args.login, password: args.password ?? (await askPassword(args.login)), remember: false });
  const view =
    settings === null
      ? await api.call<TFrontDoorView>('GET', '/api/operator/front-door')
      : await api.call<TFrontDoorView>('PUT', '/api/operator/front-door', settings);
  out.write(`${formatFrontDoor(view)}\n`);
  await api.call('POST', '/api/auth/logout').catch(() => undefined);
  return 0;
}
