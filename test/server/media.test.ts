import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import type { ServerContext } from '../../src/server/http.js';
import { destinationFields, mediaDirFromForm } from '../../src/server/media.js';

/** Where pages may write a batch's files on the server (ADR 0187): only under a media root. */
describe('media roots', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-media-'));
  const root = path.join(base, 'usb');
  const inside = path.join(root, 'drive1');
  const outside = path.join(base, 'elsewhere');
  for (const d of [inside, outside]) fs.mkdirSync(d, { recursive: true });
  fs.symlinkSync(outside, path.join(root, 'escape'));
  const ctx = (roots: string[]) => ({ mediaRoots: roots }) as unknown as ServerContext;
  const refused = (c: ServerContext, dir: string): string => {
    try {
      mediaDirFromForm(c, dir);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).exit).toBe(2);
      return (e as AppError).msg.en;
    }
    throw new Error(`${dir} was accepted`);
  };

  it('without a media root nothing on the server is writable, and the form offers the download only', () => {
    expect(refused(ctx([]), inside)).toMatch(/does not write to its own folders/);
    const form = destinationFields(ctx([]), 'ja', { ja: 'ダウンロード', en: 'Download' });
    expect(form).toContain('value="download"');
    expect(form).not.toContain('value="media"');
    expect(form).not.toContain('name="mediaDir"');
  });

  it('a folder inside a root is taken (as its real path); the root itself too', () => {
    expect(mediaDirFromForm(ctx([root]), inside)).toBe(fs.realpathSync(inside));
    expect(mediaDirFromForm(ctx([root]), root + '/')).toBe(fs.realpathSync(root));
    expect(destinationFields(ctx([root]), 'en', { ja: 'ダウンロード', en: 'Download' })).toContain('value="media"');
  });

  it('a relative path, a missing folder, a folder outside, a way out by .. or by a link inside the root: refused', () => {
    const c = ctx([root]);
    expect(refused(c, 'usb/drive1')).toMatch(/absolute path/);
    expect(refused(c, path.join(root, 'missing'))).toMatch(/has no folder/);
    expect(refused(c, outside)).toMatch(/not inside/);
    expect(refused(c, path.join(inside, '..', '..', 'elsewhere'))).toMatch(/not inside/);
    expect(refused(c, path.join(root, 'escape'))).toMatch(/not inside/);
    // a root's name as a prefix is not inside it
    fs.mkdirSync(root + '-other', { recursive: true });
    expect(refused(c, root + '-other')).toMatch(/not inside/);
  });
});
