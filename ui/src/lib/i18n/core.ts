// Dictionaries and lookup, without any framework state (unit-tested).
import zh from './zh-CN.json';
import en from './en.json';

export type Lang = 'zh-CN' | 'en';
export type Dict = { readonly [key: string]: string };

export const DICTS: { readonly [L in Lang]: Dict } = { 'zh-CN': zh, en };
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';

/** Looks a key up; `{name}` placeholders are filled from `params`. A missing key shows itself. */
export function translate(lang: Lang, key: string, params?: { [name: string]: string | number }): string {
  const raw = DICTS[lang][key] ?? DICTS[DEFAULT_LANG][key] ?? key;
  if (!params) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** A zh/en pair (taxonomy term, bootstrap name) in the current language. */
export function pick(lang: Lang, zhText: string, enText: string): string {
  return lang === 'en' ? enText || zhText : zhText || enText;
}
