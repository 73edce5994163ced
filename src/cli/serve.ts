import * as fs from 'node:fs';
import type { Command } from 'commander';
import { requireInputFile } from '../core/fsutil.js';
import { usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { globals, say, type GlobalOpts } from './context.js';
import type { ServerOptions } from '../server/index.js';

/** `sashiosae serve [--host H] [--port P]` (cli.md; issue 18 item 1): the staff web application until SIGINT/SIGTERM. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('職員向け Web アプリを起動 (serve the staff web application)')
    .option('--host <host>', '待ち受けるアドレス / address to listen on', '127.0.0.1')
    .option('--port <port>', 'ポート / port', '8080')
    .option('--tls-cert <file>', 'TLS 証明書（PEM）/ TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS 秘密鍵（PEM）/ TLS private key (PEM)')
    .option('--media-root <dir>', '画面からの書出しを許すサーバー上のフォルダ（複数可。省略時はダウンロードのみ）/ a folder on this machine pages may write batches into (repeatable; without it: downloads only)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (o: { host: string; port: string; tlsCert?: string; tlsKey?: string; mediaRoot: string[] }, cmd: Command) => {
      const g = globals(cmd);
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw usageError('cli.serve-port', { ja: `--port は 0〜65535 の整数です（指定値: ${o.port}）`, en: `--port must be an integer 0–65535 (got ${o.port})` });
      if ((o.tlsCert === undefined) !== (o.tlsKey === undefined))
        throw usageError('cli.serve-tls', { ja: '--tls-cert と --tls-key は両方指定してください', en: 'give both --tls-cert and --tls-key' });
      for (const f of [o.tlsCert, o.tlsKey]) if (f !== undefined) requireInputFile(f);
      for (const d of o.mediaRoot) {
        if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory())
          throw usageError('cli.serve-media-root', { ja: `--media-root のフォルダ ${d} がありません`, en: `the --media-root folder ${d} does not exist` });
      }
      await serveUntilStopped(g, {
        host: o.host,
        port,
        mediaRoots: o.mediaRoot,
        ...(o.tlsCert !== undefined && o.tlsKey !== undefined ? { https: { cert: fs.readFileSync(o.tlsCert), key: fs.readFileSync(o.tlsKey) } } : {}),
      });
    });
}

/**
 * Start the web application on `g.db` and run it until SIGINT/SIGTERM (serve, demo --web).
 * The server module is loaded here, not at start: fastify and its plugins would slow every
 * other command's start.
 */
export async function serveUntilStopped(
  g: GlobalOpts,
  o: { host: string; port: number; https?: { cert: Buffer; key: Buffer }; mediaRoots?: readonly string[]; extend?: ServerOptions['extend'] },
): Promise<void> {
  const { buildServer } = await import('../server/index.js');
  const app = await buildServer({ db: g.db, ...(o.mediaRoots !== undefined ? { mediaRoots: o.mediaRoots } : {}), ...(o.https !== undefined ? { https: o.https } : {}), ...(o.extend !== undefined ? { extend: o.extend } : {}) });
  const address = await app.listen({ host: o.host, port: o.port });
  say(g, t({ ja: `Web アプリを起動しました: ${address}/ （Ctrl+C で停止）`, en: `web application listening at ${address}/ (Ctrl+C stops it)` }));
  await new Promise<void>((resolve) => {
    const stop = () => {
      void app.close().then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
