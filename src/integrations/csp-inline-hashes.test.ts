import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addInlineHashes, scriptHash } from './csp-inline-hashes.ts';

const meta = (policy: string) => `<meta http-equiv="content-security-policy" content="${policy}">`;
const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('addInlineHashes', () => {
  it('adds the hash of each inline script to script-src, once', () => {
    const a = 'console.log(1)';
    const b = '\n\tStarlightThemeProvider.updatePickers();\n';
    const html = `<head>${meta("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")}</head><body><script>${a}</script><script type="module">${b}</script><script>${a}</script></body>`;
    const out = addInlineHashes(html);
    const policy = /content="([^"]*)"/.exec(out)![1]!;
    const script = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
    expect(script).toBe(`script-src 'self' 'wasm-unsafe-eval' ${sha(a)} ${sha(b)}`);
    expect(policy).toContain("default-src 'self'");
    expect(out.replace(policy, '')).toBe(html.replace(/content="[^"]*"/, 'content=""'));
  });

  it('skips external scripts, data blocks, empty scripts and hashes already present', () => {
    const a = 'x()';
    const html = `${meta(`script-src 'self' ${scriptHash(a)}`)}<script src="/a.js"></script><script type="application/ld+json">{"a":1}</script><script></script><script>${a}</script>`;
    expect(addInlineHashes(html)).toBe(html);
  });

  it('adds the hash of each inline style to style-src', () => {
    const css = '.a{color:red}';
    const html = `${meta("script-src 'self'; style-src 'self' 'unsafe-inline'")}<style>${css}</style><style></style>`;
    const out = addInlineHashes(html);
    expect(out).toContain(`style-src 'self' 'unsafe-inline' ${sha(css)}`);
    expect(out).toContain("script-src 'self';");
  });

  it('leaves pages without a policy, or without script-src, alone', () => {
    expect(addInlineHashes('<script>x()</script>')).toBe('<script>x()</script>');
    const html = `${meta("default-src 'self'")}<script>x()</script>`;
    expect(addInlineHashes(html)).toBe(html);
  });

  it('matches what the browser hashes: the exact UTF-8 text between the tags', () => {
    expect(scriptHash('é')).toBe(sha('é'));
  });
});
