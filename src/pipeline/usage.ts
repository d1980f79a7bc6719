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
