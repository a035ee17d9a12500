// The expert pool tab (专家库) of the registries' dialog: a new expert's defaults (a pool expert
// of this centre, active) and the event categories an expert covers, named. Pure, unit-tested.
import type { Bootstrap } from '../../bindings/Bootstrap';
import type { Expert } from '../../bindings/Expert';
import { pick, type Lang } from '../../i18n/core';

/** A new expert's fields: nothing typed yet, in this centre's pool (`region`: its admin code). */
export function blankExpert(region: string): Expert {
  return { name: '', fields: [], event_classes: [], tier: 'pool', organisation: '', phone: '', jurisdiction: region, status: 'active' };
}

/** The event categories an expert covers, by their names (ids the taxonomy does not know as they are). */
export function categoryNames(lang: Lang, boot: Pick<Bootstrap, 'taxonomy'>, ids: readonly string[]): string[] {
  return ids.map((id) => {
    const c = boot.taxonomy.category.find((x) => x.id === id);
    return c ? pick(lang, c.zh, c.en) : id;
  });
}
