/**
 * The liaison's jobs (worker side; server/jobs/registry.ts joins them): each calls one step
 * through its index.ts as the CLI command does — `import answers|results|statement` and
 * `validate` + `inspect` — on an upload kept under the server's own name, with the name the
 * browser sent for messages, the audit log and the import's record.
 */
import { maskAccount } from '../../core/mask.js';
import type { Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { readRecords, validateFile } from '../../file/index.js';
import { recordDef, type RecordKind } from '../../layout/index.js';
import { answersJson, answersSummaryLines, importAnswers } from '../../steps/import-answers/index.js';
import { importResults, resultsJson, resultsSummaryLines } from '../../steps/import-results/index.js';
import { importStatement, statementSummaryLines } from '../../steps/import-statement/index.js';
import { FILE_RULES, resolveLayout } from '../../steps/validate/index.js';
import type { JobDef } from '../jobs/types.js';

/** An upload a job reads: where the server keeps it, the name the browser sent, the layout asked for (an id; default: detected). */
export interface UploadArgs {
  path: string;
  name: string;
  layout?: string;
}

/** What an import job returns: the step's summary in words (as the CLI prints it), its JSON (as --json), the batch to link to. */
export interface ImportResult {
  lines: Msg[];
  json: unknown;
  batch?: string;
}

/** The records `liaison.validate` shows, as `inspect` decodes them (N first records). */
export const INSPECT_RECORDS = 50;

export interface InspectedRecord {
  index: number;
  offset: number;
  kind: RecordKind;
  record?: string;
  fields: Array<{ id: string; name: string; value: string }>;
}

export interface ValidateResult {
  name: string;
  valid: boolean;
  layout: string;
  records: number;
  dataRecords: number;
  bytes: number;
  findings: Finding[];
  moreFindings: number;
  /** the first INSPECT_RECORDS records, personal fields masked */
  shown: InspectedRecord[];
}

const opts = (a: UploadArgs, operator: string) => ({ operator, displayName: a.name, ...(a.layout !== undefined ? { layout: a.layout } : {}) });

/** A personal field's value as a page may show it: an account number's last four digits, else nothing (design.md: inspect shows a file, the web page masks). */
function shownValue(id: string, personal: boolean, value: string): string {
  if (!personal) return value;
  if (id === 'accountNumber') return maskAccount(value);
  return value.trim() === '' ? '' : '***';
}

export const LIAISON_JOBS: Record<string, JobDef<never, unknown>> = {
  'liaison.import-answers': {
    run(ctx, a: UploadArgs): ImportResult {
      const s = importAnswers(ctx.db, a.path, opts(a, ctx.operator));
      return { lines: answersSummaryLines(s), json: answersJson(s), batch: s.batchId };
    },
  } as JobDef<never, unknown>,
  'liaison.import-results': {
    run(ctx, a: UploadArgs): ImportResult {
      const s = importResults(ctx.db, a.path, opts(a, ctx.operator));
      return { lines: resultsSummaryLines(s), json: resultsJson(s), batch: s.instruction?.seizureBatch ?? s.batchId };
    },
  } as JobDef<never, unknown>,
  'liaison.import-statement': {
    run(ctx, a: UploadArgs): ImportResult {
      const s = importStatement(ctx.db, a.path, { ...opts(a, ctx.operator), today: ctx.today });
      const batch = s.matches[0]?.batchId;
      return { lines: statementSummaryLines(s), json: { import: s.importId, entries: s.entries, known: s.known, matches: s.matches.map((m) => ({ batch: m.batchId, dates: m.matches })) }, ...(batch !== undefined ? { batch } : {}) };
    },
  } as JobDef<never, unknown>,
  'liaison.validate': {
    async run(_ctx, a: UploadArgs): Promise<ValidateResult> {
      const layout = resolveLayout(a.path, a.layout);
      const r = validateFile(a.path, layout, { maxFindings: 1000, rules: FILE_RULES });
      const shown: InspectedRecord[] = [];
      for await (const rec of readRecords(a.path, layout, { maxFindings: 1000, raw: false, rules: FILE_RULES })) {
        const def = recordDef(layout, rec.record ?? rec.kind);
        if (def === undefined) continue;
        shown.push({
          index: rec.index,
          offset: rec.offset,
          kind: rec.kind,
          ...(rec.record !== undefined ? { record: rec.record } : {}),
          fields: def.fields.filter((f) => !f.filler).map((f) => ({ id: f.id, name: f.name ?? '', value: shownValue(f.id, f.personal, rec.fields[f.id] ?? '') })),
        });
        if (shown.length >= INSPECT_RECORDS) break;
      }
      return { name: a.name, valid: r.valid, layout: layout.id, records: r.records, dataRecords: r.dataRecords, bytes: r.bytes, findings: r.findings.map((f) => ({ ...f, file: a.name })), moreFindings: r.moreFindings, shown };
    },
  } as JobDef<never, unknown>,
};
