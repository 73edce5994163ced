/** Labels both sides of the collector's jobs use (worker: progress; main thread: pages). */
import type { Msg } from '../../core/i18n.js';
import type { FileRole } from '../../steps/import-targets/index.js';

export const ROLE_LABEL: Record<FileRole, Msg> = {
  taxpayers: { ja: '滞納者', en: 'taxpayers' },
  debts: { ja: '債権', en: 'debts' },
  accounts: { ja: '口座', en: 'accounts' },
  payments: { ja: '収納履歴', en: 'payments' },
};

export const ROLES: readonly FileRole[] = ['taxpayers', 'debts', 'accounts', 'payments'];
