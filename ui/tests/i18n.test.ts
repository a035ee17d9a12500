import { describe, expect, it } from 'vitest';
import zh from '../src/lib/i18n/zh-CN.json';
import en from '../src/lib/i18n/en.json';
import { pick, translate } from '../src/lib/i18n/core';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

describe('i18n dictionaries', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('have no empty values', () => {
    for (const [lang, dict] of Object.entries({ zh, en })) {
      for (const [k, v] of Object.entries(dict)) {
        expect(typeof v, `${lang}:${k}`).toBe('string');
        expect((v as string).trim().length, `${lang}:${k}`).toBeGreaterThan(0);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(zh) as (keyof typeof zh)[]) expect(ph(en[k]), k).toEqual(ph(zh[k]));
  });

  it('translates with parameters and falls back to the key', () => {
    expect(translate('zh-CN', 'unit.people', { n: 12 })).toBe('12 人');
    expect(translate('en', 'unit.people', { n: 12 })).toBe('12 people');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
    expect(pick('en', '东昌区', 'Dongchang')).toBe('Dongchang');
    expect(pick('zh-CN', '东昌区', 'Dongchang')).toBe('东昌区');
    expect(pick('en', '东昌区', '')).toBe('东昌区');
  });

  it('every t() key used in the source exists in the dictionaries', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) {
          if (f !== 'bindings') walk(p);
        } else if (/\.(svelte|ts)$/.test(f)) files.push(p);
      }
    };
    walk(join(__dirname, '../src'));
    const missing: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      // t('key', …) and translate(lang, 'key', …)
      for (const m of text.matchAll(/\b(?:t\(|translate\(\s*[\w.]+\s*,)\s*'([a-z0-9_.]+)'/g)) {
        const key = m[1] as string;
        if (!(key in zh)) missing.push(`${f}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
