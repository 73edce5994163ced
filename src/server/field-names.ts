/**
 * The Japanese name of a layout field a finding names by its id (`requestNumber` → 依頼番号),
 * for the findings table of a page. The id stays the finding's field (it is part of the
 * `--json` contract); the page shows the name beside it. Names come from the layouts in
 * formats/ (loaded once); an id two layouts name differently, or no layout names, shows as it is.
 */
import { listLayouts } from '../layout/load.js';

let names: Map<string, string> | null = null;

function load(): Map<string, string> {
  const seen = new Map<string, string | null>();
  for (const layout of listLayouts()) {
    for (const rec of Object.values(layout.records)) {
      for (const f of rec?.fields ?? []) {
        if (f.name === undefined || f.name === f.id) continue;
        const before = seen.get(f.id);
        if (before === undefined) seen.set(f.id, f.name);
        else if (before !== f.name) seen.set(f.id, null);
      }
    }
  }
  const out = new Map<string, string>();
  for (const [id, name] of seen) if (name !== null) out.set(id, name);
  return out;
}

/** `依頼番号（requestNumber）` for a layout field id with one name, else the id as it is. */
export function fieldLabel(id: string): string {
  names ??= load();
  const name = names.get(id);
  return name === undefined ? id : `${name}（${id}）`;
}
