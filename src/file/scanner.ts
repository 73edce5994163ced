/**
 * Framing + record scanning as a push parser (constant memory): feed chunks with
 * push(), call end() once. Records are exactly recordLength bytes; the separator
 * (none / CRLF / CR / LF) is detected after the first record and must be the same
 * after every record; the separator after the last record is optional; a single 0x1A
 * may end the file. Every deviation is a Finding at the exact byte (ADR 0002).
 */
import type { Finding } from '../core/errors.js';
import { todayTokyo, type IsoDate } from '../core/dates.js';
import { checkRecord, decodeRecord, fieldsDecoder, identify, type CheckContext, type Fields } from '../layout/codec.js';
import type { RecordDef } from '../layout/types.js';
import { dataRecordsOf, type Layout, type RecordKind, type Separator } from '../layout/types.js';
import { FileChecker } from './checker.js';
import type { FileRule } from './file-rules.js';
import { compiledCheck, compiledCheckDecode, type CheckDecode, type CheckOnly } from '../layout/compiled-check.js';
import { showByte } from '../text/jisx0201.js';

const CR = 0x0d;
const LF = 0x0a;
const EOF_MARK = 0x1a;

export interface ReadRecord {
  /** 0-based record index in the file */
  index: number;
  /** byte offset of the record's first byte */
  offset: number;
  kind: RecordKind;
  /** the data record's id, for a layout whose data records have ids (layout-xml.md "Several data records") */
  record: string | undefined;
  /** every non-filler field as text */
  fields: Fields;
  /** the record's bytes (recordLength), a copy */
  raw: Buffer;
}

export interface Framing {
  /** separator found in the file (null before the first record is complete) */
  separator: Separator | null;
  /** whether the last record is followed by the separator */
  finalSeparator: boolean;
  /** whether the file ends with a single 0x1A */
  eofMark: boolean;
}

export interface ScanOptions {
  /** decode fields of each record (default true) */
  decode?: boolean;
  /**
   * decode only these fields of records of the given kinds (default: every field);
   * ReadRecord.fields then holds just those. File rules still see every field.
   */
  decodeOnly?: Partial<Record<RecordKind, readonly string[]>>;
  /** check fields, order, totals and file rules (default true) */
  validate?: boolean;
  /** file rules to run when validating (default none; src/file/file-rules.ts) */
  rules?: readonly FileRule[];
  /** copy each record's bytes into ReadRecord.raw (default true) */
  raw?: boolean;
  /** findings kept (default 1,000); the rest are only counted */
  maxFindings?: number;
  /** date for 和暦 reading (default todayTokyo()) */
  today?: IsoDate;
  /** called for every finding, including those beyond the cap */
  onFinding?: (f: Finding) => void;
}

export interface ScanSummary {
  layout: string;
  /** records framed (including undecodable ones) */
  records: number;
  dataRecords: number;
  bytes: number;
  framing: Framing;
  findings: Finding[];
  /** findings beyond the cap */
  moreFindings: number;
  valid: boolean;
}

const DEFAULT_MAX_FINDINGS = 1000;

function sepOf(buf: Uint8Array, q: number, avail: number): { sep: Separator; len: number } {
  if (q >= avail) return { sep: 'none', len: 0 };
  const b = buf[q];
  if (b === CR) return q + 1 < avail && buf[q + 1] === LF ? { sep: 'crlf', len: 2 } : { sep: 'cr', len: 1 };
  if (b === LF) return { sep: 'lf', len: 1 };
  return { sep: 'none', len: 0 };
}

export class RecordScanner {
  private buf: Buffer;
  private len = 0;
  /** file offset of buf[0] */
  private base = 0;
  private index = 0;
  private dataRecords = 0;
  private sep: Separator | null = null;
  private afterEnd = false;
  private done = false;
  private finalSeparator = false;
  private eofMark = false;
  private readonly findings: Finding[] = [];
  private total = 0;
  private readonly max: number;
  private readonly decode: boolean;
  private readonly validate: boolean;
  private readonly keepRaw: boolean;
  private readonly narrow = new Map<RecordDef, (buf: Uint8Array, recStart: number) => Fields>();
  /** per record definition: the compiled check (and decode, where every field is wanted), or null (ADR 0065) */
  private readonly fast = new Map<RecordDef, { decode: CheckDecode | null; check: CheckOnly | null }>();
  private readonly ctx: CheckContext;
  private readonly checker: FileChecker | undefined;
  private readonly R: number;
  private readonly searchLimit: number;
  readonly report: (f: Finding) => void;

