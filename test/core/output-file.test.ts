import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { linkIntoPlace, openOutputFile, writeOutputFile } from '../../src/core/output-file.js';

const tmpDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('core/output-file: the one writer', () => {
  it('writes strings and bytes in order, mode 0600, nothing under the final name before commit', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'out.csv');
    const out = openOutputFile(f, { clobber: false });
    out.write('\uFEFF');
    out.write('あ,b\r\n');
    const big = Buffer.alloc(1 << 17, 0x41);
    out.write(big);
    big.fill(0x42); // the caller reuses its buffer: what was written stays written
    out.write(Uint8Array.from([0x43]));
    expect(fs.existsSync(f)).toBe(false);
    expect(leftovers(dir)).toHaveLength(1);
    out.commit();
    const got = fs.readFileSync(f);
    expect(got.equals(Buffer.concat([Buffer.from('\uFEFFあ,b\r\n'), Buffer.alloc(1 << 17, 0x41), Buffer.from('C')]))).toBe(true);
    expect(out.bytes).toBe(got.length);
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it('clobber: false refuses an existing target with exit 4 output.exists, at open and at commit', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'r.html');
    fs.writeFileSync(f, 'old');
    expect(() => openOutputFile(f, { clobber: false })).toThrow(AppError);
    expect(() => writeOutputFile(f, 'new', { clobber: false })).toThrow(expect.objectContaining({ code: 'output.exists', exit: 4 }));
    const g = path.join(dir, 'g.csv');
    const out = openOutputFile(g, { clobber: false });
    out.write('x');
    fs.writeFileSync(g, 'appeared');
    expect(() => out.commit()).toThrow(expect.objectContaining({ code: 'output.exists', exit: 4 }));
    expect(fs.readFileSync(f, 'utf8')).toBe('old');
    expect(fs.readFileSync(g, 'utf8')).toBe('appeared');
    expect(leftovers(dir)).toEqual([]);
  });

  it('clobber: true replaces an existing target', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'settings.json');
    fs.writeFileSync(f, 'old');
    writeOutputFile(f, '{}\n', { clobber: true });
    expect(fs.readFileSync(f, 'utf8')).toBe('{}\n');
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it('abort removes the temporary file and leaves the target as it was; abort after commit keeps the file', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'a.csv');
    const out = openOutputFile(f, { clobber: true });
    out.write('half');
    out.abort();
    out.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
    const done = openOutputFile(f, { clobber: true });
    done.write('whole');
    done.commit();
    done.abort();
    expect(fs.readFileSync(f, 'utf8')).toBe('whole');
  });

  it('a descriptor writer (the fixed-width writer) writes through fd', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'result.dat');
    const out = openOutputFile(f, { clobber: false });
    fs.writeSync(out.fd, Buffer.from('rec'));
    out.commit();
    expect(fs.readFileSync(f, 'utf8')).toBe('rec');
  });

  it('linkIntoPlace gives a second name only when it is free', () => {
    const dir = tmpDir();
    const a = path.join(dir, 'a');
    fs.writeFileSync(a, '1');
    expect(linkIntoPlace(a, path.join(dir, 'b'))).toBe(true);
    fs.writeFileSync(path.join(dir, 'c'), '2');
    expect(linkIntoPlace(a, path.join(dir, 'c'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'c'), 'utf8')).toBe('2');
  });
});
