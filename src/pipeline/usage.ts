/**
 * The shell the project's CLIs share (the pipeline's commands, `scripts/check-manifest.ts`, the
 * benchmarks): one flag parser over Node's `util.parseArgs` (`parseFlags`), flag errors, and the
 * exit codes 0 done, 1 error, 2 bad flags (`runCli`).
 */
import { parseArgs } from 'node:util';

/** A bad command line (exit code 2, with the usage text). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a command line may hold: its value flags and its switches (`--help`/`-h` is always one). */
export interface FlagSpec {
  /** Flags that take a value, as `--name value` or `--name=value`. */
  values: readonly string[];
  /** Flags without a value (besides `help`). */
  switches?: readonly string[];
  /** A flag given twice is an error (default), or the last one counts. */
  repeats?: 'error' | 'last';
  /** How many plain arguments the command takes (default none). */
  positionals?: number;
  /** The message for an argument that is not a flag (default `unexpected argument "<arg>"`). */
  unexpected?: (arg: string) => string;
  /** The message for an unknown flag (default `unknown flag --<name>`). */
  unknown?: (arg: string, name: string) => string;
  /** Whether an empty value (`--dir=`) is missing too (default: the tool checks it). */
  emptyIsMissing?: boolean;
}

/** A parsed command line: the values by flag name, the switches given, `--help`, the plain arguments. */
export interface Flags {
  values: Map<string, string>;
  switches: Set<string>;
  help: boolean;
  positionals: string[];
}

/**
 * Parses a command line with Node's `util.parseArgs` (its tokens), the one parser of the project's
 * CLIs. Throws a `UsageError` for the first bad argument, left to right: an unknown flag, a flag
 * without its value (a value may start with `-`, as in `--lr -1`, but not with `--`), a value given
 * to a switch, a flag given twice (unless `repeats: 'last'`), or a plain argument too many.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const name of spec.values) options[name] = { type: 'string' };
  for (const name of spec.switches ?? []) options[name] = { type: 'boolean' };
  const unexpected = spec.unexpected ?? ((arg: string) => `unexpected argument "${arg}"`);
  const unknown = spec.unknown ?? ((_arg: string, name: string) => `unknown flag --${name}`);
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: Flags = { values: new Map(), switches: new Set(), help: false, positionals: [] };
  for (const t of tokens) {
    if (t.kind === 'option-terminator') throw new UsageError(unexpected('--'));
    if (t.kind === 'positional') {
      if (out.positionals.length >= (spec.positionals ?? 0)) throw new UsageError(unexpected(t.value));
      out.positionals.push(t.value);
      continue;
    }
    const arg = argv[t.index]!;
    // A single dash other than -h (`-x`, or a number such as `-5` where no flag wants it) is no flag of ours.
    if (!t.rawName.startsWith('--') && t.name !== 'help') throw new UsageError(unexpected(arg));
    const option = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!option) throw new UsageError(unknown(arg, t.name));
    if (t.name === 'help') {
      if (t.inlineValue) throw new UsageError('--help takes no value');
      out.help = true;
      continue;
    }
    if (option.type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`--${t.name} takes no value`);
      out.switches.add(t.name);
      continue;
    }
    const value = t.value;
    if (value === undefined || (!t.inlineValue && value.startsWith('--')) || (spec.emptyIsMissing && value === '')) throw new UsageError(`--${t.name} needs a value`);
    if (out.values.has(t.name) && (spec.repeats ?? 'error') === 'error') throw new UsageError(`--${t.name} given twice`);
    out.values.set(t.name, value);
  }
  return out;
}

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/**
 * Parses `argv` with `parse` and runs `run` on the options; returns the exit code. A `UsageError`
 * from `parse` prints `error: …` and `usage` to stderr (2); `--help` prints `usage` to stdout (0);
 * an error thrown by `run` prints `error: <message>` to stderr (1). Other errors from `parse` propagate.
 */
export async function runCli<O extends { help: boolean }>(
  argv: readonly string[],
  parse: (argv: readonly string[]) => O,
  usage: string,
  run: (opts: O) => Promise<number>,
  io: CliIo = process,
): Promise<number> {
  let opts: O;
  try {
    opts = parse(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n\n${usage}\n`);
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    return await run(opts);
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}
