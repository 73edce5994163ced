import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { checkHalfWidthClass, narrowName, type NarrowResult } from '../../src/text/narrow.js';

const value = (r: NarrowResult) => (r.ok ? r.value : `!${r.reason}`);

describe('narrowName: conversions', () => {
  it.each([
    // full-width katakana, voiced and semi-voiced
    ['ヤマダ　タロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['カガキギクグケゲコゴ', 'ｶｶﾞｷｷﾞｸｸﾞｹｹﾞｺｺﾞ'],
    ['サザシジスズセゼソゾ', 'ｻｻﾞｼｼﾞｽｽﾞｾｾﾞｿｿﾞ'],
    ['タダチヂツヅテデトド', 'ﾀﾀﾞﾁﾁﾞﾂﾂﾞﾃﾃﾞﾄﾄﾞ'],
    ['ハバパヒビピフブプヘベペホボポ', 'ﾊﾊﾞﾊﾟﾋﾋﾞﾋﾟﾌﾌﾞﾌﾟﾍﾍﾞﾍﾟﾎﾎﾞﾎﾟ'],
    ['アイウエオナニヌネノマミムメモヤユヨラリルレロワン', 'ｱｲｳｴｵﾅﾆﾇﾈﾉﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ'],
    ['ヴィヴァルディ', 'ｳﾞｲｳﾞｱﾙﾃﾞｲ'],
    // hiragana
    ['やまだ　はなこ', 'ﾔﾏﾀﾞ ﾊﾅｺ'],
    ['ぱぴぷぺぽ', 'ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ'],
    ['ゔ', 'ｳﾞ'],
    // small kana → full size
    ['ァィゥェォッャュョヮヵヶ', 'ｱｲｳｴｵﾂﾔﾕﾖﾜｶｹ'],
    ['ぁぃぅぇぉっゃゅょゎゕゖ', 'ｱｲｳｴｵﾂﾔﾕﾖﾜｶｹ'],
    ['キャッシュ', 'ｷﾔﾂｼﾕ'],
    // long vowel, middle dot, symbols
    ['スーパー', 'ｽ-ﾊﾟ-'],
    ['ジョン・スミス', 'ｼﾞﾖﾝ.ｽﾐｽ'],
    ['（カ）ヤマダ－ショウジ．', '(ｶ)ﾔﾏﾀﾞ-ｼﾖｳｼﾞ.'],
    ['(ｶ)ﾔﾏﾀﾞ', '(ｶ)ﾔﾏﾀﾞ'],
    // letters, digits, lowercase
    ['ＡＢＣ　１２３', 'ABC 123'],
    ['ａｂｃ', 'ABC'],
    ['Smith John', 'SMITH JOHN'],
    // already half-width input, normalised the same way
    ['ﾔﾏﾀﾞ ﾀﾛｳ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['ｷｬｯｼｭ', 'ｷﾔﾂｼﾕ'],
    ['ｽｰﾊﾟｰ', 'ｽ-ﾊﾟ-'],
    ['ｼﾞｮﾝ･ｽﾐｽ', 'ｼﾞﾖﾝ.ｽﾐｽ'],
    // decomposed and standalone voicing marks
    ['カ\u3099', 'ｶﾞ'],
    ['ハ\u309A', 'ﾊﾟ'],
    ['カ゛ハ゜', 'ｶﾞﾊﾟ'],
    ['ウ゛', 'ｳﾞ'],
    // spaces trimmed and collapsed
    ['  ヤマダ   タロウ　 ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
  ])('%s → %s', (input, expected) => {
    const r = narrowName(input);
    expect(value(r)).toBe(expected);
    if (r.ok) expect(r.bytes).toBe(expected.length);
  });
});

describe('narrowName: refusals', () => {
  it.each([
    ['ヲ', 'wo', 0],
    ['カヲル', 'wo', 1],
    ['かをる', 'wo', 1],
    ['ｶｦﾙ', 'wo', 1],
    ['山田 太郎', 'kanji', 0],
    ['ヤマダ 太郎', 'kanji', 4],
    ['ササ々', 'kanji', 2],
    ['ア𠮷', 'kanji', 1],
    ['ヰ', 'unmappable', 0],
    ['ヱビス', 'unmappable', 0],
    ['ヷ', 'unmappable', 0],
    ['ヤマダ,タロウ', 'unmappable', 3],
    ['ア゛', 'unmappable', 1], // ﾞ cannot follow ｱ
    ['ｱﾞ', 'unmappable', 1],
    ['カ゜', 'unmappable', 1], // ﾟ only after the ﾊ row
    ['゛カ', 'unmappable', 0], // never first
    ['カ ゛', 'unmappable', 2], // not after a space
    ['ゝ', 'unmappable', 0],
    ['ＡＢ＆', 'unmappable', 2],
    ['Ａ\tB', 'unmappable', 1],
    ['😀', 'unmappable', 0],
  ])('%s → %s at %i', (input, reason, index) => {
    const r = narrowName(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.index).toBe(index);
      expect(r.char).toBe([...input.slice(index)][0]);
    }
  });
  it('refuses an empty or all-space name', () => {
    expect(narrowName('')).toEqual({ ok: false, reason: 'empty' });
    expect(narrowName(' 　 ')).toEqual({ ok: false, reason: 'empty' });
  });
  it('bank names: ( ) . and ・ are not allowed, - is', () => {
    expect(value(narrowName('ミヤザキ', { cls: 'bank' }))).toBe('ﾐﾔｻﾞｷ');
    expect(value(narrowName('ミツビシ－ユーエフジェイ', { cls: 'bank' }))).toBe('ﾐﾂﾋﾞｼ-ﾕ-ｴﾌｼﾞｴｲ');
    for (const s of ['（カ）ミヤザキ', '(ｶ)ﾐﾔｻﾞｷ', 'ミヤ.ザキ', 'ミヤ・ザキ']) {
      const r = narrowName(s, { cls: 'bank' });
      expect(r.ok, s).toBe(false);
      if (!r.ok) expect(r.reason).toBe('unmappable');
    }
  });
});

describe('narrowName: changes', () => {
  it('records what a reader would notice, not width', () => {
    const r = narrowName(' キャロル・スミス ');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toBe('ｷﾔﾛﾙ.ｽﾐｽ');
    expect(r.changes).toEqual([
      { index: 0, from: ' ', to: '' },
      { index: 2, from: 'ャ', to: 'ﾔ' },
      { index: 5, from: '・', to: '.' },
      { index: 9, from: ' ', to: '' },
    ]);
    const plain = narrowName('ヤマダ　タロウ');
    expect(plain.ok && plain.changes).toEqual([]);
  });
  it('records collapsed runs of spaces and lowercase', () => {
    const r = narrowName('ａ   Ｂ');
    expect(r.ok && r.changes).toEqual([
      { index: 0, from: 'ａ', to: 'A' },
      { index: 1, from: '   ', to: ' ' },
    ]);
  });
});

describe('narrowName: length', () => {
  it('refuses a name longer than maxBytes by default, counting voicing marks as bytes', () => {
    expect(value(narrowName('ガギグ', { maxBytes: 6 }))).toBe('ｶﾞｷﾞｸﾞ');
    const r = narrowName('ガギグ', { maxBytes: 5 });
    expect(r).toEqual({ ok: false, reason: 'too-long', index: 2, char: 'グ' });
  });
  it('truncates on request, never between a kana and its voicing mark', () => {
    const r = narrowName('ガギグ', { maxBytes: 5, truncate: true });
    expect(r.ok && r.value).toBe('ｶﾞｷﾞ');
    expect(r.ok && r.changes).toEqual([{ index: 2, from: 'グ', to: '' }]);
    expect(value(narrowName('ガギグ', { maxBytes: 4, truncate: true }))).toBe('ｶﾞｷﾞ');
    expect(value(narrowName('ガギグ', { maxBytes: 3, truncate: true }))).toBe('ｶﾞ');
    expect(value(narrowName('ﾊﾟﾊﾟ', { maxBytes: 3, truncate: true }))).toBe('ﾊﾟ');
    // no trailing space after a cut
    expect(value(narrowName('ヤマダ タロウ', { maxBytes: 5, truncate: true }))).toBe('ﾔﾏﾀﾞ');
    expect(value(narrowName('ガ', { maxBytes: 1, truncate: true }))).toBe('!too-long');
  });
});

describe('checkHalfWidthClass', () => {
  it.each([
    ['ﾔﾏﾀﾞ ﾀﾛｳ', 'party', null],
    ['(ｶ)ﾔﾏﾀﾞ-.', 'party', null],
    ['(ｶ)ﾔﾏﾀﾞ', 'bank', 0],
    ['ﾐﾔｻﾞｷ-1', 'bank', null],
    ['ﾔﾏﾀﾞ,ﾀﾛｳ', 'party', 4],
    ['yamada', 'party', 0],
    ['ｷｬﾛﾙ', 'party', 1],
    ['ｽｰﾊﾟ', 'party', 1],
    ['ｶｦﾙ', 'party', 1],
    ['ﾞｶ', 'party', 0],
    ['ｱﾞ', 'party', 1],
    ['ｳﾞ', 'party', null],
    ['ｶﾟ', 'party', 1],
    ['ﾎﾟ', 'party', null],
    ['ﾜﾞ', 'bank', 1],
    ['ｶﾞﾞ', 'party', 2],
    ['ヤマダ', 'party', 0],
    ['yamada,ｦｰｧﾞ', 'any', null],
    ['ﾔﾏﾀﾞ 太郎', 'any', 5],
  ] as const)('%s (%s) → %s', (s, cls, index) => {
    const r = checkHalfWidthClass(s, cls);
    if (index === null) expect(r).toBeNull();
    else expect(r).toEqual({ index, char: s[index] });
  });
});

describe('properties', () => {
  const pieces = [
    ...'アイウエオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶァィゥェォー・',
    ...'あいうえおがぎぐげごぱぴぷぺぽゃゅょっをん',
    ...'ＡＢＣＸＹＺａｂｚ０１９　（）．－',
    ...'山田太郎々',
    ...'ABCxyz019 ()-.,&/\'',
    ...'ｱｲｳｶﾞﾊﾟｧｯｰｦﾞﾟ･',
    '\u3099', '\u309A', '゛', '゜',
  ];
  const arbName = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((a) => a.join(''));
  const arbCls = fc.constantFrom('party' as const, 'bank' as const);

  it('either refuses or gives a value of the class, within maxBytes, that Shift_JIS encodes in value.length single bytes', () => {
    fc.assert(
      fc.property(arbName, arbCls, fc.integer({ min: 1, max: 40 }), fc.boolean(), (name, cls, maxBytes, truncate) => {
        const r = narrowName(name, { cls, maxBytes, truncate });
        if (!r.ok) return;
        expect(checkHalfWidthClass(r.value, cls)).toBeNull();
        expect(r.value.length).toBeLessThanOrEqual(maxBytes);
        expect(r.bytes).toBe(r.value.length);
        expect(r.value).toBe(r.value.trim());
        expect(r.value).not.toMatch(/ {2}/);
        const bytes = iconv.encode(r.value, 'Shift_JIS');
        expect(bytes.length).toBe(r.value.length);
        expect(iconv.decode(bytes, 'Shift_JIS')).toBe(r.value);
      }),
      { numRuns: 3000 },
    );
  });
  it('is idempotent: narrowing a narrowed name gives it back unchanged', () => {
    fc.assert(
      fc.property(arbName, arbCls, (name, cls) => {
        const r = narrowName(name, { cls });
        if (!r.ok) return;
        const again = narrowName(r.value, { cls });
        expect(again).toEqual({ ok: true, value: r.value, bytes: r.bytes, changes: [] });
      }),
      { numRuns: 2000 },
    );
  });
  it('a name with a kanji or ヲ is never accepted', () => {
    fc.assert(
      fc.property(arbName, fc.constantFrom('山', '々', 'ヲ', 'を', 'ｦ'), arbName, (a, bad, b) => {
        const r = narrowName(a + bad + b);
        expect(r.ok).toBe(false);
      }),
    );
  });
});
