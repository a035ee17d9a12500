// A warehouse's stock lines (储备物资) as its detail edits them: a line's fields for the record
// editor (a new line's defaults), a receipt or issue (入库 / 出库) checked and turned into a
// signed movement of the line's on-hand account, and an issue refused for want of stock said
// with the quantity available. Pure, unit-tested.
import type { StockLine } from '../../bindings/StockLine';
import type { StockRow } from '../../bindings/StockRow';
import { translate, type Lang } from '../../i18n/core';
import { refusal } from '../dispatch/refusal';

/** The fields of a warehouse's stock line (`row` null: a new line, physical stock). */
export function lineFields(warehouse: string, row: StockRow | null): StockLine {
  return {
    warehouse,
    item_code: row?.item_code ?? '',
    reserve_mode: row?.reserve_mode ?? 'physical',
    expiry: row?.expiry ?? null,
    activation_hours: row?.activation_hours ?? null,
  };
}

export type Way = 'in' | 'out';

export type StockMove = { ok: true; delta: number; reason: string } | { ok: false; errors: { quantity?: string; reason?: string } };

/** `quantity` units received (`in`) or issued (`out`) for `reason`, as a movement of on hand. */
export function stockMove(lang: Lang, quantity: string, reason: string, way: Way): StockMove {
  const text = quantity.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  const errors: { quantity?: string; reason?: string } = {};
  if (!Number.isSafeInteger(n) || n < 1) errors.quantity = translate(lang, 'stock.move.err_quantity');
  if (reason.trim() === '') errors.reason = translate(lang, 'stock.move.err_reason');
  if (errors.quantity || errors.reason) return { ok: false, errors };
  return { ok: true, delta: way === 'in' ? n : -n, reason: reason.trim() };
}

/** A refused movement as shown under the form; an overdraw names what may be issued. */
export function moveRefusal(lang: Lang, f: { code: string; message: string }, available: number, unit: string): string {
  return f.code === 'ledger.overdraw' ? translate(lang, 'stock.move.overdraw', { n: available, unit, message: f.message }) : refusal(lang, f);
}
