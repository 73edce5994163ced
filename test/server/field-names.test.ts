import { describe, expect, it } from 'vitest';
import { fieldLabel } from '../../src/server/field-names.js';
import { errorSection } from '../../src/server/pages.js';
import { AppError, EXIT } from '../../src/core/errors.js';

/** A finding's field on a page: the layout's Japanese name beside the id the --json contract keeps. */
describe('field names on pages', () => {
  it('a layout field id shows with its name; anything else as it is', () => {
    expect(fieldLabel('requestNumber')).toBe('依頼番号（requestNumber）');
    expect(fieldLabel('差押金額')).toBe('差押金額');
    expect(fieldLabel('no-such-field')).toBe('no-such-field');
  });

  it('the findings table uses it; the finding itself keeps the id', () => {
    const e = new AppError({ code: 'results.rejected', exit: EXIT.rejected, msg: { ja: '拒否', en: 'refused' }, findings: [{ code: 'field.digits', record: 1, offset: 123, field: 'requestNumber', message: { ja: '数字ではありません', en: 'not digits' } }] });
    expect(errorSection(e, 'ja')).toContain('<td>依頼番号（requestNumber）</td>');
    expect(e.findings[0]!.field).toBe('requestNumber');
  });
});
