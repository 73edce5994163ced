/**
 * A compact set of key strings for the targets import (ADR 0026): the keys seen so
 * far (宛名番号, 調定番号, the 5-part account key) are kept as bytes in typed arrays,
 * not as JS strings in a `Set<string>` (≈ 100 bytes a key with V8's string and
 * table overheads; ≈ 2 M keys for a million-debt export).
 *
 * Open addressing (linear probing) over an Int32Array of entry numbers; each entry
 * keeps its 32-bit hash and its key's bytes in an append-only arena, so membership
 * is decided by exact comparison, never by the hash alone. Keys are validated
 * ASCII in practice (id rules); any other key (e.g. the raw cell of a rejected row)
 * goes to a plain Set beside, so the structure is exact for every string.
 * Memory ≈ key length + 16 bytes a key; deletion (rare: duplicate keys) marks the
 * entry dead.
 */
export class KeySet {
  private slots: Int32Array; // entry number + 1, 0 = empty
  private mask: number;
  private hashes: Int32Array;
  private starts: Int32Array; // byte offset of entry i in the arena; starts[i+1] is its end
  private dead: Uint8Array;
  private bytes: Uint8Array;
  private used = 0; // bytes of the arena in use
  private entries = 0;
  private live = 0;
  private readonly other = new Set<string>();

  constructor(expected = 1 << 16) {
    let cap = 1 << 10;
    while (cap < expected * 2) cap <<= 1;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.hashes = new Int32Array(cap >> 1);
    this.starts = new Int32Array((cap >> 1) + 1);
    this.dead = new Uint8Array(cap >> 1);
    this.bytes = new Uint8Array(Math.max(1 << 16, expected * 16));
  }

  get size(): number {
    return this.live + this.other.size;
  }

  has(key: string): boolean {
    const h = hashAscii(key);
    if (h === NOT_ASCII) return this.other.has(key);
    return this.find(key, h) >= 0;
  }

  /** Adds the key; false when it was already there. */
  add(key: string): boolean {
    const h = hashAscii(key);
    if (h === NOT_ASCII) {
      if (this.other.has(key)) return false;
      this.other.add(key);
      return true;
    }
    let at = h & this.mask;
    for (;;) {
      const e = this.slots[at]!;
      if (e === 0) break;
      if (this.hashes[e - 1] === h && this.dead[e - 1] === 0 && this.equals(e - 1, key)) return false;
      at = (at + 1) & this.mask;
    }
    const i = this.entries;
    const len = key.length;
    if (this.used + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + len));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    const b = this.bytes;
    let p = this.used;
    for (let k = 0; k < len; k++) b[p++] = key.charCodeAt(k);
    this.used = p;
    this.hashes[i] = h;
    this.starts[i + 1] = p;
    this.slots[at] = i + 1;
    this.entries++;
    this.live++;
    if (this.entries * 2 >= this.slots.length) this.grow();
    return true;
  }

  /**
   * Empties the set and keeps its buffers, so a set whose keys are no longer needed can
   * hold the next file's keys without a second allocation (ADR 0026).
   */
  clear(): this {
    this.slots.fill(0);
    this.dead.fill(0);
    this.used = 0;
    this.entries = 0;
    this.live = 0;
    this.other.clear();
    return this;
  }

  delete(key: string): boolean {
    const h = hashAscii(key);
    if (h === NOT_ASCII) return this.other.delete(key);
    const e = this.find(key, h);
    if (e < 0) return false;
    this.dead[e] = 1;
    this.live--;
    return true;
  }

  /** Entry number of a live key, or -1. */
  private find(key: string, h: number): number {
    let at = h & this.mask;
    for (;;) {
      const e = this.slots[at]!;
      if (e === 0) return -1;
      if (this.hashes[e - 1] === h && this.dead[e - 1] === 0 && this.equals(e - 1, key)) return e - 1;
      at = (at + 1) & this.mask;
    }
  }

  private equals(i: number, key: string): boolean {
    const from = this.starts[i]!;
    const to = this.starts[i + 1]!;
    if (to - from !== key.length) return false;
    const b = this.bytes;
    for (let k = 0, p = from; p < to; k++, p++) if (b[p] !== key.charCodeAt(k)) return false;
    return true;
  }

  private grow(): void {
    const cap = this.slots.length << 1;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    for (let i = 0; i < this.entries; i++) {
      let at = this.hashes[i]! & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = i + 1;
    }
    this.slots = slots;
    this.mask = mask;
    const n = cap >> 1;
    const hashes = new Int32Array(n);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const starts = new Int32Array(n + 1);
    starts.set(this.starts);
    this.starts = starts;
    const dead = new Uint8Array(n);
    dead.set(this.dead);
    this.dead = dead;
  }
}

const NOT_ASCII = 0x7fffffff; // never produced for an ASCII key (see hashAscii)

/** FNV-1a over the UTF-16 code units, finalised (murmur3 fmix); NOT_ASCII for a non-ASCII key. */
function hashAscii(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return NOT_ASCII;
    h = Math.imul(h ^ c, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === NOT_ASCII ? 0 : h;
}
