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
export function matchesLayout(layout: Layout, head: Uint8Array): boolean {
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
  const all = candidates.map((l) => `${l.id} (${l.recordLength})`).join(', ');
  if (hits.length === 0) {
    throw new AppError({
      code: 'layout.not-detected',
      exit: EXIT.usage,
      msg: {
        ja: `ファイルのレイアウトを判別できません（レコード長・ヘッダーの種別コードがどのレイアウトにも合いません）。--layout で指定してください。候補: ${all || 'なし'}`,
        en: `cannot tell the file's layout (record length and header codes match none). Give --layout. Candidates: ${all || 'none'}`,
      },
    });
  }
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
