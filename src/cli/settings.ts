/**
 * `settings load FILE` · `settings show` · `settings set --bank CODE …`
 * (cli.md "Settings", docs/settings.md).
 */
import type { Command } from 'commander';
import { count } from '../core/table.js';
import { usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { getBankSettings } from '../db/settings.js';
import { loadSettingsFile, resolveBank, saveBankSettings, validateBankEntry } from '../settings/index.js';
import { DEFAULT_PROTECTED_PATTERNS } from '../domain/protected-funds.js';
import { buildSettingsShowJson, maskedBankSettings } from '../report/settings.js';
import { globals, printJson, say } from './context.js';

const SET_OPTIONS: Array<[flag: string, key: string, numeric?: boolean]> = [
  ['requesterCode', 'requesterCode'],
  ['requesterName', 'requesterName'],
  ['bankName', 'bankName'],
  ['depositBranch', 'depositBranch'],
  ['depositType', 'depositAccountType'],
  ['depositAccount', 'depositAccountNumber'],
  ['layout', 'layout'],
  ['maxRecords', 'maxRecordsPerFile', true],
  ['filePattern', 'fileNamePattern'],
  ['collection', 'collectionMode'],
  ['nextFileNumber', 'nextFileNumber', true],
  ['inquiryLayout', 'inquiryLayout'],
  ['inquiryFilePattern', 'inquiryFileNamePattern'],
  ['instructionLayout', 'instructionLayout'],
  ['instructionFilePattern', 'instructionFileNamePattern'],
];

export function register(program: Command): void {
  const settings = program.command('settings').description('金融機関ごとの設定 (per-bank settings)');

  settings
    .command('load <file>')
    .description('設定ファイル（JSON）を読み込む (load a settings file)')
    .action((file: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const r = loadSettingsFile(db, file, g.operator);
        if (g.json) {
          printJson({ banks: r.banks, protectedPatterns: r.protectedPatterns, documentSettings: r.documents });
        } else {
          for (const b of r.banks) {
            say(g, t({ ja: `金融機関 ${b.bankCode}: ${b.created ? '追加しました' : '更新しました'}`, en: `bank ${b.bankCode}: ${b.created ? 'added' : 'updated'}` }));
          }
          if (r.protectedPatterns !== null) {
            say(g, t({ ja: `差押禁止の摘要パターン（追加分）: ${r.protectedPatterns.length}件を保存しました`, en: `protected 摘要 patterns (extra): ${r.protectedPatterns.length} stored` }));
          }
        }
        for (const note of r.notes) process.stderr.write(`${t(note)}\n`);
      } finally {
        db.close();
      }
    });

  settings
    .command('show')
    .description('設定を表示する（口座番号は伏せ字）(show settings, account numbers masked)')
    .option('--bank <code>', '金融機関コード / only this bank')
    .action((o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const doc = buildSettingsShowJson(db, o['bank'] !== undefined ? String(o['bank']) : undefined);
        if (g.json) {
          printJson(doc);
          return;
        }
        const list = doc.banks;
        const extra = doc.protectedPatterns;
        const docs = { authority: doc.authority ?? undefined, collector: doc.collector ?? undefined, documentFont: doc.documentFont ?? undefined };
        const unset = t({ ja: '（未設定）', en: '(not set)' });
        say(g, t({ ja: `執行機関（authority）: ${docs.authority ?? unset}`, en: `authority (執行機関): ${docs.authority ?? unset}` }));
        say(g, t({ ja: `徴収職員（collector）: ${docs.collector ?? unset}`, en: `collector (徴収職員): ${docs.collector ?? unset}` }));
        say(g, t({ ja: `帳票フォント（documentFont）: ${docs.documentFont ?? '（未設定: 既定のフォント）'}`, en: `document font (documentFont): ${docs.documentFont ?? '(not set: the default font)'}` }));
        say(g, t({ ja: `Web アプリのアップロード上限（uploadLimitMB）: ${doc.uploadLimitMB} MB`, en: `web application upload limit (uploadLimitMB): ${doc.uploadLimitMB} MB` }));
        const patternText = (ps: ReadonlyArray<{ kind: string; pattern: string }>): string => ps.map((p) => `${p.pattern}（${p.kind}）`).join(' ');
        say(g, t({ ja: `差押禁止の摘要パターン（既定・常に適用）: ${patternText(DEFAULT_PROTECTED_PATTERNS)}`, en: `protected 摘要 patterns (defaults, always applied): ${patternText(DEFAULT_PROTECTED_PATTERNS)}` }));
        say(g, extra.length > 0
          ? t({ ja: `差押禁止の摘要パターン（追加分）: ${patternText(extra)}`, en: `protected 摘要 patterns (extra): ${patternText(extra)}` })
          : t({ ja: '差押禁止の摘要パターン（追加分）: なし', en: 'protected 摘要 patterns (extra): none' }));
        if (list.length === 0) {
          say(g, t({ ja: '設定された金融機関はありません。settings load か settings set で登録してください', en: 'no bank is configured; use settings load or settings set' }));
          return;
        }
        for (const s of list) {
          const ja = t({ ja: 'ja', en: 'en' }) === 'ja';
          say(g, `${s.bankCode} ${s.bankName}`);
          say(g, ja ? `  依頼者: ${s.requesterCode} ${s.requesterName}` : `  requester: ${s.requesterCode} ${s.requesterName}`);
          say(g, ja ? `  入金先口座: 支店 ${s.depositBranch}・種目 ${s.depositAccountType}・口座 ${s.depositAccountNumber}` : `  deposit account: branch ${s.depositBranch}, type ${s.depositAccountType}, account ${s.depositAccountNumber}`);
          say(g, ja ? `  レイアウト ${s.layout}・1ファイル最大 ${count(s.maxRecordsPerFile)} 件・ファイル名 ${s.fileNamePattern}` : `  layout ${s.layout}, max ${count(s.maxRecordsPerFile)} records/file, file name ${s.fileNamePattern}`);
          say(g, ja ? `  取立区分 ${s.collectionMode === 'immediate' ? '即時取立' : '取立保留'}・次のファイル番号 ${s.nextFileNumber}` : `  collection ${s.collectionMode}, next file number ${s.nextFileNumber}`);
          say(g, ja ? `  照会: レイアウト ${s.inquiryLayout}・ファイル名 ${s.inquiryFileNamePattern}` : `  inquiry: layout ${s.inquiryLayout}, file name ${s.inquiryFileNamePattern}`);
          say(g, ja ? `  取立指示: レイアウト ${s.instructionLayout}・ファイル名 ${s.instructionFileNamePattern}` : `  instruction: layout ${s.instructionLayout}, file name ${s.instructionFileNamePattern}`);
        }
      } finally {
        db.close();
      }
    });

  settings
    .command('set')
    .description('1つの金融機関の設定を登録・変更する (add or change one bank)')
    .requiredOption('--bank <code>', '金融機関コード（4桁）')
    .option('--requester-code <code>', '依頼者コード（10桁）')
    .option('--requester-name <kana>', '依頼者名（半角カナ）')
    .option('--bank-name <kana>', '金融機関名（半角カナ。省略時は全銀協コード表から）')
    .option('--deposit-branch <code>', '入金先支店コード（3桁）')
    .option('--deposit-type <type>', '入金先預金種目 1/2/3/4/9')
    .option('--deposit-account <number>', '入金先口座番号（7桁以内）')
    .option('--layout <id>', 'レイアウトID（既定 seizure-120）')
    .option('--max-records <n>', '1ファイルの最大件数（1〜999999）')
    .option('--file-pattern <pattern>', 'ファイル名パターン（{bank} と {file} を含む）')
    .option('--collection <mode>', 'immediate | deferred')
    .option('--next-file-number <n>', '次のファイル番号（今より大きい値のみ有効）')
    .option('--inquiry-layout <id>', '照会ファイルのレイアウトID（既定 inquiry-300）')
    .option('--inquiry-file-pattern <pattern>', '照会ファイル名パターン（既定 INQ_{bank}_{file}.DAT）')
    .option('--instruction-layout <id>', '取立指示ファイルのレイアウトID（既定 instruction-120）')
    .option('--instruction-file-pattern <pattern>', '取立指示ファイル名パターン（既定 INST_{bank}_{file}.DAT）')
    .action((o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const bankCode = String(o['bank']);
        const current = getBankSettings(db, bankCode);
        const entry: Record<string, unknown> = current
          ? {
              bankCode,
              requesterCode: current.requesterCode,
              requesterName: current.requesterName,
              ...(current.bankName ? { bankName: current.bankName } : {}),
              depositBranch: current.depositBranch,
              depositAccountType: current.depositAccountType,
              depositAccountNumber: current.depositAccountNumber,
              layout: current.layout,
              maxRecordsPerFile: current.maxRecordsPerFile,
              fileNamePattern: current.fileNamePattern,
              collectionMode: current.collectionMode,
              inquiryLayout: current.inquiryLayout,
              inquiryFileNamePattern: current.inquiryFileNamePattern,
              instructionLayout: current.instructionLayout,
              instructionFileNamePattern: current.instructionFileNamePattern,
            }
          : { bankCode };
        for (const [flag, key, numeric] of SET_OPTIONS) {
          const v = o[flag];
          if (v === undefined) continue;
          const s = String(v);
          entry[key] = numeric ? (/^\d+$/.test(s) ? Number(s) : NaN) : s;
        }
        if (!current) {
          const missing = [
            ['requesterCode', '--requester-code'],
            ['requesterName', '--requester-name'],
            ['depositBranch', '--deposit-branch'],
            ['depositAccountType', '--deposit-type'],
            ['depositAccountNumber', '--deposit-account'],
          ].filter(([k]) => entry[k!] === undefined).map(([, f]) => f!);
          if (missing.length) {
            throw usageError('settings.missing', {
              ja: `金融機関 ${bankCode} は未登録のため、次の項目が必要です: ${missing.join(' ')}`,
              en: `bank ${bankCode} is new, so these are required: ${missing.join(' ')}`,
            });
          }
        }
        const valid = validateBankEntry(entry);
        const resolved = resolveBank(valid);
        const r = saveBankSettings(db, resolved, g.operator);
        const saved = getBankSettings(db, bankCode)!;
        if (g.json) printJson({ bank: maskedBankSettings(saved), created: r.created });
        else say(g, t({ ja: `金融機関 ${bankCode}: ${r.created ? '追加しました' : '更新しました'}`, en: `bank ${bankCode}: ${r.created ? 'added' : 'updated'}` }));
        for (const note of resolved.notes) process.stderr.write(`${t(note)}\n`);
      } finally {
        db.close();
      }
    });
}
