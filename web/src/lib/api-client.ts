/**
 * Typed fetch wrapper. Every mutating call carries the CSRF token; errors become ApiError with the
 * server's `{ error: { code, message, details } }`. A 401 anywhere hands over to the app (which
 * sends the person to /connexion), a 503 `WAITING_ROOM` from the front door sends the browser to
 * the waiting page (their place is kept there), and other network or 5xx trouble is reported to the
 * app's banner.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The request never got an answer (offline, DNS, server down). */
  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** Worth a banner: nobody can fix this by changing what they typed. */
  get isServerTrouble(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** JSON body. */
  json?: unknown;
  /** Raw text body with its content type (CSV import). */
  text?: { body: string; contentType: string };
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** Default true: a 401 sends the person to the sign-in page. Sign-in forms turn it off. */
  redirectOn401?: boolean;
}

interface Hooks {
  onUnauthenticated: () => void;
  onServerTrouble: (error: ApiError) => void;
}

let csrfToken: string | null = null;
let hooks: Hooks = { onUnauthenticated: () => undefined, onServerTrouble: () => undefined };

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiHooks(next: Hooks): void {
  hooks = next;
}

async function freshCsrfToken(): Promise<string> {
  const { csrfToken: token } = await send<{ csrfToken: string }>('/api/auth/csrf', { redirectOn401: false }, false);
  csrfToken = token;
  return token;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string; details?: unknown } } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (isErrorBody(body)) {
    return new ApiError(response.status, String(body.error.code), String(body.error.message), body.error.details);
  }
  return new ApiError(response.status, response.status >= 500 ? 'SERVER' : 'HTTP', response.statusText || 'Erreur');
}

let leavingForWaitingRoom = false;

/** The front door queued this browser (the platform is full): show the waiting page, then come back here. */
function goToWaitingRoom(): void {
  if (leavingForWaitingRoom || typeof window === 'undefined') return;
  leavingForWaitingRoom = true;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/file-attente?vers=${encodeURIComponent(here)}`);
}

function isCsrfRejection(error: ApiError): boolean {
  return error.status === 403 && /csrf/i.test(`${error.code} ${error.message}`);
}

async function send<T>(path: string, options: RequestOptions, mayRetryCsrf: boolean): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text) {
    headers['content-type'] = options.text.contentType;
    body = options.text.body;
  }
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken ?? (await freshCsrfToken());

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError(0, 'NETWORK', 'Le serveur ne répond pas. Vérifiez votre connexion.');
    hooks.onServerTrouble(error);
    throw error;
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  const error = await toApiError(response);
  if (mayRetryCsrf && method !== 'GET' && isCsrfRejection(error)) {
    await freshCsrfToken();
    return send<T>(path, options, false);
  }
  if (error.status === 401 && options.redirectOn401 !== false) hooks.onUnauthenticated();
  if (error.status === 503 && error.code === 'WAITING_ROOM') goToWaitingRoom();
  else if (error.isServerTrouble) hooks.onServerTrouble(error);
  throw error;
}

export function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return send<T>(path, options, true);
}

export const api = {
  get: <T>(path: string, options: Omit<RequestOptions, 'method' | 'json' | 'text'> = {}) => request<T>(path, options),
  post: <T>(path: string, json?: unknown, options: Omit<RequestOptions, 'method' | 'json'> = {}) =>
    request<T>(path, { ...options, method: 'POST', json: options.text ? undefined : (json ?? {}) }),
  patch: <T>(path: string, json: unknown, options: Omit<RequestOptions, 'method' | 'json'> = {}) =>
    request<T>(path, { ...options, method: 'PATCH', json }),
  put: <T>(path: string, json: unknown, options: Omit<RequestOptions, 'method' | 'json'> = {}) =>
    request<T>(path, { ...options, method: 'PUT', json }),
  delete: (path: string, options: Omit<RequestOptions, 'method' | 'json'> = {}) =>
    request<void>(path, { ...options, method: 'DELETE' }),
};

/** Requests started before the page that needs them is even loaded (the dashboard at boot). */
const prefetched = new Map<string, Promise<unknown>>();

export function prefetch(path: string): void {
  const promise = request(path, { redirectOn401: false });
  promise.catch(() => undefined);
  prefetched.set(path, promise);
}

/** Takes a prefetched response once, or makes the request now. */
export function takePrefetched<T>(path: string, signal?: AbortSignal): Promise<T> {
  const promise = prefetched.get(path);
  prefetched.delete(path);
  return promise ? (promise as Promise<T>) : api.get<T>(path, { signal });
}

export function clearPrefetched(): void {
  prefetched.clear();
}
