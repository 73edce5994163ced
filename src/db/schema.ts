/**
 * Database schema as numbered migrations. A migration is applied once, inside a
 * transaction, and recorded in schema_migrations. Never edit a released
 * migration: add the next one.
 *
 * Conventions: money INTEGER yen; dates TEXT 'YYYY-MM-DD'; timestamps TEXT
 * ISO 8601 (+09:00); booleans INTEGER 0/1.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** rebuilds tables others refer to: run with foreign-key enforcement off, then check every key before committing */
  foreignKeysOff?: boolean;
  /**
   * What the user is told when the migration refuses the database it finds (a CHECK of its
   * own fails): the migration is rolled back and the command exits 4 with this message
   * (db/connection.ts migrate).
   */
  refusal?: { ja: string; en: string };
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
-- Every import of a file (targets export, result file, statement): evidence and idempotence.
CREATE TABLE imports (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('targets','results','statement')),
  sha256        TEXT NOT NULL,          -- of the file (targets: of the concatenated inputs)
  files         TEXT NOT NULL,          -- JSON array of file names
  as_of         TEXT,                   -- targets: the export's as-of date
  imported_at   TEXT NOT NULL,
  operator      TEXT NOT NULL,
  summary       TEXT NOT NULL DEFAULT '{}'  -- JSON counts
);
CREATE UNIQUE INDEX imports_kind_sha ON imports(kind, sha256) WHERE kind <> 'targets';

-- The delinquency export (import-csv.md). active = 0: missing from the latest snapshot.
CREATE TABLE taxpayers (
  atena         TEXT PRIMARY KEY,       -- 宛名番号
  name          TEXT NOT NULL,          -- 氏名 (personal)
  kana          TEXT NOT NULL,          -- 氏名カナ (personal)
  birth_date    TEXT,                   -- 生年月日 (personal)
  address       TEXT,                   -- 住所 (personal)
  status        INTEGER NOT NULL CHECK (status BETWEEN 0 AND 5),
  active        INTEGER NOT NULL DEFAULT 1,
  import_id     INTEGER NOT NULL REFERENCES imports(id)
);

