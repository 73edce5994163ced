/**
 * One measurement of the codec benchmark, run in its own process by src/bench/codec.ts:
 *   node dist/bench/codec-worker.js <mode> <records> <filePrefix>
 * Files are <filePrefix>.<k>.dat, at most 999,999 data records each (the layout's
 * trailer count has 6 digits; a larger batch is several files, as in the product).
 * Prints one JSON line {mode, seconds, records, bytes, files, maxRssMB} on stdout.
 * Modes: encode | decode (ours), iconv-encode | iconv-decode (baseline a: iconv-lite per
 * record), evologi-decode (baseline b: iconv-lite over the whole file, then @evologi/fixed-width).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { parse as fwParse } from '@evologi/fixed-width';
import { loadLayout } from '../layout/index.js';
import { SyncRecordWriter, scanFileSync } from '../file/index.js';

const KANA = ['ﾔﾏﾀﾞ ﾀﾛｳ', 'ｽｽﾞｷ ﾊﾅｺ', 'ｻﾄｳ ｹﾝｲﾁ', 'ﾀﾅｶ ﾏｻﾙ', 'ﾜﾀﾅﾍﾞ ﾕｳｺ', 'ｲﾄｳ ｼﾞﾛｳ', 'ﾅｶﾑﾗ ﾐﾎ', 'ｺﾊﾞﾔｼ ﾋﾛｼ', 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾊﾟﾝ', 'ﾔﾏﾓﾄ(ｶ'];

/** Data records as a caller hands them: a pool cycled with a changing request number. */
export function pool(size = 4096): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < size; i++) {
    out.push({
      requestNumber: '1',
      subNumber: '01',
      branchCode: String(rnd(999) + 1).padStart(3, '0'),
      accountType: String([1, 2, 4][rnd(3)]),
      accountNumber: String(rnd(9999999)).padStart(7, '0'),
      holderName: KANA[rnd(KANA.length)]!,
      birthDate: `19${50 + rnd(50)}0${1 + rnd(9)}1${rnd(9)}`,
      limitAmount: String(1000 + rnd(500_000)), // keeps 999,999 limits within the 12-digit limitTotal
      resultCode: '00',
    });
  }
  return out;
}

const HEADER = {
  typeCode: '51', requesterCode: '12345', requesterName: 'ｶｺﾞｼﾏｼ', executionDate: '20261201', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ',
  fileNumber: '42', collectionMode: '1', depositBranch: '123', depositAccountType: '1', depositAccountNumber: '1234567',
};

function rssMB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

export const PER_FILE = 999_999;

/** File names for n data records. */
export function filesFor(prefix: string, n: number): string[] {
  const k = Math.max(1, Math.ceil(n / PER_FILE));
  return Array.from({ length: k }, (_, i) => `${prefix}.${i + 1}.dat`);
}

