// Allocation (调拨) as the console shows it: the items the warehouses near a destination hold,
// the stock lines of one item nearest first (which may be chosen), the quantity checked against
// what is available, each allocation stage's colour and the buttons for its next stages.
// Pure, unit-tested.
import type { AllocStage } from '../../bindings/AllocStage';
import type { AllocationView } from '../../bindings/AllocationView';
import type { NearWarehouse } from '../../bindings/NearWarehouse';
import type { StockRow } from '../../bindings/StockRow';
import { translate, type Lang } from '../../i18n/core';
import { paletteColour, type StageAction } from './orders';

/** The item a dialog opens on when any warehouse near holds it: 帐篷(棉帐篷). */
export const DEFAULT_ITEM = '1010101';

export interface ItemOption {
  code: string;
  zh: string;
  en: string;
}

/** Every item held near, once, by item code. */
export function itemsOf(warehouses: readonly NearWarehouse[]): ItemOption[] {
  const by = new Map<string, ItemOption>();
  for (const w of warehouses) for (const r of w.stock) if (!by.has(r.item_code)) by.set(r.item_code, { code: r.item_code, zh: r.item_zh, en: r.item_en });
  return [...by.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function defaultItem(items: readonly ItemOption[]): string | null {
  return (items.find((i) => i.code === DEFAULT_ITEM) ?? items[0])?.code ?? null;
}

/** One stock line of the chosen item and its warehouse. */
export interface Source {
  warehouse: NearWarehouse;
  row: StockRow;
}

/** The lines of an item, their warehouses nearest first. */
export function sourcesOf(warehouses: readonly NearWarehouse[], item: string): Source[] {
  return warehouses.flatMap((warehouse) => warehouse.stock.filter((row) => row.item_code === item).map((row) => ({ warehouse, row })));
}

/** Whether this centre may allocate from a line now: its own tier's, something available. */
export function selectable(s: Source): boolean {
  return s.warehouse.authority.how === 'direct' && s.row.available > 0;
}

/** The line chosen by default: the nearest selectable one. */
export function defaultSource(sources: readonly Source[]): string | null {
  return sources.find(selectable)?.row.id ?? null;
}

export type Quantity = { ok: true; n: number } | { ok: false; error: string };

/** A typed quantity checked against what the line has available (a whole number, 1 … available). */
export function checkQuantity(lang: Lang, raw: string, available: number, unit: string): Quantity {
  const text = raw.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (available < 1) return { ok: false, error: translate(lang, 'alloc.none_left') };
  if (!Number.isSafeInteger(n) || n < 1) return { ok: false, error: translate(lang, 'alloc.err.integer', { max: available }) };
  if (n > available) return { ok: false, error: translate(lang, 'alloc.err.over', { n: available, unit }) };
  return { ok: true, n };
}

/** Stage colours from the team palette: promised amber, moving blue, delivered green, cancelled grey. */
const PALETTE_OF: { readonly [S in AllocStage]: string | null } = {
  reserved: 'dispatched',
  in_transit: 'returning',
  received: 'standby',
  cancelled: null,
};

export function allocColour(stage: AllocStage): string {
  return paletteColour(PALETTE_OF[stage]);
}

/** The buttons of an allocation: one per allowed next stage (发运, 接收), a cancellation last. */
export function allocActions(v: Pick<AllocationView, 'next'>): StageAction<AllocStage>[] {
  return [...v.next].sort((a, b) => Number(a === 'cancelled') - Number(b === 'cancelled')).map((stage) => ({ stage, label: `alloc.act.${stage}`, undo: stage === 'cancelled' }));
}
