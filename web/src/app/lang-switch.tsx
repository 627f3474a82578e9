import type { JSX } from 'preact';
import type { Locale } from '../lib/api-types.ts';
import { useI18n } from '../lib/i18n.ts';
import { chooseLocale } from './session.ts';

const LANGUAGES: ReadonlyArray<{ locale: Locale; short: string; name: string }> = [
  { locale: 'fr', short: 'FR', name: 'Français' },
  { locale: 'en', short: 'EN', name: 'English' },
];

/** FR | EN toggle. Each button names its language in that language, so anyone can find theirs. */
export function LangSwitch(): JSX.Element {
  const { locale } = useI18n();
  return (
    <div class="lang-switch" role="group" aria-label="Langue / Language">
      {LANGUAGES.map((l) => (
        <button
          key={l.locale}
          type="button"
          lang={l.locale}
          aria-label={`${l.short} ${l.name}`}
          aria-pressed={locale === l.locale}
          onClick={() => void chooseLocale(l.locale)}
        >
          {l.short}
        </button>
      ))}
    </div>
  );
}
