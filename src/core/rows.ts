/**
 * Rows handed between threads, column by column (docs/adr/0101-columnar-rows.md).
 *
 * A producer declares its rows once, next to its page logic, as a schema of named
 * columns — `defineRows({ requestId: 'int', atena: 'str', birth: 'str?' })` — and both
 * sides use it: the producer appends rows field by field into growable typed arrays
 * (`builder()`), `finish()` hands over one chunk `{ n, columns }` whose buffers are
 * transferred, not copied (`buffersOf`); the consumer reads it back by name, typed from
 * the schema (`read(chunk).atena(i)`), with no positional index and no cast. A producer
 * whose values already stand in the schema's order appends a row in one call (`pushRow`);
 * a consumer that takes whole rows gets every column's values at once (`readColumns`).
 *
 * Kinds:
 * - 'int'  — a number, stored in a Float64Array: exact for every integer up to 2^53
 *            (yen amounts, ids, counts; money can exceed 2^31);
 * - 'int?' — a number or null (NaN marks the null);
 * - 'str'  — text: the column's UTF-16 code units one after the other in a Uint16Array
 *            (a transferable array, not a structured clone of a string per value) and
 *            where each row's text ends (Int32Array); read back with one native decode
 *            per column and chunk, then cut;
 * - 'str?' — text or null (a null row ends where the previous one did, marked by the
 *            end's sign).
 *
 * Nothing is allocated per row on either side beyond the values themselves (the strings
 * the consumer cuts); the arrays double when full and keep their size for the next chunk
 * (text: the size the last chunk needed, and an eighth more).
 */
export type ColumnKind = 'int' | 'int?' | 'str' | 'str?';
export type RowSchema = Readonly<Record<string, ColumnKind>>;

/** The value of a column of kind K. */
export type ValueOf<K extends ColumnKind> = K extends 'int' ? number : K extends 'int?' ? number | null : K extends 'str' ? string : string | null;

/** One text column as it crosses: code units and row ends (negative: null, −end − 1). */
export interface TextColumn {
  units: Uint16Array;
  ends: Int32Array;
}

type ColumnData<K extends ColumnKind> = K extends 'int' | 'int?' ? Float64Array : TextColumn;

/** A chunk of rows as it crosses between threads (structured-clonable; buffersOf lists what to transfer). */
export interface RowsChunk<S extends RowSchema> {
  n: number;
  columns: { [K in keyof S]: ColumnData<S[K]> };
}

/** Setters of the row being built, by column name. */
export type RowSetters<S extends RowSchema> = { readonly [K in keyof S]: (v: ValueOf<S[K]>) => void };

/** Readers of a chunk, by column name: row index → value. */
export type RowReaders<S extends RowSchema> = { readonly [K in keyof S]: (i: number) => ValueOf<S[K]> };

export interface RowsDef<S extends RowSchema> {
  readonly schema: S;
  /** A builder; `capacity`: rows to make room for at first (it grows). */
  builder(capacity?: number): RowsBuilder<S>;
  /** Typed readers over a chunk this schema built (one decode per text column). */
  read(chunk: RowsChunk<S>): RowReaders<S>;
  /**
   * Every value of a chunk, column by column, by name (one decode and one pass per column):
   * for a consumer that takes whole rows (a statement's parameters), whose loop then reads
   * arrays instead of calling a reader per value.
   */
  readColumns(chunk: RowsChunk<S>): RowColumns<S>;
}

/** A chunk's values by column name: column → its value in each row. */
export type RowColumns<S extends RowSchema> = { readonly [K in keyof S]: ReadonlyArray<ValueOf<S[K]>> };

/** Declare the columns of a kind of row; the order of the keys is the order of the columns. */
export function defineRows<const S extends RowSchema>(schema: S): RowsDef<S> {
  return {
    schema,
    builder: (capacity = 64) => new RowsBuilder(schema, capacity),
    read: (chunk) => readRows(schema, chunk),
    readColumns: (chunk) => readColumns(schema, chunk),
  };
}

class NumberColumn {
  a: Float64Array;
  constructor(cap: number) {
    this.a = new Float64Array(cap);
  }
  grow(cap: number): void {
    const a = new Float64Array(cap);
    a.set(this.a);
    this.a = a;
  }
  take(n: number, cap: number): Float64Array {
    const out = this.a.subarray(0, n);
    this.a = new Float64Array(cap);
    return out;
  }
}

