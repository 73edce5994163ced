/** Money for people: `¥1,234,567`; `—` where there is no amount. Integer yen in, text out. */
export function yen(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : `¥${n.toLocaleString('en-US')}`;
}
