/** Build-time warnings for the prose helpers, each message printed once per build. */
const seen = new Set<string>();

/** Logs `message` as a build warning unless it was already logged. */
export function warnOnce(message: string): void {
  if (seen.has(message)) return;
  seen.add(message);
  console.warn(`\u001b[33m[warn]\u001b[0m ${message}`);
}
