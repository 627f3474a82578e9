/** Who is signed in, kept in one store. The API client's 401 lands here. */
import { api, ApiError, clearPrefetched, setCsrfToken } from '../lib/api-client.ts';
import type { Locale, TMe } from '../lib/api-types.ts';
import { applyLocale, hasStoredLocale, localeStore } from '../lib/i18n.ts';
import { adminSchools } from '../lib/roles.ts';
import { createStore } from '../lib/store.ts';
import { navigate } from './router.tsx';

export type Session =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'unavailable'; error: ApiError }
  | { status: 'signed-in'; me: TMe };

export const sessionStore = createStore<Session>({ status: 'loading' });

/** Paths anyone may open; everything else needs a session. */
export const PUBLIC_PATHS = new Set(['/connexion', '/activation']);

export function signInPath(): string {
  const here = window.location.pathname + window.location.search;
  return PUBLIC_PATHS.has(window.location.pathname) || here === '/' ? '/connexion' : `/connexion?suivant=${encodeURIComponent(here)}`;
}

/** After a sign-in (or /api/me): keep the CSRF token and line the language up with the account. */
export function setSignedIn(me: TMe): void {
  setCsrfToken(me.csrfToken);
  sessionStore.set({ status: 'signed-in', me });
  const chosen = localeStore.get();
  if (!hasStoredLocale()) applyLocale(me.locale, false);
  else if (chosen !== me.locale) void saveLocale(chosen);
}

export async function loadSession(): Promise<void> {
  try {
    setSignedIn(await api.get<TMe>('/api/me', { redirectOn401: false }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      // Whatever was prefetched for a signed-out visitor is a 401 too: never serve it after sign-in.
      clearPrefetched();
      sessionStore.set({ status: 'anonymous' });
    }
    else sessionStore.set({ status: 'unavailable', error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) });
  }
}

export function handleUnauthenticated(): void {
  setCsrfToken(null);
  clearPrefetched();
  sessionStore.set({ status: 'anonymous' });
  if (!PUBLIC_PATHS.has(window.location.pathname)) navigate(signInPath(), { replace: true });
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/api/auth/logout', {}, { redirectOn401: false });
  } catch {
    // Signed out already, or the server is away: forget the session here all the same.
  }
  forgetSession();
}

/** The session is gone (signed out here, or this device was disconnected): back to sign-in. */
export function forgetSession(): void {
  setCsrfToken(null);
  clearPrefetched();
  sessionStore.set({ status: 'anonymous' });
  navigate('/connexion');
}

/** Language chosen in the header: the whole UI now, this device, and the account when signed in. */
export async function chooseLocale(locale: Locale): Promise<void> {
  applyLocale(locale, true);
  await saveLocale(locale);
}

async function saveLocale(locale: Locale): Promise<void> {
  const session = sessionStore.get();
  if (session.status !== 'signed-in' || session.me.locale === locale) return;
  try {
    const me = await api.patch<TMe>('/api/me', { locale });
    setCsrfToken(me.csrfToken);
    sessionStore.set({ status: 'signed-in', me });
  } catch {
    // The choice still holds on this device; the account will catch up on the next switch.
  }
}

export function currentMe(): TMe | null {
  const session = sessionStore.get();
  return session.status === 'signed-in' ? session.me : null;
}

/** The name of a school this person administers, from their own roles (no request); '' when unknown. */
export function adminSchoolName(schoolId: string): string {
  const me = currentMe();
  return (me && adminSchools(me).find((s) => s.id === schoolId)?.name) || '';
}
