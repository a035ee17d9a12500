// A one-page PDF holding one JPEG image, fitted to a paper size. All text of an exported view
// (Chinese included) is already drawn into the image, so the PDF needs no font at all: this
// writer is the whole of PDF the export needs (PDF 1.4: catalog, pages, page, content stream,
// a DCTDecode image XObject, info, cross-reference table). Pure, unit-tested
// (tests/export-pdf.test.ts).

/** Paper sizes in PostScript points (1/72 inch), portrait. */
export const PAPER = {
  A4: [595.28, 841.89],
  A3: [841.89, 1190.55],
} as const;

export type Paper = keyof typeof PAPER;

export interface PdfImagePage {
  /** The JPEG file's bytes (what `canvas.toBlob(…, 'image/jpeg')` gives). */
  jpeg: Uint8Array;
  width: number;
  height: number;
  paper?: Paper;
  /** Document title (any Unicode text). */
  title?: string;
  /** Creation time (default: now). */
  time?: Date;
  /** Margin around the image, in points (default 18, a quarter inch). */
  margin?: number;
}

/** The page (landscape when the image is wider than tall) and where the image goes on it. */
export function pdfPlacement(width: number, height: number, paper: Paper = 'A4', margin = 18): { page: [number, number]; x: number; y: number; w: number; h: number } {
  const [a, b] = PAPER[paper];
  const page: [number, number] = width > height ? [b, a] : [a, b];
  const s = Math.min((page[0] - 2 * margin) / width, (page[1] - 2 * margin) / height);
  const w = width * s;
  const h = height * s;
  const r = (v: number): number => Math.round(v * 100) / 100;
  return { page, x: r((page[0] - w) / 2), y: r((page[1] - h) / 2), w: r(w), h: r(h) };
}

/** A PDF text string: UTF-16BE with a byte-order mark, hex-encoded (any script). */
export function pdfText(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

/** A PDF date string in the time's local offset: D:YYYYMMDDHHmmSS+08'00'. */
export function pdfDate(t: Date): string {
  const p = (n: number): string => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const off = -t.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `D:${t.getFullYear()}${p(t.getMonth() + 1)}${p(t.getDate())}${p(t.getHours())}${p(t.getMinutes())}${p(t.getSeconds())}${sign}${p(off / 60)}'${p(off % 60)}'`;
}

/** The PDF file's bytes. */
export function pdfFromJpeg(o: PdfImagePage): Uint8Array {
  if (!(o.width > 0 && o.height > 0)) throw new Error('pdf: the image has no size');
  if (o.jpeg[0] !== 0xff || o.jpeg[1] !== 0xd8) throw new Error('pdf: the image is not a JPEG');
  const at = pdfPlacement(o.width, o.height, o.paper ?? 'A4', o.margin ?? 18);
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (c: string | Uint8Array): void => {
    const b = typeof c === 'string' ? enc.encode(c) : c;
    chunks.push(b);
    length += b.length;
  };
  const obj = (n: number, body: string | (string | Uint8Array)[]): void => {
    offsets[n] = length;
    push(`${n} 0 obj\n`);
    for (const part of typeof body === 'string' ? [body] : body) push(part);
    push('\nendobj\n');
  };
  // Header; the second line's high bytes mark the file as binary.
  push('%PDF-1.4\n');
  push(new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  const content = `q ${at.w} 0 0 ${at.h} ${at.x} ${at.y} cm /Im0 Do Q`;
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  obj(3, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${at.page[0]} ${at.page[1]}] /Resources << /XObject << /Im0 5 0 R >> /ProcSet [/PDF /ImageC] >> /Contents 4 0 R >>`);
  obj(4, `<< /Length ${enc.encode(content).length} >>\nstream\n${content}\nendstream`);
  obj(5, [
    `<< /Type /XObject /Subtype /Image /Width ${o.width} /Height ${o.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${o.jpeg.length} >>\nstream\n`,
    o.jpeg,
    '\nendstream',
  ]);
  obj(6, `<< /Title ${pdfText(o.title ?? 'OneMap')} /Producer (OneMap) /CreationDate (${pdfDate(o.time ?? new Date())}) >>`);
  const xref = length;
  const rows = offsets.slice(1).map((off) => `${String(off).padStart(10, '0')} 00000 n \n`);
  push(`xref\n0 ${offsets.length}\n0000000000 65535 f \n${rows.join('')}`);
  push(`trailer\n<< /Size ${offsets.length} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(length);
  let i = 0;
  for (const c of chunks) {
    out.set(c, i);
    i += c.length;
  }
  return out;
}