class StringColumn {
  units: Uint16Array;
  ends: Int32Array;
  length = 0;
  constructor(cap: number) {
    this.units = new Uint16Array(cap * 8);
    this.ends = new Int32Array(cap);
  }
  put(row: number, s: string | null): void {
    if (s === null) {
      this.ends[row] = -this.length - 1;
      return;
    }
    const need = this.length + s.length;
    if (need > this.units.length) {
      const u = new Uint16Array(Math.max(need, 2 * this.units.length));
      u.set(this.units.subarray(0, this.length));
      this.units = u;
    }
    this.length = putCodeUnits(this.units, this.length, s);
    this.ends[row] = this.length;
  }
  grow(cap: number): void {
    const e = new Int32Array(cap);
    e.set(this.ends);
    this.ends = e;
  }
  take(n: number, cap: number): TextColumn {
    const out = { units: this.units.subarray(0, this.length), ends: this.ends.subarray(0, n) };
    // the next chunk's text: what this one needed and an eighth more
    this.units = new Uint16Array(Math.max(64, this.length + (this.length >> 3)));
    this.ends = new Int32Array(cap);
    this.length = 0;
    return out;
  }
}

/**
 * Appends rows field by field: set every column of the row through `set`, then `endRow()`
 * (which refuses a row with a column left unset); `finish()` hands the rows over and starts
 * a new chunk with the same room.
 */
export class RowsBuilder<S extends RowSchema> {
  /** rows finished in the current chunk */
  n = 0;
  readonly set: RowSetters<S>;
  private cap: number;
  private filled = 0;
  private readonly width: number;
  private readonly numbers: Array<[string, NumberColumn]> = [];
  private readonly strings: Array<[string, StringColumn]> = [];
  /** the columns in the schema's order, and whether each takes null (for pushRow) */
  private readonly ordered: Array<NumberColumn | StringColumn> = [];
  private readonly nullable: boolean[] = [];

  constructor(schema: S, capacity: number) {
    // one row more than asked: a producer that finishes at `capacity` rows never grows
    this.cap = Math.max(1, capacity) + 1;
    const set: Record<string, (v: never) => void> = {};
    for (const name of Object.keys(schema)) {
      const kind = schema[name];
      if (kind === 'int' || kind === 'int?') {
        const col = new NumberColumn(this.cap);
        this.numbers.push([name, col]);
        this.ordered.push(col);
        this.nullable.push(kind === 'int?');
        set[name] =
          kind === 'int'
            ? (v: number): void => {
                col.a[this.n] = v;
                this.filled++;
              }
            : (v: number | null): void => {
                col.a[this.n] = v === null ? NaN : v;
                this.filled++;
              };
      } else {
        const col = new StringColumn(this.cap);
        this.strings.push([name, col]);
        this.ordered.push(col);
        this.nullable.push(kind === 'str?');
        set[name] = (v: string | null): void => {
          col.put(this.n, v);
          this.filled++;
        };
      }
    }
    this.width = this.numbers.length + this.strings.length;
    this.set = set as unknown as RowSetters<S>;
  }

  /**
   * Append a whole row whose values are already in the schema's order (a producer that
   * holds them so, like the targets import's parsed rows): one call instead of a setter per
   * value. A value of the wrong kind, or a null in a column that takes none, is refused.
   */
  pushRow(values: ArrayLike<number | string | null>): void {
    if (this.filled !== 0) throw new Error('pushRow() in the middle of a row');
    if (values.length !== this.width) throw new Error(`a row of ${this.width} columns got ${values.length} values`);
    const n = this.n;
    for (let i = 0; i < this.width; i++) {
      const v = values[i]!;
      const col = this.ordered[i]!;
      const refused = v === null && !this.nullable[i] ? `null in column ${i + 1}, which takes none` : typeof v === (col instanceof NumberColumn ? 'string' : 'number') ? `a value of the wrong kind in column ${i + 1}` : null;
      if (refused !== null) {
        // the text of the row's earlier columns is taken back: the chunk stays as it was
        for (const [, c] of this.strings) {
          const e = n === 0 ? 0 : (c.ends[n - 1] as number);
          c.length = e < 0 ? -e - 1 : e;
        }
        throw new Error(refused);
      }
      if (col instanceof NumberColumn) col.a[n] = v === null ? NaN : (v as number);
      else col.put(n, v as string | null);
    }
    this.filled = this.width;
    this.endRow();
  }

