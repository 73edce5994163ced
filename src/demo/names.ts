/**
 * Fictitious people and companies for generated delinquency exports.
 *
 * Names are combinations of common surnames and given names (a surname list and
 * given-name lists written for this project): no real person is described. Kana are
 * full-width katakana as core systems export them, with a full-width space between
 * surname and given name. Some readings carry dakuten/handakuten (ゴトウ, ベップ),
 * small kana (ショウヘイ, リョウコ) or ー (ジョージ), so the product's narrowing to
 * half-width is exercised.
 *
 * A few names can deliberately not be written to a bank file (seizure-120.md
 * "Writing names"): ヲ in the kana (historical spellings such as カヲル), a kanji in
 * the kana column (data-entry gap), or a name longer than 30 half-width bytes.
 */

/** [kanji, katakana] */
export type NamePair = readonly [string, string];

export const SURNAMES: readonly NamePair[] = [
  ['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['田中', 'タナカ'], ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'], ['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['小林', 'コバヤシ'], ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'], ['山田', 'ヤマダ'], ['佐々木', 'ササキ'], ['山口', 'ヤマグチ'], ['松本', 'マツモト'],
  ['井上', 'イノウエ'], ['木村', 'キムラ'], ['林', 'ハヤシ'], ['斎藤', 'サイトウ'], ['清水', 'シミズ'],
  ['山崎', 'ヤマザキ'], ['森', 'モリ'], ['池田', 'イケダ'], ['橋本', 'ハシモト'], ['阿部', 'アベ'],
  ['石川', 'イシカワ'], ['前田', 'マエダ'], ['藤田', 'フジタ'], ['後藤', 'ゴトウ'], ['岡田', 'オカダ'],
  ['長谷川', 'ハセガワ'], ['村上', 'ムラカミ'], ['近藤', 'コンドウ'], ['坂本', 'サカモト'], ['遠藤', 'エンドウ'],
  ['青木', 'アオキ'], ['藤井', 'フジイ'], ['西村', 'ニシムラ'], ['福田', 'フクダ'], ['太田', 'オオタ'],
  ['三浦', 'ミウラ'], ['藤原', 'フジワラ'], ['岡本', 'オカモト'], ['松田', 'マツダ'], ['中川', 'ナカガワ'],
  ['原田', 'ハラダ'], ['小野', 'オノ'], ['竹内', 'タケウチ'], ['金子', 'カネコ'], ['和田', 'ワダ'],
  ['中野', 'ナカノ'], ['今村', 'イマムラ'], ['東', 'ヒガシ'], ['別府', 'ベップ'], ['有村', 'アリムラ'],
  ['上村', 'カミムラ'], ['久保', 'クボ'], ['永田', 'ナガタ'], ['川畑', 'カワバタ'], ['濱田', 'ハマダ'],
  ['日高', 'ヒダカ'], ['徳永', 'トクナガ'], ['米盛', 'ヨネモリ'], ['椨', 'タブ'], ['新納', 'ニイロ'],
  ['八板', 'ヤイタ'], ['本坊', 'ホンボウ'], ['堀之内', 'ホリノウチ'], ['満留', 'ミツドメ'], ['一条', 'イチジョウ'],
  ['北条', 'ホウジョウ'], ['東條', 'トウジョウ'], ['菖蒲', 'ショウブ'], ['百武', 'ヒャクタケ'], ['勅使河原', 'テシガワラ'],
];

export const GIVEN_MALE: readonly NamePair[] = [
  ['太郎', 'タロウ'], ['一郎', 'イチロウ'], ['健太', 'ケンタ'], ['大輔', 'ダイスケ'], ['翔太', 'ショウタ'],
  ['拓也', 'タクヤ'], ['誠', 'マコト'], ['浩', 'ヒロシ'], ['隆', 'タカシ'], ['茂', 'シゲル'],
  ['修', 'オサム'], ['学', 'マナブ'], ['剛', 'ツヨシ'], ['健一', 'ケンイチ'], ['和夫', 'カズオ'],
  ['正人', 'マサト'], ['直樹', 'ナオキ'], ['雄二', 'ユウジ'], ['翔平', 'ショウヘイ'], ['純平', 'ジュンペイ'],
  ['亮', 'リョウ'], ['俊介', 'シュンスケ'], ['蓮', 'レン'], ['大翔', 'ヒロト'], ['悠真', 'ユウマ'],
  ['譲二', 'ジョージ'], ['勝', 'マサル'], ['博之', 'ヒロユキ'], ['哲也', 'テツヤ'], ['文博', 'フミヒロ'],
  ['啓介', 'ケイスケ'], ['秀樹', 'ヒデキ'], ['達彦', 'タツヒコ'], ['辰巳', 'タツミ'], ['丈', 'ジョウ'],
];

export const GIVEN_FEMALE: readonly NamePair[] = [
  ['花子', 'ハナコ'], ['恵子', 'ケイコ'], ['洋子', 'ヨウコ'], ['幸子', 'サチコ'], ['京子', 'キョウコ'],
  ['良子', 'リョウコ'], ['由美', 'ユミ'], ['真由美', 'マユミ'], ['智子', 'トモコ'], ['久美子', 'クミコ'],
  ['美穂', 'ミホ'], ['陽子', 'ヨウコ'], ['直美', 'ナオミ'], ['愛', 'アイ'], ['彩', 'アヤ'],
  ['美咲', 'ミサキ'], ['さくら', 'サクラ'], ['陽菜', 'ヒナ'], ['結衣', 'ユイ'], ['千尋', 'チヒロ'],
  ['典子', 'ノリコ'], ['順子', 'ジュンコ'], ['節子', 'セツコ'], ['和江', 'カズエ'], ['静香', 'シズカ'],
  ['舞', 'マイ'], ['麻衣', 'マイ'], ['瞳', 'ヒトミ'], ['文子', 'フミコ'], ['ゆかり', 'ユカリ'],
  ['小百合', 'サユリ'], ['美奈', 'ミナ'], ['絵美', 'エミ'], ['梓', 'アズサ'], ['菜々', 'ナナ'],
];

