/** The route table. Admin pages, rosters and devices load on demand; the dashboard and sign-in are in the main bundle. */
import type { ComponentType } from 'preact';
import { LoginPage } from '../features/auth/login-page.tsx';
import { DashboardPage } from '../features/dashboard/dashboard-page.tsx';
import { lazyPage } from './lazy.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { matchPath } from './router.tsx';

export interface PageProps {
  params: Record<string, string>;
}

interface RouteDef {
  pattern: string;
  /** guest: sign-in pages (a signed-in person is sent on); user: needs a session. */
  access: 'guest' | 'user';
  component: ComponentType<PageProps>;
}

const ActivationPage = lazyPage<PageProps>(() => import('../features/auth/activation-page.tsx').then((m) => m.ActivationPage));
const RosterPage = lazyPage<PageProps>(() => import('../features/classes/roster-page.tsx').then((m) => m.RosterPage));
const SessionsPage = lazyPage<PageProps>(() => import('../features/account/sessions-page.tsx').then((m) => m.SessionsPage));
const ImportPage = lazyPage<PageProps>(() => import('../features/admin/import-page.tsx').then((m) => m.ImportPage));
const FrontDoorPage = lazyPage<PageProps>(() => import('../features/operations/front-door-page.tsx').then((m) => m.FrontDoorPage));
const PeoplePage = lazyPage<PageProps>(() => import('../features/admin/people-page.tsx').then((m) => m.PeoplePage));

const ROUTES: readonly RouteDef[] = [
  { pattern: '/connexion', access: 'guest', component: LoginPage },
  { pattern: '/activation', access: 'guest', component: ActivationPage },
  { pattern: '/', access: 'user', component: DashboardPage },
  { pattern: '/classes/:id', access: 'user', component: RosterPage },
  { pattern: '/compte/sessions', access: 'user', component: SessionsPage },
  { pattern: '/admin/:schoolId/import', access: 'user', component: ImportPage },
  { pattern: '/admin/:schoolId/personnes', access: 'user', component: PeoplePage },
  { pattern: '/exploitation/salle-d-attente', access: 'user', component: FrontDoorPage },
  // School-day pages below, one line each (issue 3).
  { pattern: '/documents', access: 'user', component: lazyPage<PageProps>(() => import('../features/documents/documents-page.tsx').then((m) => m.DocumentsPage)) },
  { pattern: '/messagerie', access: 'user', component: lazyPage<PageProps>(() => import('../features/messaging/inbox-page.tsx').then((m) => m.InboxPage)) },
  { pattern: '/messagerie/nouveau', access: 'user', component: lazyPage<PageProps>(() => import('../features/messaging/compose-page.tsx').then((m) => m.ComposePage)) },
  { pattern: '/messagerie/:threadId', access: 'user', component: lazyPage<PageProps>(() => import('../features/messaging/thread-page.tsx').then((m) => m.ThreadPage)) },
  { pattern: '/admin/:schoolId/messagerie', access: 'user', component: lazyPage<PageProps>(() => import('../features/messaging/rules-page.tsx').then((m) => m.RulesPage)) },
  { pattern: '/cahier-de-textes', access: 'user', component: lazyPage<PageProps>(() => import('../features/homework/cahier-page.tsx').then((m) => m.CahierPage)) },
  { pattern: '/cahier-de-textes/devoirs/:id', access: 'user', component: lazyPage<PageProps>(() => import('../features/homework/review-page.tsx').then((m) => m.ReviewPage)) },
  { pattern: '/devoirs', access: 'user', component: lazyPage<PageProps>(() => import('../features/homework/devoirs-page.tsx').then((m) => m.DevoirsPage)) },
  { pattern: '/emploi-du-temps', access: 'user', component: lazyPage<PageProps>(() => import('../features/timetable/timetable-page.tsx').then((m) => m.TimetablePage)) },
];

const NOT_FOUND: RouteDef = { pattern: '*', access: 'user', component: NotFoundPage };

export function resolveRoute(path: string): { route: RouteDef; params: Record<string, string> } {
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, normalised);
    if (params) return { route, params };
  }
  return { route: NOT_FOUND, params: {} };
}
