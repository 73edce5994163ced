/**
 * Bilingual messages. Every human message is written in both languages at the
 * place it arises ({ ja, en }); the CLI picks one with --lang (Japanese default).
 */
export type Lang = 'ja' | 'en';
export interface Msg {
  ja: string;
  en: string;
}

let current: Lang = 'ja';

export function setLang(lang: Lang): void {
  current = lang;
}

export function getLang(): Lang {
  return current;
}

/** The message in the current language. */
export function t(msg: Msg): string {
  return msg[current];
}