  constructor(
    private readonly layout: Layout,
    private readonly onRecord: (r: ReadRecord) => void,
    opts: ScanOptions = {},
  ) {
    this.R = layout.recordLength;
    this.searchLimit = this.R * 8 + 2;
    this.buf = Buffer.allocUnsafe(Math.max(1 << 20, this.searchLimit * 4));
    this.max = opts.maxFindings ?? DEFAULT_MAX_FINDINGS;
    this.decode = opts.decode ?? true;
    this.validate = opts.validate ?? true;
    this.keepRaw = opts.raw ?? true;
    for (const [kind, ids] of Object.entries(opts.decodeOnly ?? {}) as Array<[RecordKind, readonly string[] | undefined]>) {
      if (!ids) continue;
      for (const def of kind === 'data' ? dataRecordsOf(layout) : layout.records[kind] ? [layout.records[kind]!] : []) this.narrow.set(def, fieldsDecoder(def, ids));
    }
    this.ctx = { fileOffset: 0, index: 0, today: opts.today ?? todayTokyo(), encoding: layout.encoding };
    this.report = (f: Finding) => {
      this.total++;
      if (this.findings.length < this.max) this.findings.push(f);
      opts.onFinding?.(f);
    };
    this.checker = this.validate ? new FileChecker(layout, this.report, opts.rules ? { rules: opts.rules } : {}) : undefined;
    if (this.validate) for (const def of layout.recordList) this.fast.set(def, { decode: compiledCheckDecode(def, layout.encoding), check: compiledCheck(def, layout.encoding) });
  }

  /** The scanner's internal buffer free space, for zero-copy reads (readSync into it). */
  writable(): Buffer {
    if (this.len === this.buf.length) this.grow();
    return this.buf.subarray(this.len);
  }
  /** Mark n bytes written into writable() as received, and process them. */
  commit(n: number): void {
    this.len += n;
    this.process(false);
  }

