/**
 * `documents BATCH --out DIR [--kind seizure-record|notice|release]… [--draft] [--json]`
 * (issue 17 item 1; cli.md; docs/documents.md): the legal documents of a seizure batch as
 * PDF with their index CSVs. Personal data goes to the PDFs only; the console names
 * taxpayers by 宛名番号.
 */
import type { Command } from 'commander';
import { usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { count } from '../core/table.js';
import { openDb } from '../db/connection.js';
import { DOCUMENT_KINDS, MISSING_GLYPH, printDocuments } from '../steps/documents/index.js';
import { globals, printJson, say } from './context.js';

type Kind = (typeof DOCUMENT_KINDS)[number];

const LABEL: Readonly<Record<Kind, { ja: string; en: string }>> = {
  'seizure-record': { ja: '差押調書（謄本）', en: 'seizure records' },
  notice: { ja: '債権差押通知書', en: 'seizure notices' },
  release: { ja: '差押解除通知書', en: 'release notices' },
};

export function register(program: Command): void {
  program
    .command('documents')
    .description('差押バッチの法定帳票を PDF で作る（差押調書・債権差押通知書・差押解除通知書）(legal documents of a seizure batch as PDF)')
    .argument('<batch>', '差押バッチID / seizure batch id')
    .requiredOption('--out <dir>', '出力フォルダ（同名のファイルがあれば中止）/ output folder (existing files refuse)')
    .option('--kind <kind>', 'seizure-record | notice | release（複数可。省略時は状態で作れるもの全部）/ repeatable; default: every kind the state allows', (v: string, prev: string[] = []) => [...prev, v])
    .option('--draft', '見本として作る（執行機関・徴収職員の設定がなくてもよい）/ sample pages marked 見本')
    .action(async (batchId: string, o: { out: string; kind?: string[]; draft?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      for (const k of o.kind ?? []) {
        if (!(DOCUMENT_KINDS as readonly string[]).includes(k)) {
          throw usageError('documents.unknown-kind', {
            ja: `--kind ${k} は使えません。seizure-record・notice・release のいずれかです`,
            en: `--kind ${k} is not a document kind; use seizure-record, notice or release`,
          });
        }
      }
      const db = openDb(g.db, { mustExist: true });
      try {
        const r = await printDocuments(db, batchId, { outDir: o.out, kinds: o.kind as Kind[] | undefined, draft: o.draft === true, operator: g.operator });
        if (g.json) printJson(r);
        for (const d of r.documents) {
          say(
            g,
            t({
              ja: `${LABEL[d.kind].ja}: ${count(d.pages)}ページ（${count(d.requests)}件、${d.numbers.first}〜${d.numbers.last}、新たに採番 ${count(d.numbers.newlyAssigned)}件）→ ${d.file}、${d.index}`,
              en: `${LABEL[d.kind].en}: ${count(d.pages)} pages (${count(d.requests)} requests, ${d.numbers.first}–${d.numbers.last}, ${count(d.numbers.newlyAssigned)} newly numbered) → ${d.file}, ${d.index}`,
            }),
          );
        }
        if (r.draft) say(g, t({ ja: '見本（--draft）として作りました。交付には使えません', en: 'made as samples (--draft, marked 見本); not for service' }));
        for (const m of r.missingGlyphs) {
          process.stderr.write(
            t({
              ja: `注意: ${LABEL[m.kind].ja} 宛名番号 ${m.taxpayer}: フォントにない文字 ${m.characters} 字を ${MISSING_GLYPH} で印字しました。手書きで補ってください\n`,
              en: `warning: ${LABEL[m.kind].en}, taxpayer ${m.taxpayer}: ${m.characters} character(s) missing from the font printed as ${MISSING_GLYPH}; complete them by hand\n`,
            }),
          );
        }
      } finally {
        db.close();
      }
    });
}
