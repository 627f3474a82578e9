/**
 * French is the source of the keys; English must have every one of them (the type says so), and
 * `t()` checks the `{param}` names of each message at compile time.
 */
import { en } from '../locales/en.ts';
import { fr } from '../locales/fr.ts';
import type { Locale } from './api-types.ts';
import { createStore, useStore } from './store.ts';

export type FrenchMessages = typeof fr;
export type MessageKey = keyof FrenchMessages;
/** What every other language must provide: all the keys, nothing more. */
export type Messages = { readonly [K in MessageKey]: string };

type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;
type Params<K extends MessageKey> = Record<ParamNames<FrenchMessages[K]>, string | number>;
type Args<K extends MessageKey> = [ParamNames<FrenchMessages[K]>] extends [never] ? [] : [params: Params<K>];

/** Keys that come in pairs `x_one` / `x_other`, used with `tn()`. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}_other` ? Base : never }[MessageKey];

export type Translate = <K extends MessageKey>(key: K, ...args: Args<K>) => string;
export type TranslateCount = (key: PluralKey, count: number, params?: Record<string, string | number>) => string;

const DICTIONARIES: Record<Locale, Messages> = { fr, en };
const STORAGE_KEY = 'preau.locale';

function interpolate(message: string, params: Record<string, string | number> | undefined): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(locale: Locale): { t: Translate; tn: TranslateCount } {
  const messages = DICTIONARIES[locale];
  const rules = new Intl.PluralRules(locale === 'fr' ? 'fr-FR' : 'en-GB');
  const t: Translate = (key, ...args) => interpolate(messages[key], args[0]);
  const tn: TranslateCount = (key, count, params) => {
    const form = rules.select(count) === 'one' ? 'one' : 'other';
    const fullKey = `${key}_${form}` as MessageKey;
    return interpolate(messages[fullKey], { count, ...params });
  };
  return { t, tn };
}

function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'fr' || value === 'en' ? value : null;
  } catch {
    return null;
  }
}

export const localeStore = createStore<Locale>(storedLocale() ?? 'fr');

export function hasStoredLocale(): boolean {
  return storedLocale() !== null;
}

/** Switches the whole interface and <html lang>, and remembers the choice on this device. */
export function applyLocale(locale: Locale, remember: boolean): void {
  document.documentElement.lang = locale;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Private mode: the choice lasts for this visit only.
    }
  }
  localeStore.set(locale);
}

const translators: Partial<Record<Locale, ReturnType<typeof translator>>> = {};

export function useI18n(): { locale: Locale; t: Translate; tn: TranslateCount } {
  const locale = useStore(localeStore);
  const tr = (translators[locale] ??= translator(locale));
  return { locale, ...tr };
}
