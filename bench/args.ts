/**
 * Command-line flags of the benchmarks: `option('seeds')` is the value after `--seeds`, undefined
 * when the flag is absent; a flag given without a value exits 2 with a one-line reason.
 */
export function option(name: string, args: readonly string[] = process.argv.slice(2)): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) {
    console.error(`--${name} needs a value`);
    process.exit(2);
  }
  return v;
}
