/**
 * Terminal tables and counts. Columns are padded by display width (East Asian Wide
 * characters such as 漢字 and full-width kana take two columns; half-width kana one),
 * not by UTF-16 length — the one padding helper every terminal table uses (ADR 0086).
 */
import stringWidth from 'string-width';

/** `s` followed by spaces up to `width` display columns. */
export function padEndW(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - stringWidth(s)));
}

/** `s` preceded by spaces up to `width` display columns. */
export function padStartW(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - stringWidth(s))) + s;
}

export type Align = 'left' | 'right';

/**
 * Rows of cells as lines, each column as wide as its widest cell, separated by two
 * spaces; `align` per column (default left; numbers are best right-aligned).
 * The last column is not padded at the end when left-aligned.
 */
export function formatTable(rows: string[][], align: Align[] = [], indent = ''): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(c))));
  return rows.map((r) => {
    const cells = r.map((c, i) => {
      const w = widths[i] ?? 0;
      if (align[i] === 'right') return padStartW(c, w);
      return i === r.length - 1 ? c : padEndW(c, w);
    });
    return indent + cells.join('  ');
  });
}

/** A count for people, grouped by thousands: 31361 → "31,361". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
