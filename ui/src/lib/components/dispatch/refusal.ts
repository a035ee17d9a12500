// A request the host refused, as the dispatch, allocation and placing forms show it inline:
// what went wrong in the operator's language, then the host's own words (which name the
// figures: the quantity available, the free places). Pure, unit-tested.
import { translate, type Lang } from '../../i18n/core';

export function refusal(lang: Lang, f: { code: string; message: string }): string {
  const key = `refusal.${f.code}`;
  const what = translate(lang, key);
  return what === key ? `${f.code}: ${f.message}` : translate(lang, 'refusal.text', { what, message: f.message });
}