/** Corporations: [kanji name, kana with the usual abbreviation カ）/ユ）/ド）, prefix or suffix]. */
export const CORPORATIONS: readonly NamePair[] = [
  ['株式会社さくら商事', 'カ）サクラショウジ'], ['有限会社南風建設', 'ユ）ナンプウケンセツ'],
  ['株式会社桜島運輸', 'カ）サクラジマウンユ'], ['合同会社ひまわり企画', 'ド）ヒマワリキカク'],
  ['株式会社天文館フーズ', 'カ）テンモンカンフーズ'], ['有限会社城山電気', 'ユ）シロヤマデンキ'],
  ['吉野工業株式会社', 'ヨシノコウギョウ（カ'], ['株式会社錦江ホーム', 'カ）キンコウホーム'],
  ['有限会社ぺんぎん堂', 'ユ）ペンギンドウ'], ['株式会社ジョイフル物産', 'カ）ジョイフルブッサン'],
  ['谷山精機株式会社', 'タニヤマセイキ（カ'], ['有限会社パーク不動産', 'ユ）パークフドウサン'],
];

/** Kana that cannot be written: ヲ (historical spelling), kept as it was registered. */
export const WO_NAMES: readonly (readonly [string, string])[] = [
  ['小野　薫', 'ヲノ　カヲル'], ['川内　香織', 'センダイ　カヲリ'], ['森　澪', 'モリ　ミヲ'],
  ['中村　かをる', 'ナカムラ　カヲル'], ['上野　志をり', 'ウエノ　シヲリ'],
];

/** Kanji left in the kana column (reading unknown at data entry). */
export const KANJI_KANA_NAMES: readonly (readonly [string, string])[] = [
  ['斉藤　花子', '斉藤　ハナコ'], ['溝口　健一', 'ミゾ口　ケンイチ'], ['鮫島　一郎', '鮫島　イチロウ'],
  ['迫田　順子', 'サコ田　ジュンコ'], ['福元　茂', '福元　シゲル'],
];

/** Names longer than the 30-byte 預金者名 field once narrowed to half-width. */
export const TOO_LONG_NAMES: readonly (readonly [string, string])[] = [
  ['特定非営利活動法人南九州地域活性化支援センター連合会', 'トクヒ）ミナミキュウシュウチイキカッセイカシエンセンターレンゴウカイ'],
  ['一般社団法人南日本総合設備メンテナンスサービス協会', 'シャ）ミナミニホンソウゴウセツビメンテナンスサービスキョウカイ'],
];

export const TOWNS: readonly string[] = [
  '中央町', '東千石町', '西田二丁目', '城山一丁目', '紫原三丁目', '宇宿二丁目', '谷山中央四丁目',
  '吉野町', '伊敷五丁目', '武岡一丁目', '桜ケ丘六丁目', '星ケ峯三丁目', '坂之上七丁目', '下荒田二丁目',
  '鴨池新町', '郡元一丁目', '田上八丁目', '唐湊四丁目', '皇徳寺台二丁目', '緑ケ丘町',
];
export const BUILDINGS: readonly string[] = [
  'コーポ桜', 'ハイツ城山', 'メゾン錦江', 'サンシャイン天文館', 'グリーンヒル紫原', 'パークサイド鴨池',
];

// ---------------------------------------------------------------------------
// Half-width forms, as a bank reports an account holder's name

const FULL = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
const HALF = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ';
const VOICED = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ';
const VOICED_BASE = 'カキクケコサシスセソタチツテトハヒフヘホ';
const SEMI = 'パピプペポ';
const SEMI_BASE = 'ハヒフヘホ';
const SMALL = 'ァィゥェォッャュョ';
const SMALL_BIG = 'アイウエオツヤユヨ';

const HALF_OF = new Map<string, string>();
for (let i = 0; i < FULL.length; i++) HALF_OF.set(FULL[i]!, HALF[i]!);
for (let i = 0; i < VOICED.length; i++) HALF_OF.set(VOICED[i]!, HALF_OF.get(VOICED_BASE[i]!)! + 'ﾞ');
for (let i = 0; i < SEMI.length; i++) HALF_OF.set(SEMI[i]!, HALF_OF.get(SEMI_BASE[i]!)! + 'ﾟ');
for (let i = 0; i < SMALL.length; i++) HALF_OF.set(SMALL[i]!, HALF_OF.get(SMALL_BIG[i]!)!);
HALF_OF.set('ヴ', 'ｳﾞ');
HALF_OF.set('ー', '-');
HALF_OF.set('　', ' ');
HALF_OF.set('（', '(');
HALF_OF.set('）', ')');

/**
 * The half-width form a bank would report for a full-width katakana name (small kana
 * written full size, ー as '-'). Characters with no half-width form (kanji) are kept.
 */
export function bankHalfWidth(kana: string): string {
  let out = '';
  for (const ch of kana) out += HALF_OF.get(ch) ?? ch;
  return out;
}

/**
 * Bytes the name takes once narrowed to half-width (voiced kana take two bytes);
 * a character with no single-byte form counts 2. For checking the generator's own
 * name lists, not a transliteration.
 */
export function halfWidthBytes(kana: string): number {
  let n = 0;
  for (const ch of bankHalfWidth(kana)) n += ch.charCodeAt(0) < 0x80 || (ch >= '｡' && ch <= 'ﾟ') ? 1 : 2;
  return n;
}
