/**
 * Finding a file's layout (layout-xml.md): among formats/, the layouts whose
 * recordLength fits the file and whose header fields with const or values all match.
 */
import { AppError, EXIT } from '../core/errors.js';
import { decodeField, identify } from './codec.js';
import { listLayouts } from './load.js';
import type { Layout } from './types.js';

const CR = 0x0d;
const LF = 0x0a;

/** Whether `head` (the first bytes of a file) looks like a file in `layout`. */
function matchesLayout(layout: Layout, head: Uint8Array): boolean {
  const R = layout.recordLength;
  if (head.length < R) return false;
  const first = layout.records.header ?? layout.recordList[0]!;
  if (identify(layout, head, 0) !== first) return false;
  for (const f of first.fields) {
    if (f.constBytes) {
      for (let i = 0; i < f.length; i++) if (head[f.offset + i] !== f.constBytes[i]) return false;
    } else if (f.values) {
      if (!f.values.includes(decodeField(f, head, 0))) return false;
    }
  }
  // The record must end at R: a separator, the end of the file, 0x1A, or another record.
  if (head.length === R) return true;
  const b = head[R]!;
  if (b === CR || b === LF || b === 0x1a) return true;
  return head.length >= 2 * R ? identify(layout, head, R) !== undefined : true;
}

/** The layout of a file from its first bytes (give at least 2 records' worth). */
export function detectLayout(head: Uint8Array, candidates: Layout[] = listLayouts()): Layout {
  const hits = candidates.filter((l) => matchesLayout(l, head));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw notFixedWidth(head, candidates);
  const ids = hits.map((l) => l.id).join(', ');
  throw new AppError({
    code: 'layout.ambiguous',
    exit: EXIT.usage,
    msg: {
      ja: `ファイルに合うレイアウトが複数あります（${ids}）。--layout で指定してください`,
      en: `several layouts match the file (${ids}); give --layout`,
    },
  });
}

/** Hex of a few bytes, "EF BB BF 31". */
function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/**
 * No layout fits (cli.md): exit 3, saying what was found at byte 0 — an empty file, a
 * byte order mark (a text editor's save), or bytes that begin no record of any layout.
 * Only the first 4 bytes are shown (a header's record type and codes, never a name).
 */
function notFixedWidth(head: Uint8Array, candidates: Layout[]): AppError {
  const all = candidates.map((l) => `${l.id} (${l.recordLength})`).join(', ');
  const lens = [...new Set(candidates.map((l) => l.recordLength))].join('/');
  let what: { ja: string; en: string };
  if (head.length === 0) {
    what = { ja: '空のファイルです（0バイト）', en: 'the file is empty (0 bytes)' };
  } else if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    what = {
      ja: '先頭に UTF-8 の BOM（EF BB BF）があります。テキストエディタや Excel で保存し直したファイルのようです。銀行から受け取ったままのファイルを使ってください',
      en: 'it begins with a UTF-8 byte order mark (BOM, EF BB BF): it looks re-saved by a text editor or Excel. Use the file as received from the bank',
    };
  } else if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    what = {
      ja: `先頭に UTF-16 の BOM（${hex(head.subarray(0, 2))}）があります。テキストエディタで保存し直したファイルのようです。銀行から受け取ったままのファイルを使ってください`,
      en: `it begins with a UTF-16 byte order mark (${hex(head.subarray(0, 2))}): it looks re-saved by a text editor. Use the file as received from the bank`,
    };
  } else {
    what = {
      ja: `先頭は ${hex(head.subarray(0, 4))} で始まり、どのレイアウトのレコード長（${lens} バイト）・ヘッダーの種別コードにも合いません`,
      en: `it begins with bytes ${hex(head.subarray(0, 4))}, which fit no layout's record length (${lens} bytes) and header codes`,
    };
  }
  return new AppError({
    code: 'file.not-fixed-width',
    exit: EXIT.rejected,
    msg: {
      ja: `どのレイアウトの固定長ファイルでもありません: ${what.ja}。レイアウトの候補: ${all || 'なし'}`,
      en: `not a fixed-width file of any layout: ${what.en}. Layouts: ${all || 'none'}`,
    },
    location: { offset: 0 },
  });
}
