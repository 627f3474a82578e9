import { render } from 'preact';
import { App } from './app/app.tsx';
import { bannerStore } from './app/banner.ts';
import { handleUnauthenticated, loadSession } from './app/session.ts';
import { prefetch, setApiHooks } from './lib/api-client.ts';
import { applyLocale, localeStore } from './lib/i18n.ts';
import './styles/app.css';

setApiHooks({
  onUnauthenticated: handleUnauthenticated,
  onServerTrouble: (error) => bannerStore.set(error),
});
applyLocale(localeStore.get(), false);

// At 9:00 every round trip counts: ask for the dashboard while /api/me is on its way.
if (window.location.pathname === '/') prefetch('/api/dashboard');
void loadSession();

const root = document.getElementById('app');
if (root) render(<App />, root);
