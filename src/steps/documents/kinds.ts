/**
 * The three documents (issue 17; docs/documents.md), each a function from its data to
 * pages on a Sheet: 差押調書（謄本）, 債権差押通知書, 差押解除通知書. No I/O here beyond drawing.
 */
import type { DocumentAccount, DocumentKind, DocumentRequest } from '../../db/documents.js';
import { accountTypeText, beginPage, dateText, documentNumberText, footer, rows, table, yenText, type Column, type Sheet } from './page.js';

/** What every page of a batch shares. */
export interface BatchFacts {
  /** 差押執行日 */
  executionDate: string;
  collectionMode: 'immediate' | 'deferred';
  bankCode: string;
  bankName: string;
  /** 執行機関, 徴収職員 (settings); '' in a draft without them */
  authority: string;
  collector: string;
}

export const PREFIX: Readonly<Record<DocumentKind, string>> = { 'seizure-record': '差調', notice: '差通', release: '解通' };

/** One page of a kind per request: the pages it drew (release: 2). */
export type KindLayout = (s: Sheet, b: BatchFacts, r: DocumentRequest) => number;

const debtTotal = (r: DocumentRequest): number => r.debts.reduce((a, d) => a + d.honzei + d.entaikin + d.fee, 0);
const seizedAccounts = (r: DocumentRequest): DocumentAccount[] => r.accounts.filter((a) => (a.seized ?? 0) > 0 && a.resultCode !== null && ['01', '02', '21'].includes(a.resultCode));
const bankText = (b: BatchFacts): string => `${b.bankName}（金融機関コード ${b.bankCode}）`;
const MAX_ROWS = 14;

function delinquent(s: Sheet, r: DocumentRequest): Array<[string, string]> {
  return [
    ['滞納者 氏名', s.printable(r.name, r.atena)],
    ['滞納者 住所', r.address === null ? '—' : s.printable(r.address, r.atena)],
    ['宛名番号', r.atena],
  ];
}

const DEBT_COLS: Column[] = [
  { head: '税目', width: 105 },
  { head: '年度', width: 40, align: 'right' },
  { head: '期別', width: 35, align: 'right' },
  { head: '納期限', width: 80 },
  { head: '本税', width: 80, align: 'right' },
  { head: '延滞金', width: 70, align: 'right' },
  { head: '督促手数料', width: 85.28, align: 'right' },
];

function debtTable(s: Sheet, y: number, r: DocumentRequest): number {
  const body = r.debts.map((d) => [d.taxName, String(d.fiscalYear), d.period, dateText(d.dueDate), yenText(d.honzei), yenText(d.entaikin), yenText(d.fee)]);
  return table(s, y, `滞納金額 ${yenText(debtTotal(r))} の内訳`, DEBT_COLS, body, MAX_ROWS, (hidden) => {
    const rest = r.debts.slice(r.debts.length - hidden);
    const sum = (f: (d: (typeof rest)[number]) => number): string => yenText(rest.reduce((a, d) => a + f(d), 0));
    return [`ほか${hidden}件`, '', '', '', sum((d) => d.honzei), sum((d) => d.entaikin), sum((d) => d.fee)];
  });
}

const ACCOUNT_COLS: Column[] = [
  { head: '金融機関名', width: 130 },
  { head: '支店番号', width: 60 },
  { head: '預金種目', width: 90 },
  { head: '口座番号', width: 100 },
  { head: '金額', width: 115.28, align: 'right' },
];

function accountTable(s: Sheet, y: number, b: BatchFacts, heading: string, list: readonly DocumentAccount[], amount: (a: DocumentAccount) => string): number {
  const body = list.map((a) => [b.bankName, a.branchCode, accountTypeText(a.accountType), a.accountNumber, amount(a)]);
  return table(s, y, heading, ACCOUNT_COLS, body, MAX_ROWS, (hidden) => [`ほか${hidden}口座`, '', '', '', '']);
}

/** 差押調書（謄本）: one page per request with a seized amount. */
export const seizureRecord: KindLayout = (s, b, r) => {
  let y = beginPage(s, '差押調書（謄本）', documentNumberText(PREFIX['seizure-record'], r.number), r.requestNumber);
  const seized = seizedAccounts(r);
  const total = seized.reduce((a, x) => a + (x.seized ?? 0), 0);
  y = rows(s, y, [
    ['差押年月日', dateText(b.executionDate)],
    ...delinquent(s, r),
    ['滞納金額', yenText(debtTotal(r))],
    ['第三債務者', bankText(b)],
    ['差押金額 合計', yenText(total)],
  ]);
  y = debtTable(s, y, r);
  accountTable(s, y, b, '差押財産（預金債権）', seized, (a) => yenText(a.seized ?? 0));
  footer(s, ['国税徴収法第54条（地方税法により準用）の規定により差押調書を作成し、その謄本を交付します。', `執行機関　${b.authority}`, b.collector]);
  return 1;
};

/** 債権差押通知書 to the bank: one page per request (written or later). */
export const notice: KindLayout = (s, b, r) => {
  let y = beginPage(s, '債権差押通知書', documentNumberText(PREFIX.notice, r.number), r.requestNumber);
  y = rows(s, y, [
    ['第三債務者', `${bankText(b)}　御中`],
    ...delinquent(s, r),
    ['滞納金額', yenText(debtTotal(r))],
    ['差押債権', '下記の預金債権。ただし滞納金額に満つるまで'],
    ['履行期限', b.collectionMode === 'deferred' ? '請求があり次第即時' : '即時'],
  ]);
  y = debtTable(s, y, r);
  accountTable(s, y, b, '差押債権（預金）', r.accounts, () => '滞納金額に満つるまで');
  footer(s, ['上記の滞納金額を徴収するため、下記の債権を差し押さえたので通知します。', `執行機関　${b.authority}`]);
  return 1;
};

/** 差押解除通知書: to the delinquent, then to the bank, per request with a released amount. */
export const release: KindLayout = (s, b, r) => {
  const released = r.accounts.filter((a) => a.released > 0);
  const total = released.reduce((a, x) => a + x.released, 0);
  const date = released.map((a) => a.releaseDate ?? '').sort().at(-1) ?? null;
  for (const to of [`${s.printable(r.name, r.atena)}　様`, `${bankText(b)}　御中`]) {
    let y = beginPage(s, '差押解除通知書', documentNumberText(PREFIX.release, r.number), r.requestNumber);
    y = rows(s, y, [
      ['宛先', to],
      ['解除年月日', dateText(date)],
      ['差押年月日', dateText(b.executionDate)],
      ...delinquent(s, r),
      ['第三債務者', bankText(b)],
      ['解除金額 合計', yenText(total)],
    ]);
    accountTable(s, y, b, '差押を解除する財産（預金債権）', released, (a) => yenText(a.released));
    footer(s, ['上記の財産の差押えを解除したので通知します。', `執行機関　${b.authority}`]);
  }
  return 2;
};

export const LAYOUTS: Readonly<Record<DocumentKind, KindLayout>> = { 'seizure-record': seizureRecord, notice, release };
