/**
 * The font documents embed (cli.md "Settings" documentFont; docs/documents.md): the
 * setting, else the first Japanese font found among Debian's packages — IPAex明朝
 * (fonts-ipaexfont), then Noto CJK (fonts-noto-cjk). pdfkit embeds a subset of it.
 * Glyph coverage is read from the fontkit font pdfkit opened, so a character the font
 * lacks is replaced by 〓 and reported, never printed as a blank box.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { usageError } from '../../core/errors.js';

export const DEFAULT_FONTS: readonly string[] = [
  '/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf',
  '/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
];

/** The replacement of a character the font lacks (the product's sign of 外字). */
export const MISSING_GLYPH = '〓';

export interface DocumentFont {
  path: string;
  /** a face of a collection (.ttc): its PostScript name, else undefined */
  family: string | undefined;
}

/** The font to embed: the setting (must exist), else the first default present; exit 2 when none. */
export function resolveFont(setting: string | undefined, candidates: readonly string[] = DEFAULT_FONTS): DocumentFont {
  const found = setting ?? candidates.find((p) => fs.existsSync(p));
  if (found === undefined || !fs.existsSync(found)) {
    throw usageError('documents.font-missing', {
      ja: `帳票のフォントがありません${setting !== undefined ? `（documentFont: ${setting}）` : ''}。fonts-ipaexfont を入れるか、設定 documentFont にフォントファイルのパスを書いてください`,
      en: `no font for the documents${setting !== undefined ? ` (documentFont: ${setting})` : ''}; install fonts-ipaexfont or set documentFont to a font file's path`,
    });
  }
  // Noto's collections: the Japanese face, e.g. NotoSansCJK-Regular.ttc → NotoSansCJKjp-Regular
  const family = /\.ttc$/i.test(found) ? path.basename(found).replace(/\.ttc$/i, '').replace('CJK-', 'CJKjp-') : undefined;
  return { path: found, family };
}

interface FontkitFace {
  hasGlyphForCodePoint(cp: number): boolean;
}

/**
 * The coverage test of the font pdfkit has selected (pdfkit's embedded font keeps the
 * fontkit face it opened as `.font`); memoised per code point.
 */
export function glyphCoverage(doc: PDFKit.PDFDocument): (cp: number) => boolean {
  const face = (doc as unknown as { _font?: { font?: FontkitFace } })._font?.font;
  if (face === undefined || typeof face.hasGlyphForCodePoint !== 'function') throw new Error('pdfkit did not expose the font face');
  const memo = new Map<number, boolean>();
  return (cp) => {
    let v = memo.get(cp);
    if (v === undefined) {
      v = face.hasGlyphForCodePoint(cp);
      memo.set(cp, v);
    }
    return v;
  };
}

/** Replace every character the font lacks; returns the text and how many were replaced. */
export function printableText(text: string, has: (cp: number) => boolean): { text: string; missing: number } {
  let missing = 0;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 || has(cp)) out += ch;
    else {
      out += MISSING_GLYPH;
      missing++;
    }
  }
  return { text: out, missing };
}

/**
 * pdfkit caches the layout of every distinct string it has set (names, addresses, amounts:
 * a dozen new ones a page) for the document's life: memory that grows with the pages.
 * Emptied after each page of requests so memory stays flat; the labels are laid out
 * again once per page of requests (ADR 0170).
 */
export function trimLayoutCache(doc: PDFKit.PDFDocument): void {
  const font = (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> } })._font;
  if (font?.layoutCache !== undefined) font.layoutCache = Object.create(null) as Record<string, unknown>;
}
