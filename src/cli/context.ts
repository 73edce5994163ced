import type { Command } from 'commander';

/** Global options as every command sees them. */
export interface GlobalOpts {
  db: string;
  json: boolean;
  lang: 'ja' | 'en';
  operator: string | undefined;
}

export function globals(cmd: Command): GlobalOpts {
  const o = cmd.optsWithGlobals();
  return {
    db: String(o['db'] ?? './sashiosae.db'),
    json: Boolean(o['json']),
    lang: o['lang'] === 'en' ? 'en' : 'ja',
    operator: typeof o['operator'] === 'string' ? o['operator'] : undefined,
  };
}

/** Machine output on stdout (one JSON document). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Human output: stdout normally; with --json, humans read stderr. */
export function say(opts: GlobalOpts, line: string): void {
  (opts.json ? process.stderr : process.stdout).write(line + '\n');
}