function encodeOurs(n: number, prefix: string): number {
  const L = loadLayout('seizure-120');
  const p = pool();
  const t0 = process.hrtime.bigint();
  let i = 0;
  for (const file of filesFor(prefix, n)) {
    const w = new SyncRecordWriter(file, L, { flags: 'w' });
    w.header(HEADER);
    const stop = Math.min(n, i + PER_FILE);
    for (; i < stop; i++) {
      const rec = p[i & 4095]!;
      rec['requestNumber'] = String(i + 1);
      w.data(rec);
    }
    w.trailer();
    w.end();
    w.close();
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function decodeOurs(n: number, prefix: string): number {
  const L = loadLayout('seizure-120');
  let count = 0;
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (const file of filesFor(prefix, n)) {
    const s = scanFileSync(file, L, { raw: false, today: '2026-11-23' }, (r) => {
      count++;
      sum += r.fields['holderName']?.length ?? 0; // touch the decoded fields
    });
    if (!s.valid) throw new Error(`bench file invalid: ${JSON.stringify(s.findings.slice(0, 3))}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (sum < 0 || count < n) throw new Error(`decoded ${count} records`);
  return seconds;
}

const DATA_FIELDS: Array<[string, number, 'L' | 'R']> = [
  ['dataKubun', 1, 'R'], ['requestNumber', 10, 'R'], ['subNumber', 2, 'R'], ['branchCode', 3, 'R'], ['accountType', 1, 'R'],
  ['accountNumber', 7, 'R'], ['holderName', 30, 'L'], ['birthDate', 8, 'R'], ['limitAmount', 12, 'R'], ['resultCode', 2, 'R'],
  ['seizedAmount', 12, 'R'], ['collectedAmount', 12, 'R'], ['collectionDate', 8, 'R'], ['filler', 12, 'L'],
];

/** Baseline (a): build each record as a string, iconv-lite encode per record. */
function encodeIconv(n: number, prefix: string): number {
  const p = pool();
  const t0 = process.hrtime.bigint();
  let i = 0;
  for (const file of filesFor(prefix, n)) {
    const stop = Math.min(n, i + PER_FILE);
    i = encodeIconvFile(p, i, stop, file);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function encodeIconvFile(p: Array<Record<string, string>>, from: number, stop: number, file: string): number {
  const fd = fs.openSync(file, 'w', 0o600);
  const buf = Buffer.allocUnsafe(1 << 20);
  let pos = 0;
  const put = (s: string) => {
    const b = iconv.encode(s, 'cp932');
    if (pos + b.length + 2 > buf.length) {
      fs.writeSync(fd, buf, 0, pos);
      pos = 0;
    }
    b.copy(buf, pos);
    pos += b.length;
    buf[pos++] = 13;
    buf[pos++] = 10;
  };
  put('1510' + '0000012345' + 'ｶｺﾞｼﾏｼ'.padEnd(40) + '20261201' + '0184' + 'ﾐﾔｻﾞｷ'.padEnd(15) + '00000042' + '1' + '123' + '1' + '1234567' + ' '.repeat(19));
  let limitTotal = 0;
  for (let i = from; i < stop; i++) {
    const rec: Record<string, string> = { ...p[i & 4095]!, dataKubun: '2', requestNumber: String(i + 1), seizedAmount: '0', collectedAmount: '0', collectionDate: '0', filler: '' };
    limitTotal += Number(rec['limitAmount']);
    let s = '';
    for (const [id, len, al] of DATA_FIELDS) s += al === 'R' ? (rec[id] ?? '').padStart(len, '0') : (rec[id] ?? '').padEnd(len, ' ');
    put(s);
  }
  put('8' + String(stop - from).padStart(6, '0') + String(limitTotal).padStart(12, '0') + '0'.repeat(36) + ' '.repeat(71));
  put('9' + ' '.repeat(119));
  fs.writeSync(fd, buf, 0, pos);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return stop;
}

/** Baseline (a) decode: iconv-lite per record, then substrings. */
function decodeIconv(n: number, prefix: string): number {
  const t0 = process.hrtime.bigint();
  for (const file of filesFor(prefix, n)) decodeIconvFile(file);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function decodeIconvFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  const R = 122;
  const buf = Buffer.allocUnsafe(R * 8192);
  let count = 0;
  let n: number;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
    for (let p = 0; p + R <= n; p += R) {
      const s = iconv.decode(buf.subarray(p, p + 120), 'cp932');
      const rec: Record<string, string> = {};
      let o = 0;
      for (const [id, len] of DATA_FIELDS) {
        rec[id] = s.substring(o, o + len);
        o += len;
      }
      count += rec['dataKubun'] === '2' ? 1 : 0;
    }
  }
  fs.closeSync(fd);
  if (count < 0) console.error(count);
}

/** Baseline (b): whole file through iconv-lite, then @evologi/fixed-width. */
function decodeEvologi(n: number, prefix: string): number {
  const t0 = process.hrtime.bigint();
  for (const file of filesFor(prefix, n)) {
    const text = iconv.decode(fs.readFileSync(file), 'cp932');
    const rows = fwParse(text, {
      eol: '\r\n',
      fields: DATA_FIELDS.map(([property, width]) => ({ property, width })),
    }) as unknown[];
    if (rows.length < 0) console.error(rows.length);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function main(): void {
  const [mode, nStr, file] = process.argv.slice(2);
  const n = Number(nStr);
  if (!mode || !file || !Number.isInteger(n)) throw new Error('usage: codec-worker <mode> <records> <filePrefix>');
  let seconds: number;
  switch (mode) {
    case 'encode':
      seconds = encodeOurs(n, file);
      break;
    case 'decode':
      seconds = decodeOurs(n, file);
      break;
    case 'iconv-encode':
      seconds = encodeIconv(n, file);
      break;
    case 'iconv-decode':
      seconds = decodeIconv(n, file);
      break;
    case 'evologi-decode':
      seconds = decodeEvologi(n, file);
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  const files = filesFor(file, n);
  const bytes = files.reduce((a, f) => a + fs.statSync(f).size, 0);
  process.stdout.write(JSON.stringify({ mode, seconds, records: n, bytes, files: files.length, maxRssMB: rssMB() }) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
