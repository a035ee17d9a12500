// The current UI language, as Svelte state: components call t()/term() in markup and are
// re-rendered when the language changes. Every start is in zh-CN (deterministic for tests
// and for a shared wall display).
import { DEFAULT_LANG, pick, translate, type Lang } from './core';

export type { Lang } from './core';

export const i18n = $state<{ lang: Lang }>({ lang: DEFAULT_LANG });

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  document.documentElement.lang = lang;
}

export function t(key: string, params?: { [name: string]: string | number }): string {
  return translate(i18n.lang, key, params);
}

/** Label of a taxonomy term or any zh/en pair. */
export function term(v: { zh: string; en: string } | undefined | null, fallback = ''): string {
  return v ? pick(i18n.lang, v.zh, v.en) : fallback;
}

/** Number formatting for the current language. */
export function num(n: number): string {
  return n.toLocaleString(i18n.lang);
}
