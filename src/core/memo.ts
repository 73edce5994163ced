/**
 * A memo for values that recur (the dates of a file, birth dates): a Map of at most `limit`
 * entries, emptied when full, so that a file of many distinct keys costs bounded memory.
 * `get(key, arg, make)` gives make(arg) the first time a key is asked (and again after the
 * memo was emptied); `make` is a function given once, `arg` what it reads — no closure made
 * per call on a per-record path.
 */
export class BoundedMemo<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get<A>(key: K, arg: A, make: (arg: A) => V): V {
    let v = this.map.get(key);
    if (v === undefined && !this.map.has(key)) {
      v = make(arg);
      if (this.map.size >= this.limit) this.map.clear();
      this.map.set(key, v);
    }
    return v as V;
  }
}
