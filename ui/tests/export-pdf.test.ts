import { describe, expect, it } from 'vitest';
import { PAPER, pdfDate, pdfFromJpeg, pdfPlacement, pdfText } from '../src/lib/export/pdf';

// A tiny stand-in JPEG: only the SOI marker is checked, the bytes are copied as they are.
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
const latin1 = (b: Uint8Array): string => Array.from(b, (c) => String.fromCharCode(c)).join('');

describe('pdf writer', () => {
  it('writes a PDF whose cross-reference table points at its objects', () => {
    const bytes = pdfFromJpeg({ jpeg: JPEG, width: 1600, height: 900, title: '应急一张图 · 东昌区', time: new Date(2026, 10, 22, 14, 3, 5) });
    const s = latin1(bytes);
    expect(s.startsWith('%PDF-1.4\n')).toBe(true);
    expect(s.trimEnd().endsWith('%%EOF')).toBe(true);
    const xref = Number(/startxref\n(\d+)\n%%EOF/.exec(s)?.[1]);
    expect(s.slice(xref, xref + 4)).toBe('xref');
    const rows = s.slice(xref).split('\n').slice(2, 9);
    expect(rows[0]).toBe('0000000000 65535 f ');
    rows.slice(1).forEach((r, i) => {
      expect(r).toMatch(/^\d{10} 00000 n $/);
      const off = Number(r.slice(0, 10));
      expect(s.slice(off, off + 8)).toBe(`${i + 1} 0 obj\n`);
    });
    // Each xref row is 20 bytes (with its newline), as the format requires.
    expect(`${rows[1]}\n`).toHaveLength(20);
    expect(s).toContain('/Size 7 /Root 1 0 R /Info 6 0 R');
    expect(s).toContain('/Width 1600 /Height 900 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length 11');
    // The image stream holds the JPEG bytes unchanged.
    const start = s.indexOf('stream\n', s.indexOf('/DCTDecode')) + 7;
    expect(Array.from(bytes.slice(start, start + JPEG.length))).toEqual(Array.from(JPEG));
    // The content stream's /Length is right.
    const m = /4 0 obj\n<< \/Length (\d+) >>\nstream\n([^\n]*)\nendstream/.exec(s);
    expect(Number(m?.[1])).toBe(m?.[2]?.length);
    // A wide image goes on a landscape A4 page.
    expect(s).toContain(`/MediaBox [0 0 ${PAPER.A4[1]} ${PAPER.A4[0]}]`);
    expect(s).toContain(`/Title ${pdfText('应急一张图 · 东昌区')}`);
  });

  it('refuses what is not a JPEG', () => {
    expect(() => pdfFromJpeg({ jpeg: new Uint8Array([0x89, 0x50]), width: 10, height: 10 })).toThrow(/JPEG/);
    expect(() => pdfFromJpeg({ jpeg: JPEG, width: 0, height: 10 })).toThrow();
  });

  it('fits the image inside the margins, centred, keeping its shape', () => {
    for (const [w, h, paper] of [
      [1600, 900, 'A4'],
      [900, 1600, 'A4'],
      [3000, 1000, 'A3'],
      [500, 500, 'A3'],
    ] as const) {
      const p = pdfPlacement(w, h, paper, 18);
      expect(p.page[0] > p.page[1]).toBe(w > h);
      expect(p.x).toBeGreaterThanOrEqual(17.99);
      expect(p.y).toBeGreaterThanOrEqual(17.99);
      expect(p.x + p.w).toBeLessThanOrEqual(p.page[0] - 17.99);
      expect(p.y + p.h).toBeLessThanOrEqual(p.page[1] - 17.99);
      expect(Math.abs(p.x - (p.page[0] - p.x - p.w))).toBeLessThan(0.02);
      expect(p.w / p.h).toBeCloseTo(w / h, 2);
      // One side touches its margins.
      expect(Math.min(p.x, p.y)).toBeCloseTo(18, 1);
    }
  });

  it('encodes text as UTF-16BE and dates with the local offset', () => {
    expect(pdfText('A东')).toBe('<FEFF0041 4E1C>'.replace(' ', ''));
    expect(pdfText('𠀀')).toBe('<FEFFD840DC00>');
    expect(pdfDate(new Date(2026, 10, 22, 14, 3, 5))).toMatch(/^D:20261122140305[+-]\d\d'\d\d'$/);
  });
});
