/**
 * `sashiosae demo --web` (issue 18): a folder from which a newcomer tries the web
 * application by hand — the generated delinquency export to upload (CP932 CSV, no
 * accounts.csv: accounts come from the banks' answers), each bank's account book for the
 * simulated bank, a database with the banks' settings, and one user of each role with a
 * random password (written to users.txt, 0600, and printed once: demo data, no real person).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FILE_MODE } from '../core/fsutil.js';
import { openDb } from '../db/connection.js';
import type { Role } from '../domain/users.js';
import { loadSettingsFile } from '../settings/index.js';
import { addUser } from '../steps/users/index.js';
import { DEFAULT_PROCESSING_DATE, generateExport } from './generate.js';
import { DEMO_INSTRUCTION_DATE, DEMO_TODAY, prepareDemoDir } from './cycle.js';

export interface WebDemoUser {
  name: string;
  role: Role;
  password: string;
}

export interface WebDemo {
  dir: string;
  db: string;
  /** the files a collector uploads (import targets) */
  exportFiles: { taxpayers: string; debts: string; payments: string };
  /** each bank's account book and transactions (the simulated bank answers from them) */
  books: Record<string, { book: string; transactions: string }>;
  users: WebDemoUser[];
  /** the scenario's calendar: the server's "today", and the dates to enter in the forms */
  today: string;
  inquiryBaseDate: string;
  executionDate: string;
  instructionDate: string;
}

/** The demo's users: one of each role, as in the README. */
export const WEB_DEMO_USERS: ReadonlyArray<{ name: string; role: Role }> = [
  { name: 'kaito', role: 'collector' },
  { name: 'riko', role: 'liaison' },
  { name: 'akari', role: 'accountant' },
  { name: 'sora', role: 'admin' },
];

/** A password a person can type: 16 characters from an alphabet without look-alikes. */
function newPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

export async function prepareWebDemo(opts: { dir: string; taxpayers: number; seed: number; operator: string }): Promise<WebDemo> {
  const dir = path.resolve(opts.dir);
  prepareDemoDir(dir);
  const exportDir = path.join(dir, 'export');
  const gen = await generateExport({ outDir: exportDir, taxpayers: opts.taxpayers, seed: opts.seed, processingDate: DEFAULT_PROCESSING_DATE, books: true });
  fs.rmSync(gen.files.accounts, { force: true });
  const dbPath = path.join(dir, 'sashiosae.db');
  const db = openDb(dbPath);
  const users: WebDemoUser[] = [];
  try {
    loadSettingsFile(db, gen.files.settings, opts.operator);
    for (const u of WEB_DEMO_USERS) {
      const password = newPassword();
      addUser(db, u.name, u.role, password, { operator: opts.operator });
      users.push({ ...u, password });
    }
  } finally {
    db.close();
  }
  fs.writeFileSync(path.join(dir, 'users.txt'), users.map((u) => `${u.name}\t${u.role}\t${u.password}`).join('\n') + '\n', { mode: FILE_MODE });
  return {
    dir,
    db: dbPath,
    exportFiles: { taxpayers: gen.files.taxpayers, debts: gen.files.debts, payments: gen.files.payments },
    books: gen.books?.files ?? {},
    users,
    today: DEMO_TODAY,
    inquiryBaseDate: DEMO_TODAY,
    executionDate: DEFAULT_PROCESSING_DATE,
    instructionDate: DEMO_INSTRUCTION_DATE,
  };
}
