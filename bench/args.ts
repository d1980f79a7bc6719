/**
 * Command-line flags of the benchmarks, read with Node's `util.parseArgs`: `option('seeds')` is the
 * value of `--seeds` (`--seeds 0,1` or `--seeds=0,1`), undefined when the flag is absent; a flag
 * given without a value exits 2 with a one-line reason. `has('synthetic')` says whether a switch is
 * there. Flags a benchmark does not ask about are left alone (each asks only for its own).
 */
import { parseArgs } from 'node:util';

/** The tokens of `--name` in `args`. */
function tokensOf(name: string, type: 'string' | 'boolean', args: readonly string[]) {
  const { tokens } = parseArgs({ args: [...args], options: { [name]: { type } }, strict: false, allowPositionals: true, tokens: true });
  return tokens.filter((t) => t.kind === 'option' && t.name === name && t.rawName === `--${name}`);
}

export function option(name: string, args: readonly string[] = process.argv.slice(2)): string | undefined {
  const t = tokensOf(name, 'string', args)[0];
  if (!t || t.kind !== 'option') return undefined;
  if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))) {
    console.error(`--${name} needs a value`);
    process.exit(2);
  }
  return t.value;
}

export function has(name: string, args: readonly string[] = process.argv.slice(2)): boolean {
  return tokensOf(name, 'boolean', args).length > 0;
}
