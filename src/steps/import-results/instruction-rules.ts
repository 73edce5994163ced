/**
 * Rule 3 of an instruction result file (instruction-120.md "Rules an instruction result
 * must satisfy", 種別コード 63): 結果コード 01 — 取立金額 = 取立指示額, 取立日 a bank
 * business day on or after 指示日 when 取立金額 > 0, else "00000000"; 99 — 取立金額 0 and
 * 取立日 "00000000"; any other code is an error. Rule 4 (trailer totals) is the layout's
 * (`total=` in formats/instruction-120.xml), checked by the format engine.
 *
 * Pure and file-intrinsic: used by `import results` and, as a file rule, by `validate`
 * and `inspect` (src/cli/file-rules.ts). None of the fields it reads is personal data.
 */
import type { Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { yen } from '../../core/yen.js';
import { isBusinessDay } from '../../domain/calendar.js';
import { pushCheckerRule, type FileRule, type PushChecker, type PushedRecord } from '../../file/file-rules.js';
import type { Layout } from '../../layout/types.js';
import { digitsValue, ymdToIso } from './result-rules.js';

const NO_DATE = '00000000';

/** An instruction result's header: the instruction layout's 種別コード 63. */
export function isInstructionResultHeader(layout: Layout, header: Readonly<Record<string, string>> | null): boolean {
  return layout.records.data?.byId.has('collectAmount') === true && header !== null && header['typeCode'] === '63';
}

/** Whether a layout is an instruction layout (its 種別コード allows 53/63). */
export function isInstructionLayout(layout: Layout): boolean {
  const codes = layout.records.header?.byId.get('typeCode')?.values ?? [];
  return codes.includes('63') || codes.includes('53');
}

class InstructionResultRules implements PushChecker {
  private instructionIso: string | null = null;
  constructor(
    private readonly layout: Layout,
    private readonly report: (f: Finding) => void,
  ) {}

  private at(rec: PushedRecord, field: string): number {
    return rec.offset + (this.layout.records.data?.byId.get(field)?.offset ?? 0);
  }

  private emit(rec: PushedRecord, field: string, code: string, expected: string, found: string, message: Msg): void {
    this.report({ code, record: rec.index, offset: this.at(rec, field), field, expected, found, message });
  }

  push(rec: PushedRecord): void {
    if (rec.kind === 'header') {
      this.instructionIso = ymdToIso(rec.fields['instructionDate'] ?? '');
      return;
    }
    if (rec.kind !== 'data') return;
    const f = rec.fields;
    const req = digitsValue(f['requestNumber']);
    const sub = digitsValue(f['subNumber']);
    const who: Msg = { ja: `依頼番号 ${req} 枝番 ${sub}`, en: `request ${req} sub ${sub}` };
    const code = f['resultCode'] ?? '';
    const collected = digitsValue(f['collectedAmount']);
    const instructed = digitsValue(f['collectAmount']);
    const date = f['collectionDate'] ?? '';
    if (code === '01') {
      if (collected >= 0 && instructed >= 0 && collected !== instructed) {
        this.emit(rec, 'collectedAmount', 'instruction-result.collected-differs', String(instructed).padStart(12, '0'), f['collectedAmount'] ?? '', {
          ja: `${who.ja}: 結果コード 01 の取立金額 ${yen(collected)} が取立指示額 ${yen(instructed)} と一致しません。銀行に確認してください`,
          en: `${who.en}: result 01 collected ${yen(collected)}, not the instructed ${yen(instructed)}; ask the bank`,
        });
      }
      if (collected > 0) this.collectionDate(rec, who, date);
      else if (collected === 0 && date !== NO_DATE) this.noDate(rec, who, date);
      return;
    }
    if (code === '99') {
      if (collected !== 0) {
        this.emit(rec, 'collectedAmount', 'instruction-result.not-done-collected', '000000000000', f['collectedAmount'] ?? '', {
          ja: `${who.ja}: 結果コード 99（未処理）なのに取立金額が 0 ではありません`,
          en: `${who.en}: result 99 (not done) but the collected amount is not 0`,
        });
      }
      if (date !== NO_DATE) this.noDate(rec, who, date);
      return;
    }
    this.emit(rec, 'resultCode', 'instruction-result.bad-code', '01|99', code, {
      ja: `${who.ja}: 結果コード ${code} は取立・解除指示の結果として使えません（01 処理済、99 未処理）`,
      en: `${who.en}: result code ${code} is not an instruction result (01 done, 99 not done)`,
    });
  }

  private noDate(rec: PushedRecord, who: Msg, date: string): void {
    this.emit(rec, 'collectionDate', 'instruction-result.date-without-collection', NO_DATE, date, {
      ja: `${who.ja}: 取立金額が 0 のとき取立日は 00000000 です`,
      en: `${who.en}: with nothing collected the collection date must be 00000000`,
    });
  }

  private collectionDate(rec: PushedRecord, who: Msg, date: string): void {
    const iso = ymdToIso(date);
    if (iso === null) {
      this.emit(rec, 'collectionDate', 'instruction-result.collection-date', '(YYYYMMDD)', date, {
        ja: `${who.ja}: 取立金額があるのに取立日が日付ではありません`,
        en: `${who.en}: money was collected but the collection date is not a date`,
      });
      return;
    }
    if (this.instructionIso !== null && iso < this.instructionIso) {
      this.emit(rec, 'collectionDate', 'instruction-result.collection-before-instruction', `>= ${this.instructionIso.replaceAll('-', '')}`, date, {
        ja: `${who.ja}: 取立日 ${iso} が指示日 ${this.instructionIso} より前です`,
        en: `${who.en}: collection date ${iso} is before the instruction date ${this.instructionIso}`,
      });
    }
    if (!isBusinessDay(iso)) {
      this.emit(rec, 'collectionDate', 'instruction-result.collection-holiday', '(銀行営業日 / a bank business day)', date, {
        ja: `${who.ja}: 取立日 ${iso} は銀行の休業日です`,
        en: `${who.en}: collection date ${iso} is not a bank business day`,
      });
    }
  }

  finish(): void {}
}

/** Rule 3 fed record by record (the import's check). */
export function instructionResultRules(layout: Layout, report: (f: Finding) => void): PushChecker {
  return new InstructionResultRules(layout, report);
}

/** Rule 3 as a file rule (`validate`, `inspect`): a file of an instruction layout whose header says 63. */
export const instructionResultFileRule: FileRule = (layout, header) =>
  header === null || !isInstructionResultHeader(layout, header) ? null : pushCheckerRule(header, (report) => new InstructionResultRules(layout, report));