  push(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.len === this.buf.length) this.grow();
      const n = Math.min(chunk.length - off, this.buf.length - this.len);
      this.buf.set(chunk.subarray(off, off + n), this.len);
      this.len += n;
      off += n;
      this.process(false);
    }
  }

  end(): ScanSummary {
    this.process(true);
    if (this.checker) this.checker.finish(this.base + this.len, this.index);
    return this.summary();
  }

  summary(): ScanSummary {
    return {
      layout: this.layout.id,
      records: this.index,
      dataRecords: this.dataRecords,
      bytes: this.base + this.len,
      framing: { separator: this.sep, finalSeparator: this.finalSeparator, eofMark: this.eofMark },
      findings: this.findings,
      moreFindings: Math.max(0, this.total - this.findings.length),
      valid: this.total === 0,
    };
  }

  private grow(): void {
    // Only when the unprocessed tail fills the buffer (cannot happen: process() always
    // consumes until fewer than searchLimit bytes remain); kept for safety.
    const nb = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  private frame(code: string, at: number, message: { ja: string; en: string }, expected?: string, found?: string, record?: number): void {
    const f: Finding = { code, offset: at, message };
    if (record !== undefined) f.record = record;
    if (expected !== undefined) f.expected = expected;
    if (found !== undefined) f.found = found;
    this.report(f);
  }

  /** Process complete records in buf; keep the unprocessed tail. */
  private process(eof: boolean): void {
    const R = this.R;
    const buf = this.buf;
    let p = 0;
    const avail = this.len;
    while (!this.done) {
      const left = avail - p;
      const at = this.base + p;
      if (left === 0) break;
      if (this.afterEnd) {
        // After the end record only one separator (already consumed) and/or one 0x1A.
        if (buf[p] === EOF_MARK && left === 1) {
          if (!eof) break;
          this.eofMark = true;
          p++;
          continue;
        }
        const b = buf[p]!;
        this.frame('framing.after-end', at, {
          ja: `エンドレコードの後にデータがあります（バイト位置 ${at}、${showByte(b)}）。ファイルはエンドレコードで終わらなければなりません`,
          en: `data after the end record (byte offset ${at}, ${showByte(b)}); the file must end with the end record`,
        }, '(end of file)', showByte(b), this.index);
        this.done = true;
        p = avail;
        break;
      }
      const b0 = buf[p]!;
      if (b0 === EOF_MARK && left === 1) {
        if (!eof) break;
        this.eofMark = true;
        p++;
        continue;
      }
      if ((b0 === CR || b0 === LF) && this.sep !== null) {
        if (b0 === CR && left < 2 && !eof) break;
        const s = sepOf(buf, p, avail);
        this.frame('framing.blank-line', at, {
          ja: `空行（余分な改行）がバイト位置 ${at} にあります。レコード ${this.index + 1} が始まるはずの位置です`,
          en: `a blank line (extra line break) at byte offset ${at}, where record ${this.index + 1} should start`,
        }, 'record', s.sep.toUpperCase(), this.index);
        p += s.len;
        continue;
      }
      if (left < R + 2 && !eof) break;
      if (left < R) {
        this.frame('framing.short-record', at, {
          ja: `最後のレコード（第${this.index + 1}レコード、バイト位置 ${at}）が ${left} バイトしかありません（${R} バイト必要）`,
          en: `the last record (record ${this.index + 1}, byte offset ${at}) has only ${left} bytes (${R} needed)`,
        }, `${R} bytes`, `${left} bytes`, this.index);
        this.index++;
        p = avail;
        this.done = true;
        break;
      }
      // Separator after the record.
      const q = p + R;
      let found = sepOf(buf, q, avail);
      let next = q + found.len;
      let framedOk = true;
      if (this.sep === null) {
        this.sep = found.sep;
      } else if (found.sep !== this.sep && !(found.sep === 'none' && (q >= avail || (buf[q] === EOF_MARK && q + 1 === avail)))) {
        // First separator byte from the record start: before q → short record; at q →
        // a different separator; after q (or none) → long record / missing separator.
        let r = -1;
        const lim = Math.min(avail, p + this.searchLimit);
        for (let i = p; i < lim; i++) {
          const c = buf[i];
          if (c === CR || c === LF) {
            r = i;
            break;
          }
        }
        if (!eof && (r < 0 ? lim < p + this.searchLimit : buf[r] === CR && r + 1 >= avail)) break; // need more bytes to decide
        if (r >= 0 && r !== q && (r < q || found.sep === 'none')) {
          const got = r - p;
          const s = sepOf(buf, r, avail);
          this.frame('framing.record-length', at, {
            ja: `第${this.index + 1}レコード（バイト位置 ${at}）の長さが ${got} バイトです（${R} バイト必要）`,
            en: `record ${this.index + 1} (byte offset ${at}) is ${got} bytes long (${R} expected)`,
          }, `${R} bytes`, `${got} bytes`, this.index);
          framedOk = false;
          next = r + s.len;
          found = s;
        } else if (found.sep !== 'none') {
          this.frame('framing.mixed-separator', this.base + q, {
            ja: `バイト位置 ${this.base + q} の区切り ${found.sep.toUpperCase()} がファイルの区切り ${this.sep.toUpperCase()} と異なります（区切りは1ファイルで1種類）`,
            en: `the separator at byte offset ${this.base + q} is ${found.sep.toUpperCase()}, but this file uses ${this.sep.toUpperCase()} (one convention per file)`,
          }, this.sep.toUpperCase(), found.sep.toUpperCase(), this.index);
        } else {
          this.frame('framing.missing-separator', this.base + q, {
            ja: `第${this.index + 1}レコードの後（バイト位置 ${this.base + q}）に区切り ${this.sep.toUpperCase()} がありません`,
            en: `no ${this.sep.toUpperCase()} separator after record ${this.index + 1} (byte offset ${this.base + q})`,
          }, this.sep.toUpperCase(), showByte(buf[q]!), this.index);
        }
      }
      if (framedOk) this.emit(buf, p, at);
      else this.index++;
      this.finalSeparator = found.len > 0;
      p = next;
    }
    // Keep the tail.
    if (p > 0) {
      buf.copy(buf, 0, p, avail);
      this.len = avail - p;
      this.base += p;
    }
  }

  private emit(buf: Buffer, p: number, at: number): void {
    const index = this.index++;
    const rec = identify(this.layout, buf, p);
    if (rec === undefined) {
      const first = this.layout.recordList.map((r) => `${r.first.const}=${r.id ?? r.kind}`).join(', ');
      this.report({
        code: 'record.unknown-kind',
        record: index,
        offset: at,
        field: this.layout.recordList[0]!.first.id,
        expected: first,
        found: showByte(buf[p]!),
        message: {
          ja: `第${index + 1}レコード（バイト位置 ${at}）の先頭がどのレコード種別にも当たりません（${first}）`,
          en: `record ${index + 1} (byte offset ${at}) starts with no known record kind (${first})`,
        },
      });
      return;
    }
    if (rec.kind === 'data') this.dataRecords++;
    let fields: Fields | undefined;
    const narrow = this.decode ? this.narrow.get(rec) : undefined;
    if (this.validate) {
      // the compiled check answers for a plainly valid record; anything else (and every
      // finding) is the general check's (ADR 0065)
      const fast = this.fast.get(rec)!;
      const today = this.ctx.today;
      let passed = false;
      if (this.decode && narrow === undefined && fast.decode !== null) {
        const got = fast.decode(buf, p, today);
        if (got !== null) {
          fields = got;
          passed = true;
        }
      } else if (fast.check !== null) passed = fast.check(buf, p, today);
      if (!passed) {
        this.ctx.fileOffset = at;
        this.ctx.index = index;
        checkRecord(rec, buf, p, this.ctx, this.report);
      }
    }
    if (fields === undefined) {
      if (narrow !== undefined) fields = narrow(buf, p);
      else if (this.decode) fields = decodeRecord(rec, buf, p);
    }
    if (this.checker) this.checker.record(rec, buf, p, index, at, narrow === undefined ? fields : undefined);
    if (rec.kind === 'end') this.afterEnd = true;
    if (this.onRecord === IGNORE_RECORDS) return; // validateFile: no record objects to build
    this.onRecord({
      index,
      offset: at,
      kind: rec.kind,
      record: rec.id,
      fields: fields ?? {},
      raw: this.keepRaw ? Buffer.from(buf.subarray(p, p + this.R)) : EMPTY,
    });
  }
}

const EMPTY = Buffer.alloc(0);

/** An onRecord that ignores the records: the scanner then builds no ReadRecord at all. */
export const IGNORE_RECORDS = (_r: ReadRecord): void => {};