CREATE TABLE debts (
  chotei            TEXT PRIMARY KEY,   -- 調定番号
  atena             TEXT NOT NULL REFERENCES taxpayers(atena),
  kubun             INTEGER NOT NULL CHECK (kubun IN (1,2,3)),  -- 債権区分
  tax_code          TEXT NOT NULL,
  tax_name          TEXT NOT NULL,
  fiscal_year       INTEGER NOT NULL,
  period            TEXT NOT NULL,
  due_date          TEXT NOT NULL,      -- 納期限
  honzei            INTEGER NOT NULL,
  honzei_paid       INTEGER NOT NULL,   -- as of the export
  fee               INTEGER NOT NULL,
  fee_paid          INTEGER NOT NULL,
  entaikin_paid     INTEGER NOT NULL,
  entaikin_kind     INTEGER NOT NULL CHECK (entaikin_kind IN (0,1)),
  reminder_date     TEXT,               -- 督促状発付日
  prescription_date TEXT,               -- 時効完成日
  has_history       INTEGER NOT NULL DEFAULT 0,  -- payments.csv listed this debt
  active            INTEGER NOT NULL DEFAULT 1,
  import_id         INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX debts_atena ON debts(atena);

-- 収納履歴 from the export (replaced per debt on each import that carries payments.csv).
CREATE TABLE payments (
  id            INTEGER PRIMARY KEY,
  chotei        TEXT NOT NULL REFERENCES debts(chotei),
  paid_date     TEXT NOT NULL,
  honzei        INTEGER NOT NULL,
  fee           INTEGER NOT NULL DEFAULT 0,
  entaikin      INTEGER NOT NULL DEFAULT 0,
  seq           INTEGER NOT NULL,       -- order within the file (exact duplicates)
  import_id     INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX payments_chotei ON payments(chotei, paid_date);

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  atena         TEXT NOT NULL REFERENCES taxpayers(atena),
  bank_code     TEXT NOT NULL,
  branch_code   TEXT NOT NULL,
  account_type  TEXT NOT NULL,
  account_number TEXT NOT NULL,         -- personal
  holder_kana   TEXT,                   -- 口座名義カナ (personal)
  inquiry_date  TEXT,
  balance       INTEGER,                -- 調査時残高
  active        INTEGER NOT NULL DEFAULT 1,
  import_id     INTEGER NOT NULL REFERENCES imports(id),
  UNIQUE (atena, bank_code, branch_code, account_type, account_number)
);
CREATE INDEX accounts_bank ON accounts(bank_code, atena);

-- Per-bank settings (cli.md "Settings"), one row per bank; the requester is per bank.
CREATE TABLE bank_settings (
  bank_code              TEXT PRIMARY KEY,
  requester_code         TEXT NOT NULL,
  requester_name         TEXT NOT NULL,   -- half-width kana (party class)
  bank_name              TEXT,            -- as registered; else from zengin-code, narrowed
  deposit_branch         TEXT NOT NULL,
  deposit_account_type   TEXT NOT NULL,
  deposit_account_number TEXT NOT NULL,
  layout_id              TEXT NOT NULL DEFAULT 'seizure-120',
  max_records_per_file   INTEGER NOT NULL DEFAULT 999999,
  file_name_pattern      TEXT NOT NULL DEFAULT 'SASHI_{bank}_{file}.DAT',
  collection_mode        TEXT NOT NULL DEFAULT 'immediate' CHECK (collection_mode IN ('immediate','deferred')),
  next_file_number       INTEGER NOT NULL DEFAULT 1,
  updated_at             TEXT NOT NULL
);

-- One extract run (possibly several banks): what was excluded and why.
CREATE TABLE extractions (
  id            INTEGER PRIMARY KEY,
  processing_date TEXT NOT NULL,
  options       TEXT NOT NULL,          -- JSON
  created_at    TEXT NOT NULL,
  operator      TEXT NOT NULL,
  summary       TEXT NOT NULL DEFAULT '{}'  -- JSON: excluded/debtsLeftOut/accountsLeftOut counts
);
CREATE TABLE exclusions (
  extraction_id INTEGER NOT NULL REFERENCES extractions(id),
  atena         TEXT NOT NULL,
  bank_code     TEXT,                   -- null when not bank-specific
  reason        TEXT NOT NULL,          -- stable reason code (cli.md)
  detail        TEXT                    -- non-personal detail (e.g. chotei numbers)
);
CREATE INDEX exclusions_run ON exclusions(extraction_id);

-- Batch states: extracted → written → results-imported → reconciled → closed; or cancelled.
CREATE TABLE batches (
  id              TEXT PRIMARY KEY,     -- '<bank>-<first file number, 8 digits>'
  extraction_id   INTEGER NOT NULL REFERENCES extractions(id),
  bank_code       TEXT NOT NULL,
  requester_code  TEXT NOT NULL,
  execution_date  TEXT NOT NULL,        -- 差押執行日 = extract --date
  collection_mode TEXT NOT NULL CHECK (collection_mode IN ('immediate','deferred')),
  layout_id       TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('extracted','written','results-imported','reconciled','closed','cancelled')),
  requests        INTEGER NOT NULL,
  records         INTEGER NOT NULL,
  limit_total     INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX batches_bank ON batches(bank_code, state);

-- The files of a batch (several when it exceeds a file's capacity), consecutive file numbers.
CREATE TABLE batch_files (
  batch_id        TEXT NOT NULL REFERENCES batches(id),
  seq             INTEGER NOT NULL,      -- 1..
  file_number     INTEGER NOT NULL,
  first_request   INTEGER NOT NULL,      -- request_number range in this file
  last_request    INTEGER NOT NULL,
  records         INTEGER NOT NULL,
  limit_total     INTEGER NOT NULL,
  file_name       TEXT,                  -- set by write
  sha256          TEXT,
  bytes           INTEGER,
  written_at      TEXT,
  results_import_id INTEGER REFERENCES imports(id),
  PRIMARY KEY (batch_id, seq),
  UNIQUE (batch_id, file_number)
);

-- One request per taxpayer per batch (one notice); request_number unique in the batch.
CREATE TABLE requests (
  id              INTEGER PRIMARY KEY,
  batch_id        TEXT NOT NULL REFERENCES batches(id),
  request_number  INTEGER NOT NULL,
  atena           TEXT NOT NULL REFERENCES taxpayers(atena),
  limit_amount    INTEGER NOT NULL,      -- 差押限度額 as of the execution date
  UNIQUE (batch_id, request_number)
);
CREATE INDEX requests_atena ON requests(atena);

-- Exactly which debts a request covers, and what each owed at the execution date.
CREATE TABLE request_debts (
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  chotei          TEXT NOT NULL REFERENCES debts(chotei),
  honzei_due      INTEGER NOT NULL,
  fee_due         INTEGER NOT NULL,
  entaikin_due    INTEGER NOT NULL,
  PRIMARY KEY (request_id, chotei)
);

-- One record per account (枝番), with the bank's result once imported.
CREATE TABLE request_records (
  id              INTEGER PRIMARY KEY,
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  sub_number      INTEGER NOT NULL,
  account_id      INTEGER NOT NULL REFERENCES accounts(id),
  branch_code     TEXT NOT NULL,
  account_type    TEXT NOT NULL,
  account_number  TEXT NOT NULL,         -- personal
  holder_name     TEXT NOT NULL,         -- narrowed half-width (personal)
  birth_date      TEXT,                  -- 'YYYYMMDD' or null (personal)
  result_code     TEXT,                  -- null until results are imported
  seized_amount   INTEGER,
  collected_amount INTEGER,
  collection_date TEXT,                  -- ISO or null
  UNIQUE (request_id, sub_number)
);

-- Received result files, archived as evidence.
CREATE TABLE result_files (
  import_id       INTEGER PRIMARY KEY REFERENCES imports(id),
  batch_id        TEXT NOT NULL REFERENCES batches(id),
  file_number     INTEGER NOT NULL,
  archive_path    TEXT NOT NULL,
  sha256          TEXT NOT NULL
);

-- Zengin 入出金取引明細 entries (statement-03).
CREATE TABLE statement_entries (
  id              INTEGER PRIMARY KEY,
  import_id       INTEGER NOT NULL REFERENCES imports(id),
  bank_code       TEXT NOT NULL,
  branch_code     TEXT NOT NULL,
  account_type    TEXT NOT NULL,
  account_number  TEXT NOT NULL,         -- the city's own account
  inquiry_number  TEXT NOT NULL,         -- 照会番号
  value_date      TEXT NOT NULL,         -- 勘定日 (ISO)
  in_out          INTEGER NOT NULL,      -- 1 入金, 2 出金
  transaction_kind TEXT NOT NULL,
  amount          INTEGER NOT NULL,
  remitter_name   TEXT,
  summary         TEXT,
  matched_batch   TEXT REFERENCES batches(id),
  matched_date    TEXT
);
CREATE INDEX statement_entries_match ON statement_entries(bank_code, value_date, in_out, amount);

-- Receipts booked by reconciliation: one row per debt per request.
CREATE TABLE receipts (
  id              INTEGER PRIMARY KEY,
  batch_id        TEXT NOT NULL REFERENCES batches(id),
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  chotei          TEXT NOT NULL REFERENCES debts(chotei),
  atena           TEXT NOT NULL,
  receipt_date    TEXT NOT NULL,         -- 収納日 = 取立日
  honzei          INTEGER NOT NULL,
  entaikin        INTEGER NOT NULL,
  fee             INTEGER NOT NULL,
  exported_at     TEXT,                  -- set by export receipts
  included_import_id INTEGER REFERENCES imports(id),  -- the targets import whose export already contains it
  UNIQUE (request_id, chotei, receipt_date)
);
-- By 調定番号, split by inclusion so that booking a receipt (included_import_id NULL)
-- writes one 調定番号-ordered index, not two: receipts_not_included (below) serves the
-- not-included lookups (debt_outstanding, extract, reconcile); this one the included
-- ones (import targets: receipts already matched to listed payments).
CREATE INDEX receipts_chotei ON receipts(chotei) WHERE included_import_id IS NOT NULL;
CREATE INDEX receipts_batch ON receipts(batch_id, request_id, receipt_date);

-- Money left after every covered debt is paid: to be refunded (過誤納金).
CREATE TABLE overpayments (
  id              INTEGER PRIMARY KEY,
  batch_id        TEXT NOT NULL REFERENCES batches(id),
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  atena           TEXT NOT NULL,
  collection_date TEXT NOT NULL,
  amount          INTEGER NOT NULL CHECK (amount > 0)
);
CREATE INDEX overpayments_batch ON overpayments(batch_id, request_id, collection_date);

-- Statement matching per batch and collection date.
CREATE TABLE deposit_matches (
  batch_id        TEXT NOT NULL REFERENCES batches(id),
  collection_date TEXT NOT NULL,
  collected       INTEGER NOT NULL,
  entry_id        INTEGER REFERENCES statement_entries(id),
  deposit         INTEGER,               -- matched (or largest unassigned) deposit, null if none
  difference      INTEGER,               -- deposit − collected; null if no deposit
  matched         INTEGER NOT NULL,
  PRIMARY KEY (batch_id, collection_date)
);

-- Audit log: every import, state change and export.
CREATE TABLE audit_log (
  id              INTEGER PRIMARY KEY,
  at              TEXT NOT NULL,
  operator        TEXT NOT NULL,
  action          TEXT NOT NULL,
  batch_id        TEXT,
  sha256          TEXT,
  details         TEXT NOT NULL DEFAULT '{}'   -- JSON, no personal data
);

-- What each debt still owes, set-based (import-csv.md "Import rules"): the export's
-- amounts minus the receipts this product booked that the export does not yet contain
-- (receipts.included_import_id IS NULL). A receipt is marked included by the targets
-- import whose export already reflects it, so it is never counted twice nor lost.
--   honzei_out          = max(0, 本税 − 本税収納済額 − Σ not-included receipts.honzei)
--   fee_out             = max(0, 督促手数料 − 督促手数料収納済額 − Σ not-included receipts.fee)
--   entaikin_paid_total = 延滞金収納済額 + Σ not-included receipts.entaikin
-- Covers every debt (active or not): join debts and filter on active / kubun as needed.
-- outstandingOf() in src/db/targets.ts is the same rule for one debt.
CREATE INDEX receipts_not_included ON receipts(chotei) WHERE included_import_id IS NULL;
CREATE VIEW debt_outstanding AS
SELECT d.chotei AS chotei,
       d.atena  AS atena,
       MAX(0, d.honzei - d.honzei_paid - COALESCE(r.honzei, 0)) AS honzei_out,
       MAX(0, d.fee - d.fee_paid - COALESCE(r.fee, 0))          AS fee_out,
       d.entaikin_paid + COALESCE(r.entaikin, 0)                 AS entaikin_paid_total
FROM debts d
LEFT JOIN (
  SELECT chotei, SUM(honzei) AS honzei, SUM(fee) AS fee, SUM(entaikin) AS entaikin
  FROM receipts WHERE included_import_id IS NULL GROUP BY chotei
) r ON r.chotei = d.chotei;
`,
  },
  {
    // One B-tree instead of two for the ~1 row per covered debt that extract writes
    // (the rowid table plus its primary-key index), and reconcile reads a request's
    // covered debts straight from the primary key (ADR 0045).
    version: 2,
    name: 'request_debts without rowid',
    sql: `
CREATE TABLE request_debts_v2 (
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  chotei          TEXT NOT NULL REFERENCES debts(chotei),
  honzei_due      INTEGER NOT NULL,
  fee_due         INTEGER NOT NULL,
  entaikin_due    INTEGER NOT NULL,
  PRIMARY KEY (request_id, chotei)
) WITHOUT ROWID;
INSERT INTO request_debts_v2 (request_id, chotei, honzei_due, fee_due, entaikin_due)
  SELECT request_id, chotei, honzei_due, fee_due, entaikin_due FROM request_debts;
DROP TABLE request_debts;
ALTER TABLE request_debts_v2 RENAME TO request_debts;
`,
  },
  {
    // One B-tree instead of two for each of the million records a large batch has:
    // extract inserts it once (no rowid table beside the (依頼, 枝番) key), write reads
    // it and import results updates it by that key directly (ADR 0057). Nothing
    // referred to request_records.id; result import keys a record by
    // request_id × 100 + 枝番 (枝番 ≤ 99).
    version: 3,
    name: 'request_records without rowid',
    sql: `
CREATE TABLE request_records_v3 (
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  sub_number      INTEGER NOT NULL,
  account_id      INTEGER NOT NULL REFERENCES accounts(id),
  branch_code     TEXT NOT NULL,
  account_type    TEXT NOT NULL,
  account_number  TEXT NOT NULL,         -- personal
  holder_name     TEXT NOT NULL,         -- narrowed half-width (personal)
  birth_date      TEXT,                  -- 'YYYYMMDD' or null (personal)
  result_code     TEXT,                  -- null until results are imported
  seized_amount   INTEGER,
  collected_amount INTEGER,
  collection_date TEXT,                  -- ISO or null
  PRIMARY KEY (request_id, sub_number)
) WITHOUT ROWID;
INSERT INTO request_records_v3 (request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name, birth_date,
                                result_code, seized_amount, collected_amount, collection_date)
  SELECT request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name, birth_date,
         result_code, seized_amount, collected_amount, collection_date FROM request_records;
DROP TABLE request_records;
ALTER TABLE request_records_v3 RENAME TO request_records;
`,
  },
  {
    // Deposit inquiry (issue 15, inquiry-300.md; ADR 0121): batches get a kind
    // (seizure | inquiry | instruction), the inquiry's 取引明細開始日 and, for issue 16,
    // the seizure batch an instruction batch instructs; the state 'answered'; imports of
    // kind 'answers'. Rebuilding batches and imports (their CHECK constraints cannot be
    // altered) needs foreign-key enforcement off: other tables refer to both, and the
    // runner checks every foreign key before it commits (SQLite's 12-step procedure).
    version: 4,
    name: 'deposit inquiry',
    foreignKeysOff: true,
    sql: `
CREATE TABLE imports_v4 (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('targets','results','statement','answers')),
  sha256        TEXT NOT NULL,
  files         TEXT NOT NULL,
  as_of         TEXT,
  imported_at   TEXT NOT NULL,
  operator      TEXT NOT NULL,
  summary       TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO imports_v4 SELECT id, kind, sha256, files, as_of, imported_at, operator, summary FROM imports;
DROP TABLE imports;
ALTER TABLE imports_v4 RENAME TO imports;
CREATE UNIQUE INDEX imports_kind_sha ON imports(kind, sha256) WHERE kind <> 'targets';

-- An extract or inquire run: kind says which ("run" numbers count per kind).
ALTER TABLE extractions ADD COLUMN kind TEXT NOT NULL DEFAULT 'seizure' CHECK (kind IN ('seizure','inquiry','instruction'));

-- Batch kinds and states (cli.md): seizure extracted → written → results-imported → reconciled → closed;
-- inquiry extracted → written → answered; instruction extracted → written → results-imported; any may be cancelled.
CREATE TABLE batches_v4 (
  id              TEXT PRIMARY KEY,     -- '<bank>-<first file number, 8 digits>'
  kind            TEXT NOT NULL DEFAULT 'seizure' CHECK (kind IN ('seizure','inquiry','instruction')),
  extraction_id   INTEGER NOT NULL REFERENCES extractions(id),
  bank_code       TEXT NOT NULL,
  requester_code  TEXT NOT NULL,
  execution_date  TEXT NOT NULL,        -- 差押執行日 · 照会基準日 · 指示日
  collection_mode TEXT CHECK (collection_mode IN ('immediate','deferred')),  -- seizure only
  layout_id       TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('extracted','written','results-imported','answered','reconciled','closed','cancelled')),
  requests        INTEGER NOT NULL,     -- seizure: requests · inquiry: inquiries · instruction: instructed seizures
  records         INTEGER NOT NULL,     -- data records of its files
  limit_total     INTEGER NOT NULL,     -- seizure: 差押限度額 total; 0 for the other kinds
  history_from    TEXT,                 -- inquiry: 取引明細開始日 (ISO), null = no history
  seizure_batch_id TEXT REFERENCES batches_v4(id),  -- instruction: the deferred seizure batch it instructs
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
INSERT INTO batches_v4 (id, kind, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state,
                        requests, records, limit_total, history_from, seizure_batch_id, created_at, updated_at)
  SELECT id, 'seizure', extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state,
         requests, records, limit_total, NULL, NULL, created_at, updated_at FROM batches;
DROP TABLE batches;
ALTER TABLE batches_v4 RENAME TO batches;
CREATE INDEX batches_bank ON batches(bank_code, state);
CREATE INDEX batches_kind ON batches(kind, bank_code, execution_date);

-- Per-bank layouts and file names of the new kinds (cli.md "Settings").
ALTER TABLE bank_settings ADD COLUMN inquiry_layout_id TEXT NOT NULL DEFAULT 'inquiry-300';
ALTER TABLE bank_settings ADD COLUMN inquiry_file_name_pattern TEXT NOT NULL DEFAULT 'INQ_{bank}_{file}.DAT';
ALTER TABLE bank_settings ADD COLUMN instruction_layout_id TEXT NOT NULL DEFAULT 'instruction-120';
ALTER TABLE bank_settings ADD COLUMN instruction_file_name_pattern TEXT NOT NULL DEFAULT 'INST_{bank}_{file}.DAT';

-- One inquiry (one person at one bank) per row, with the person's fields exactly as
-- written (the answer must echo them). Its files are batch_files rows: first_request /
-- last_request are the seq range of the file, and 照会番号 = seq − first_request + 1.
CREATE TABLE inquiries (
  batch_id      TEXT NOT NULL REFERENCES batches(id),
  seq           INTEGER NOT NULL,       -- 1.. across the batch, ascending 宛名番号
  atena         TEXT NOT NULL,          -- 宛名番号 as in taxpayers (unpadded)
  kana          TEXT NOT NULL,          -- 氏名カナ as written, narrowed (personal)
  name          TEXT NOT NULL,          -- 氏名 as written, full-width, 〓 for 外字 (personal)
  birth_date    TEXT,                   -- 生年月日 ISO, null = unknown (personal)
  address       TEXT NOT NULL,          -- 住所 as written, full-width (personal)
  answer_code   TEXT,                   -- 回答区分 '1'..'4' once answered
  answer_import_id INTEGER REFERENCES imports(id),
  PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;
CREATE INDEX inquiries_atena ON inquiries(atena);

-- Accounts an answer reported (回答区分 1), one row per data record. knowledge_date =
-- the batch's 照会基準日; file_number breaks ties between answers of the same date.
CREATE TABLE answer_accounts (
  id              INTEGER PRIMARY KEY,
  import_id       INTEGER NOT NULL REFERENCES imports(id),
  batch_id        TEXT NOT NULL,
  seq             INTEGER NOT NULL,       -- the inquiry (inquiries.seq)
  account_seq     INTEGER NOT NULL,       -- 口座通番 1..
  atena           TEXT NOT NULL,
  bank_code       TEXT NOT NULL,
  knowledge_date  TEXT NOT NULL,          -- 照会基準日 (ISO)
  file_number     INTEGER NOT NULL,
  branch_code     TEXT NOT NULL,
  account_type    TEXT NOT NULL,
  account_number  TEXT NOT NULL,          -- personal
  holder_kana     TEXT NOT NULL,          -- 口座名義カナ as the bank answered, half-width (personal)
  balance         INTEGER NOT NULL,       -- signed 残高 at the end of 照会基準日
  last_transaction_date TEXT,             -- ISO or null
  loan            INTEGER NOT NULL,       -- 融資区分 0/1
  FOREIGN KEY (batch_id, seq) REFERENCES inquiries(batch_id, seq),
  UNIQUE (batch_id, seq, account_seq)
);
CREATE INDEX answer_accounts_atena ON answer_accounts(atena, bank_code);

-- Transactions (detail records) of an answered account, oldest first.
CREATE TABLE answer_transactions (
  account_id        INTEGER NOT NULL REFERENCES answer_accounts(id),
  seq               INTEGER NOT NULL,     -- 1.. in file order
  transaction_date  TEXT NOT NULL,        -- ISO
  direction         INTEGER NOT NULL CHECK (direction IN (1,2)),  -- 1 入金, 2 出金
  amount            INTEGER NOT NULL CHECK (amount > 0),
  balance_after     INTEGER NOT NULL,     -- signed 取引後残高
  description       TEXT NOT NULL,        -- 摘要 (personal)
  PRIMARY KEY (account_id, seq)
) WITHOUT ROWID;

-- A request record's account is a row of accounts (accounts.csv) or of answer_accounts.
CREATE TABLE request_records_v4 (
  request_id      INTEGER NOT NULL REFERENCES requests(id),
  sub_number      INTEGER NOT NULL,
  account_id      INTEGER REFERENCES accounts(id),
  answer_account_id INTEGER REFERENCES answer_accounts(id),
  branch_code     TEXT NOT NULL,
  account_type    TEXT NOT NULL,
  account_number  TEXT NOT NULL,
  holder_name     TEXT NOT NULL,
  birth_date      TEXT,
  result_code     TEXT,
  seized_amount   INTEGER,
  collected_amount INTEGER,
  collection_date TEXT,
  PRIMARY KEY (request_id, sub_number),
  CHECK ((account_id IS NULL) <> (answer_account_id IS NULL))
) WITHOUT ROWID;
INSERT INTO request_records_v4 (request_id, sub_number, account_id, answer_account_id, branch_code, account_type, account_number, holder_name,
                                birth_date, result_code, seized_amount, collected_amount, collection_date)
  SELECT request_id, sub_number, account_id, NULL, branch_code, account_type, account_number, holder_name,
         birth_date, result_code, seized_amount, collected_amount, collection_date FROM request_records;
DROP TABLE request_records;
ALTER TABLE request_records_v4 RENAME TO request_records;
`,
  },
  {
    version: 5,
    name: 'protected deposits and held seizures',
    sql: `
-- Installation-wide settings (cli.md "Settings": protectedPatterns; authority, collector,
-- documentFont for documents), one JSON value per key, beside the per-bank rows.
CREATE TABLE installation_settings (
  key             TEXT PRIMARY KEY,
  value           TEXT NOT NULL,          -- JSON
  updated_at      TEXT NOT NULL
);

-- The account's protected amount (domain.md "Protected deposits",
-- docs/protected-funds-policy.md) as extract computed it from the inquiry answer's
-- transactions: what instruct's proposal deducts ("protected amount at inquiry").
-- 0 for an account with no transaction details or known only from accounts.csv.
ALTER TABLE request_records ADD COLUMN protected_amount INTEGER NOT NULL DEFAULT 0;

-- An instruction batch's file resolves the holds of one seizure request file
-- (instruction-120.md header 差押依頼ファイル番号); null for the other kinds.
ALTER TABLE batch_files ADD COLUMN seizure_file_number INTEGER;

-- One row per held account an instruction batch instructs (instruction-120 data record),
-- and the bank's result once imported. Its files are batch_files rows whose
-- first_request / last_request are the seq range of the file (as for inquiries); seq
-- runs across the batch in seizure file, 依頼番号, 枝番 order. A held account's state
-- (cli.md "holds states") is decided by its row in the newest instruction batch that is
-- not cancelled (src/db/holds.ts, src/domain/hold.ts).
CREATE TABLE instruction_records (
  batch_id         TEXT NOT NULL REFERENCES batches(id),     -- the instruction batch
  seq              INTEGER NOT NULL,
  request_id       INTEGER NOT NULL,
  sub_number       INTEGER NOT NULL,
  seizure_file_number INTEGER NOT NULL,  -- the seizure request file of the record
  seized_amount    INTEGER NOT NULL CHECK (seized_amount > 0),  -- 差押金額 as the seizure result reported it
  protected_amount INTEGER NOT NULL CHECK (protected_amount >= 0),  -- at inquiry (request_records.protected_amount)
  proposal         INTEGER NOT NULL CHECK (proposal BETWEEN 0 AND seized_amount),  -- max(0, 差押金額 − protected)
  collect_amount   INTEGER NOT NULL CHECK (collect_amount BETWEEN 0 AND seized_amount),  -- 取立指示額
  release_amount   INTEGER NOT NULL CHECK (release_amount = seized_amount - collect_amount),  -- 解除額
  overridden       INTEGER NOT NULL DEFAULT 0 CHECK (overridden IN (0,1)),  -- 1: set by --collect
  result_code      TEXT CHECK (result_code IN ('01','99')),  -- null until the result is imported
  collected_amount INTEGER,              -- 取立金額 (01: = collect_amount; 99: 0)
  collection_date  TEXT,                 -- 取立日 ISO; null when nothing was collected
  result_import_id INTEGER REFERENCES imports(id),
  PRIMARY KEY (batch_id, seq),
  FOREIGN KEY (request_id, sub_number) REFERENCES request_records(request_id, sub_number)
) WITHOUT ROWID;
CREATE INDEX instruction_records_record ON instruction_records(request_id, sub_number);
`,
  },
  {
    // Legal documents (issue 17, docs/documents.md, ADR 0170): a document's number is
    // given on its first print and reused on every reprint. One sequence per kind for the
    // installation; one number per batch, kind and request (a release's two pages share it).
    version: 6,
    name: 'document numbers',
    sql: `
CREATE TABLE document_numbers (
  batch_id      TEXT NOT NULL REFERENCES batches(id),
  kind          TEXT NOT NULL CHECK (kind IN ('seizure-record','notice','release')),
  request_id    INTEGER NOT NULL REFERENCES requests(id),
  number        INTEGER NOT NULL CHECK (number > 0),
  assigned_at   TEXT NOT NULL,
  PRIMARY KEY (batch_id, kind, request_id),
  UNIQUE (kind, number)
) WITHOUT ROWID;
`,
  },
  {
    // The web application's accounts (issue 18 item 2, ADR 0180): a role each, the scrypt
    // hash with its salt and parameters in one string (core/password.ts), never the password.
    // Login failures per user with their time (ms since the epoch, the server's clock) for
    // the lockout rule of domain/users.ts; a successful login deletes the user's failures.
    version: 7,
    name: 'users',
    sql: `
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('collector','liaison','accountant','admin')),
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  created_at    TEXT NOT NULL
);
CREATE TABLE login_failures (
  user_id  INTEGER NOT NULL REFERENCES users(id),
  at_ms    INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(user_id, at_ms);
`,
  },
  {
    // An inquiry's 回答区分 derived, not stored per inquiry (issue 15 item 7, ADR 0195): its
    // file is answered ⇔ batch_files.results_import_id is set (the answer's import); 1 ⇔ the
    // inquiry has answer_accounts rows; 3 and 4 (paper follow-up, defective) are the only
    // codes not derivable: stored in inquiry_follow_ups; 2 = answered and neither. Import
    // answers then writes no inquiries row (the wide rows were rewritten per answer, ≈ 161 MB
    // at 1M, through the WAL twice). The view inquiry_answers is the one definition.
    // Dropping answer_import_id (it REFERENCES imports) needs the table rebuilt; answer_accounts
    // refers to inquiries, so foreign-key enforcement is off and every key checked after.
    version: 8,
    name: 'answer codes derived',
    foreignKeysOff: true,
    refusal: {
      ja: 'このデータベースの照会回答の回答区分が、回答ファイルの取込記録と一致しません（データベースが手で変更されたか、壊れています）。更新を取り消しました。何も変更していません。バックアップから戻すか、開発者に連絡してください',
      en: "this database's stored inquiry answer codes disagree with its answer imports (edited by hand, or damaged); the upgrade was rolled back and nothing was changed. Restore a backup or contact the developers",
    },
    sql: `
CREATE TABLE inquiry_follow_ups (
  batch_id      TEXT NOT NULL,
  seq           INTEGER NOT NULL,       -- the inquiry (inquiries.seq)
  answer_code   TEXT NOT NULL CHECK (answer_code IN ('3','4')),  -- 回答区分 3 paper answer follows, 4 defective
  PRIMARY KEY (batch_id, seq),
  FOREIGN KEY (batch_id, seq) REFERENCES inquiries(batch_id, seq)
) WITHOUT ROWID;
INSERT INTO inquiry_follow_ups (batch_id, seq, answer_code)
  SELECT batch_id, seq, answer_code FROM inquiries WHERE answer_code IN ('3','4');

-- Refuse (roll back) unless every stored code and import is what the derivation gives.
CREATE TEMP TABLE migration_8_check (mismatches INTEGER NOT NULL CHECK (mismatches = 0));
INSERT INTO temp.migration_8_check
  SELECT COUNT(*) FROM inquiries i
  LEFT JOIN batch_files f ON f.batch_id = i.batch_id AND i.seq BETWEEN f.first_request AND f.last_request
  WHERE i.answer_import_id IS NOT f.results_import_id
     OR i.answer_code IS NOT (CASE WHEN f.results_import_id IS NULL THEN NULL
                                   WHEN i.answer_code IN ('3','4') THEN i.answer_code
                                   WHEN EXISTS (SELECT 1 FROM answer_accounts a WHERE a.batch_id = i.batch_id AND a.seq = i.seq) THEN '1'
                                   ELSE '2' END);
DROP TABLE temp.migration_8_check;

CREATE TABLE inquiries_v8 (
  batch_id      TEXT NOT NULL REFERENCES batches(id),
  seq           INTEGER NOT NULL,       -- 1.. across the batch, ascending 宛名番号
  atena         TEXT NOT NULL,          -- 宛名番号 as in taxpayers (unpadded)
  kana          TEXT NOT NULL,          -- 氏名カナ as written, narrowed (personal)
  name          TEXT NOT NULL,          -- 氏名 as written, full-width, 〓 for 外字 (personal)
  birth_date    TEXT,                   -- 生年月日 ISO, null = unknown (personal)
  address       TEXT NOT NULL,          -- 住所 as written, full-width (personal)
  PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;
INSERT INTO inquiries_v8 (batch_id, seq, atena, kana, name, birth_date, address)
  SELECT batch_id, seq, atena, kana, name, birth_date, address FROM inquiries ORDER BY batch_id, seq;
DROP TABLE inquiries;
ALTER TABLE inquiries_v8 RENAME TO inquiries;
CREATE INDEX inquiries_atena ON inquiries(atena);

-- An inquiry's answer (NULL code and import while its file is not answered). The reference
-- for every reader of per-inquiry codes; hot paths (extract's newest knowledge, the report's
-- counts) use equivalent joins, held equal to this view by tests.
CREATE VIEW inquiry_answers AS
SELECT i.batch_id AS batch_id,
       i.seq      AS seq,
       i.atena    AS atena,
       CASE WHEN f.results_import_id IS NULL THEN NULL
            WHEN u.answer_code IS NOT NULL THEN u.answer_code
            WHEN EXISTS (SELECT 1 FROM answer_accounts a WHERE a.batch_id = i.batch_id AND a.seq = i.seq) THEN '1'
            ELSE '2' END AS answer_code,
       f.results_import_id AS answer_import_id
FROM inquiries i
LEFT JOIN batch_files f ON f.batch_id = i.batch_id AND i.seq BETWEEN f.first_request AND f.last_request
LEFT JOIN inquiry_follow_ups u ON u.batch_id = i.batch_id AND u.seq = i.seq;
`,
  },
  {
    // An answered account's transaction details as ONE row (issue 15 item 7, ADR 0197): a
    // JSON array, oldest first, of [取引日 ISO, 入払区分 1 | 2, 取引金額, 取引後残高 signed, 摘要]
    // (db/answer-history.ts, the one definition) — about six times fewer rows for import
    // answers to insert than one per detail record; every reader reads an account's whole
    // history. The rows of answer_transactions move over in seq order; an account without
    // details has no row. The view answer_transactions_v gives one row per detail again
    // (tests, small readers). Nothing refers to answer_transactions: foreign keys stay on.
    version: 9,
    name: 'answer histories',
    sql: `
CREATE TABLE answer_histories (
  account_id    INTEGER PRIMARY KEY REFERENCES answer_accounts(id),
  transactions  TEXT NOT NULL           -- JSON array, see above (personal: 摘要)
);
INSERT INTO answer_histories (account_id, transactions)
  SELECT account_id, json_group_array(json_array(transaction_date, direction, amount, balance_after, description) ORDER BY seq)
  FROM answer_transactions GROUP BY account_id ORDER BY account_id;
DROP TABLE answer_transactions;

CREATE VIEW answer_transactions_v AS
SELECT h.account_id        AS account_id,
       j.key + 1           AS seq,
       j.value ->> 0       AS transaction_date,
       j.value ->> 1       AS direction,
       j.value ->> 2       AS amount,
       j.value ->> 3       AS balance_after,
       j.value ->> 4       AS description
FROM answer_histories h, json_each(h.transactions) j;
`,
  },
];
