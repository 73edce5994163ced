/**
 * Strings handed between threads as UTF-16 code units in a transferable Uint16Array
 * (no structured clone of a string per value): the producer writes each value's code
 * units one after the other, the consumer turns the whole array back into one string in
 * one native decode and cuts it by the lengths it was given (ADR 0054). Used by the
 * columnar rows (rows.ts, ADR 0101) and the targets import's worker.
 */

/** Write the code units of `s` into `into` from `at` (the caller made room); the next position. */
export function putCodeUnits(into: Uint16Array, at: number, s: string): number {
  const n = s.length;
  for (let k = 0; k < n; k++) into[at + k] = s.charCodeAt(k);
  return at + n;
}

/** The first `length` code units of `units` as one string. */
export function codeUnitsText(units: Uint16Array, length: number = units.length): string {
  return Buffer.from(units.buffer, units.byteOffset, 2 * length).toString('utf16le');
}
