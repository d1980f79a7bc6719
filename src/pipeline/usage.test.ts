import { describe, expect, it } from 'vitest';
import { parseFlags, runCli, UsageError } from './usage.ts';

const spec = { values: ['dir', 'lr'], switches: ['force'] };

describe('parseFlags (util.parseArgs underneath)', () => {
  it('reads values as --name value and --name=value, switches and -h/--help', () => {
    const f = parseFlags(['--dir', 'out', '--lr=0.5', '--force', '-h'], spec);
    expect(Object.fromEntries(f.values)).toEqual({ dir: 'out', lr: '0.5' });
    expect([...f.switches]).toEqual(['force']);
    expect(f.help).toBe(true);
    expect(parseFlags(['--help'], spec).help).toBe(true);
    expect(parseFlags([], spec)).toEqual({ values: new Map(), switches: new Set(), help: false, positionals: [] });
  });
  it('takes a value that starts with one dash (a negative number), not one that starts with two', () => {
    expect(parseFlags(['--lr', '-1'], spec).values.get('lr')).toBe('-1');
    expect(() => parseFlags(['--lr', '--force'], spec)).toThrow('--lr needs a value');
    expect(() => parseFlags(['--dir'], spec)).toThrow('--dir needs a value');
    expect(parseFlags(['--dir='], spec).values.get('dir')).toBe('');
    expect(() => parseFlags(['--dir='], { ...spec, emptyIsMissing: true })).toThrow('--dir needs a value');
  });
  it('names the first bad argument, left to right', () => {
    expect(() => parseFlags(['--speed', '3'], spec)).toThrow(new UsageError('unknown flag --speed'));
    expect(() => parseFlags(['extra', '--speed'], spec)).toThrow('unexpected argument "extra"');
    expect(() => parseFlags(['-x'], spec)).toThrow('unexpected argument "-x"');
    expect(() => parseFlags(['--', 'x'], spec)).toThrow('unexpected argument "--"');
    expect(() => parseFlags(['--force=yes'], spec)).toThrow('--force takes no value');
    expect(() => parseFlags(['--dir', 'a', '--dir', 'b'], spec)).toThrow('--dir given twice');
    expect(parseFlags(['--dir', 'a', '--dir', 'b'], { ...spec, repeats: 'last' }).values.get('dir')).toBe('b');
  });
  it('words its messages as each tool asks, and takes plain arguments when allowed', () => {
    const own = { ...spec, unexpected: (a: string) => `unexpected argument "${a}" (flags start with --)`, unknown: (a: string) => `unknown argument "${a}"` };
    expect(() => parseFlags(['x'], own)).toThrow('unexpected argument "x" (flags start with --)');
    expect(() => parseFlags(['--nope=1'], own)).toThrow('unknown argument "--nope=1"');
    expect(parseFlags(['dir1', '--force'], { ...spec, positionals: 1 }).positionals).toEqual(['dir1']);
    expect(() => parseFlags(['a', 'b'], { ...spec, positionals: 1 })).toThrow('unexpected argument "b"');
  });
});

describe('runCli', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
  };
  const parse = (argv: readonly string[]) => parseFlags(argv, spec);
  it('exits 2 with the usage on a bad flag, 0 with it on --help, 1 on a failed run', async () => {
    const a = io();
    expect(await runCli(['--nope'], parse, 'USAGE', async () => 0, a.io)).toBe(2);
    expect(a.out.stderr).toBe('error: unknown flag --nope\n\nUSAGE\n');
    const b = io();
    expect(await runCli(['-h'], parse, 'USAGE', async () => 0, b.io)).toBe(0);
    expect(b.out.stdout).toBe('USAGE\n');
    const c = io();
    expect(await runCli([], parse, 'USAGE', async () => Promise.reject(new Error('no disk')), c.io)).toBe(1);
    expect(c.out.stderr).toBe('error: no disk\n');
  });
});
