// The language of the pages: one dictionary per language (i18n/fi.ts, sv.ts, en.ts), the choice kept
// in localStorage, and dates shown in Europe/Helsinki time as API.md's default time zone.
import { en, type Dict } from './i18n/en.js';
import { fi } from './i18n/fi.js';
import { sv } from './i18n/sv.js';

export type Lang = 'fi' | 'sv' | 'en';
export type TextKey = keyof Dict;
export const languages: { code: Lang; name: string }[] = [
  { code: 'fi', name: 'Suomi' },
  { code: 'sv', name: 'Svenska' },
  { code: 'en', name: 'English' },
];
const dictionaries: Record<Lang, Dict> = { fi, sv, en };
const storageKey = 'sparraus.lang';

function initialLang(): Lang {
  const asked = new URLSearchParams(window.location.search).get('lang') ?? localStorage.getItem(storageKey);
  if (asked === 'fi' || asked === 'sv' || asked === 'en') return asked;
  const browser = navigator.language.slice(0, 2);
  return browser === 'sv' || browser === 'en' ? browser : 'fi';
}

let current: Lang = initialLang();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
}

/** The text for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Whether the pages have a text for `key` (for keys built from API codes). */
export function hasKey(key: string): key is TextKey {
  return key in en;
}

/** For keys built from API values (statuses, kinds): falls back to the value itself. */
export function tValue(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as TextKey) : value;
}

const zone = 'Europe/Helsinki';

// English as written in Finland and Britain ("Sat 9 January 2027"), never the ambiguous "01/09/2027".
const locales: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** A moment in Helsinki time, the weekday and month written out: "Sat 9 January 2027 at 10:00". */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locales[current], {
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  }).format(new Date(iso));
}

/** A number as the page's language writes it: "0,92" in fi and sv, "0.92" in en. */
export function formatNumber(value: number, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(locales[current], { maximumFractionDigits }).format(value);
}