  /** End the row whose columns were just set. */
  endRow(): void {
    if (this.filled !== this.width) throw new Error(`a row of ${this.width} columns got ${this.filled} values`);
    this.filled = 0;
    if (++this.n === this.cap) {
      this.cap *= 2;
      for (const [, c] of this.numbers) c.grow(this.cap);
      for (const [, c] of this.strings) c.grow(this.cap);
    }
  }

  /** The rows built since the last finish, as a chunk; the builder starts anew. */
  finish(): RowsChunk<S> {
    if (this.filled !== 0) throw new Error('finish() in the middle of a row');
    const columns: Record<string, Float64Array | TextColumn> = {};
    // the schema's order (numbers and strings were split only for the loops above)
    for (const [name, c] of this.numbers) columns[name] = c.take(this.n, this.cap);
    for (const [name, c] of this.strings) columns[name] = c.take(this.n, this.cap);
    const chunk = { n: this.n, columns } as RowsChunk<S>;
    this.n = 0;
    return chunk;
  }
}

/** The buffers of chunks to transfer with them (each chunk's columns own their buffers). */
export function buffersOf(...chunks: Array<RowsChunk<RowSchema>>): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of chunks) {
    for (const col of Object.values(c.columns)) {
      if (col instanceof Float64Array) out.push(col.buffer as ArrayBuffer);
      else out.push(col.units.buffer as ArrayBuffer, col.ends.buffer as ArrayBuffer);
    }
  }
  return out;
}

function readRows<S extends RowSchema>(schema: S, chunk: RowsChunk<S>): RowReaders<S> {
  const get: Record<string, (i: number) => number | string | null> = {};
  const columns: Record<string, Float64Array | TextColumn> = chunk.columns;
  for (const name of Object.keys(schema)) {
    const col = columns[name];
    if (col === undefined) throw new Error(`rows without column ${name}`);
    if (col instanceof Float64Array) {
      get[name] =
        schema[name] === 'int'
          ? (i: number): number => col[i] as number
          : (i: number): number | null => {
              const x = col[i] as number;
              return Number.isNaN(x) ? null : x;
            };
      continue;
    }
    const text = codeUnitsText(col.units, col.units.length);
    const ends = col.ends;
    const end = (i: number): number => {
      const e = ends[i] as number;
      return e < 0 ? -e - 1 : e;
    };
    get[name] =
      schema[name] === 'str'
        ? (i: number): string => text.slice(i === 0 ? 0 : end(i - 1), ends[i])
        : (i: number): string | null => ((ends[i] as number) < 0 ? null : text.slice(i === 0 ? 0 : end(i - 1), ends[i]));
  }
  return get as unknown as RowReaders<S>;
}

function readColumns<S extends RowSchema>(schema: S, chunk: RowsChunk<S>): RowColumns<S> {
  const out: Record<string, Array<number | string | null>> = {};
  const columns: Record<string, Float64Array | TextColumn> = chunk.columns;
  const n = chunk.n;
  for (const name of Object.keys(schema)) {
    const col = columns[name];
    if (col === undefined) throw new Error(`rows without column ${name}`);
    const values: Array<number | string | null> = new Array(n);
    if (col instanceof Float64Array) {
      if (schema[name] === 'int') for (let i = 0; i < n; i++) values[i] = col[i] as number;
      else
        for (let i = 0; i < n; i++) {
          const x = col[i] as number;
          values[i] = Number.isNaN(x) ? null : x;
        }
    } else {
      const text = codeUnitsText(col.units, col.units.length);
      const ends = col.ends;
      let at = 0;
      for (let i = 0; i < n; i++) {
        const e = ends[i] as number;
        if (e < 0) values[i] = null; // a null ends where the previous row did
        else {
          values[i] = text.slice(at, e);
          at = e;
        }
      }
    }
    out[name] = values;
  }
  return out as unknown as RowColumns<S>;
}

/** Write the code units of `s` into `into` from `at` (the caller made room); the next position. */
function putCodeUnits(into: Uint16Array, at: number, s: string): number {
  const n = s.length;
  for (let k = 0; k < n; k++) into[at + k] = s.charCodeAt(k);
  return at + n;
}

/** The first `length` code units of `units` as one string (one native decode). */
function codeUnitsText(units: Uint16Array, length: number): string {
  return Buffer.from(units.buffer, units.byteOffset, 2 * length).toString('utf16le');
}
