/** What `import results` stored: one shape for seizure results and instruction results (instruction.ts). */
export interface CodeTotals {
  records: number;
  seized: number;
  collected: number;
}

export interface ImportResultsSummary {
  importId: number;
  batchId: string;
  fileNumber: number;
  records: number;
  results: Record<string, CodeTotals>;
  seized: number;
  collected: number;
  batchState: string;
  sha256: string;
  archivePath: string;
  collectionMode: 'immediate' | 'deferred';
  /** an instruction result file (種別コード 63, instruction.ts): the seizure batch it resolves and the amount released */
  instruction?: { seizureBatch: string; released: number };
}

