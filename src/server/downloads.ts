/** Downloads: a server-side file sent as an attachment under a name safe in any browser (RFC 6266/5987). */
import * as fs from 'node:fs';
import type { FastifyReply } from 'fastify';

/** Content-Disposition for `name`: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function sendDownload(reply: FastifyReply, file: string, name: string, type = 'application/octet-stream'): FastifyReply {
  const size = fs.statSync(file).size;
  return reply
    .header('content-disposition', contentDisposition(name))
    .header('content-length', String(size))
    .header('cache-control', 'no-store')
    .type(type)
    .send(fs.createReadStream(file));
}
