/**
 * What every document page shares (docs/documents.md): A4 with pdfkit's API (text, lines,
 * boxes), the title, 文書番号 and 依頼番号 at the top, 見本 across a draft page, amounts
 * with comma grouping and 円, labelled rows and tables. The kinds' layouts
 * (seizure-record.ts, notice.ts, release.ts) are pure functions of their data onto a Sheet.
 */
import type PDFDocument from 'pdfkit';

export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 50;
export const CONTENT_WIDTH = A4.width - 2 * MARGIN;

/** Where pages are drawn, and how personal text is made printable. */
export interface Sheet {
  doc: PDFKit.PDFDocument;
  /** pages marked 見本 (documents --draft) */
  draft: boolean;
  /** the text with every character the font lacks replaced by 〓, each counted against 宛名番号 */
  printable(text: string, atena: string): string;
}

/** 1,234,567円 (integer yen; grouping by hand: toLocaleString is slow at 10,000 pages) */
export function yenText(n: number): string {
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${digits}円`;
}

/**
 * One line of text at (x, y) in `size` points; with `width`, aligned in that width and cut
 * with … when longer. Positions are computed here from the font's widths, so pdfkit's
 * line wrapper (its slowest path) is never used.
 */
export function put(s: Sheet, text: string, x: number, y: number, size: number, width?: number, align: 'left' | 'right' | 'center' = 'left'): void {
  const doc = s.doc;
  doc.fontSize(size);
  let t = text;
  if (width !== undefined) {
    let w = doc.widthOfString(t);
    if (w > width) {
      const chars = [...t];
      while (chars.length > 0 && w > width) {
        chars.pop();
        t = chars.join('') + '…';
        w = doc.widthOfString(t);
      }
    }
    if (align === 'right') x += width - w;
    else if (align === 'center') x += (width - w) / 2;
  }
  doc.text(t, x, y, { lineBreak: false });
}

/** 2026-11-24 → 2026年11月24日 */
export function dateText(iso: string | null): string {
  if (iso === null) return '—';
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

const ACCOUNT_TYPES: Readonly<Record<string, string>> = { '1': '普通預金', '2': '当座預金', '3': '納税準備預金', '4': '貯蓄預金', '9': 'その他' };
export function accountTypeText(code: string): string {
  return ACCOUNT_TYPES[code] ?? code;
}

/** The printed form of a document number: prefix of the kind, then 第N号. */
export function documentNumberText(prefix: string, n: number): string {
  return `${prefix}第${n}号`;
}

/** A new page with its title, 文書番号 and 依頼番号; returns the y below the header. */
export function beginPage(s: Sheet, title: string, numberText: string, requestNumber: number): number {
  const doc = s.doc;
  doc.addPage({ size: 'A4', margin: MARGIN });
  if (s.draft) {
    doc.save();
    doc.fillColor('#d0d0d0');
    put(s, '見本', MARGIN + 120, 330, 120);
    doc.restore();
    doc.fillColor('black');
  }
  put(s, `文書番号 ${numberText}`, MARGIN, MARGIN - 20, 9, CONTENT_WIDTH, 'right');
  put(s, `依頼番号 ${requestNumber}`, MARGIN, MARGIN - 8, 9, CONTENT_WIDTH, 'right');
  put(s, title, MARGIN, MARGIN + 12, 18, CONTENT_WIDTH, 'center');
  doc.moveTo(MARGIN, MARGIN + 40).lineTo(A4.width - MARGIN, MARGIN + 40).lineWidth(0.8).stroke();
  return MARGIN + 52;
}

/** Labelled rows in a box: label column, value column; returns the y below. */
export function rows(s: Sheet, y: number, items: ReadonlyArray<readonly [string, string]>, rowHeight = 18): number {
  const doc = s.doc;
  const labelWidth = 110;
  doc.rect(MARGIN, y, CONTENT_WIDTH, rowHeight * items.length).lineWidth(0.5).stroke();
  doc.moveTo(MARGIN + labelWidth, y).lineTo(MARGIN + labelWidth, y + rowHeight * items.length).stroke();
  items.forEach(([label, value], i) => {
    const ty = y + i * rowHeight;
    if (i > 0) doc.moveTo(MARGIN, ty).lineTo(A4.width - MARGIN, ty).stroke();
    put(s, label, MARGIN + 4, ty + 4, 10, labelWidth - 8);
    put(s, value, MARGIN + labelWidth + 4, ty + 4, 10, CONTENT_WIDTH - labelWidth - 8);
  });
  return y + rowHeight * items.length + 10;
}

export interface Column {
  head: string;
  width: number;
  align?: 'left' | 'right';
}

/**
 * A table under a section heading. Rows beyond `maxRows` are summed into one last line
 * by `rest` (a page per request: a request with very many debts still fits its page).
 */
export function table(s: Sheet, y: number, heading: string, cols: readonly Column[], body: ReadonlyArray<readonly string[]>, maxRows: number, rest?: (hidden: number) => readonly string[]): number {
  const doc = s.doc;
  put(s, heading, MARGIN, y, 11);
  y += 16;
  const shown = body.length > maxRows && rest !== undefined ? [...body.slice(0, maxRows - 1), rest(body.length - maxRows + 1)] : body;
  const rh = 15;
  const line = (cells: readonly string[], ty: number, size: number): void => {
    let x = MARGIN;
    cols.forEach((c, i) => {
      put(s, cells[i] ?? '', x + 3, ty + 3.5, size, c.width - 6, c.align ?? 'left');
      x += c.width;
    });
  };
  const total = shown.length + 1;
  doc.rect(MARGIN, y, CONTENT_WIDTH, rh * total).lineWidth(0.5).stroke();
  line(cols.map((c) => c.head), y, 8.5);
  shown.forEach((cells, i) => {
    const ty = y + (i + 1) * rh;
    doc.moveTo(MARGIN, ty).lineTo(A4.width - MARGIN, ty).stroke();
    line(cells, ty, 9);
  });
  return y + rh * total + 12;
}

/** Closing lines (執行機関, 徴収職員 …) at the foot of the page. */
export function footer(s: Sheet, lines: readonly string[]): void {
  let y = A4.height - MARGIN - lines.length * 16;
  for (const l of lines) {
    put(s, l, MARGIN, y, 10.5, CONTENT_WIDTH, 'right');
    y += 16;
  }
}

export type { PDFDocument };
