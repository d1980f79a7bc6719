/**
 * The shell the pipeline's smaller CLIs share (`bake.ts`, `figures.ts`, `tsne.ts`): flag errors and
 * the exit codes 0 done, 1 error, 2 bad flags.
 */

/** A bad command line (exit code 2, with the usage text). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The value flag at `argv[i]` (which starts with `--`), as `--name=value` or `--name value`.
 * Throws a UsageError when `known` rejects the name or the value is missing; returns the name, the
 * value and the index of the last argument read (`i`, or `i + 1` for a separate value).
 */
export function readValueFlag(argv: readonly string[], i: number, known: (name: string) => boolean): { name: string; value: string; last: number } {
  let name = argv[i]!.slice(2);
  let value: string | undefined;
  const eq = name.indexOf('=');
  if (eq >= 0) {
    value = name.slice(eq + 1);
    name = name.slice(0, eq);
  }
  if (!known(name)) throw new UsageError(`unknown flag --${name}`);
  if (value === undefined) {
    value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  }
  return { name, value, last: i };
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
