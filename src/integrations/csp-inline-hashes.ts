/**
 * Completes the Content-Security-Policy that Astro writes into every built page.
 *
 * Astro hashes the scripts and styles it processes into the `<meta http-equiv="content-security-policy">`
 * tag, but not `is:inline` scripts — and Starlight ships several (the search button, the theme
 * picker's start-up call, the sidebar's scroll and open-group restore) — and, in Astro 7.3, not
 * every component stylesheet it inlines (the model widgets' `<style>` came out unhashed). Under
 * the policy the browser blocks them. After the build, this integration adds the SHA-256 of every
 * inline `<script>` to that page's `script-src` and of every inline `<style>` to its `style-src`,
 * so exactly what the build wrote runs and nothing else is allowed: no `'unsafe-inline'`, no new
 * hosts.
 */
import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const META = /(<meta\s+http-equiv="content-security-policy"\s+content=")([^"]*)(")/i;
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const STYLE = /<style\b([^>]*)>([\s\S]*?)<\/style>/gi;
/** Script types the browser executes (a data block such as JSON needs no hash). */
const EXECUTABLE = /^(|module|text\/javascript|application\/javascript)$/i;

/** `'sha256-…'` of a script's or style's text, as CSP spells it. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Adds `hashes` to directive `name` of a policy string; returns it unchanged without that directive. */
function addToDirective(policy: string, name: string, hashes: string[]): string {
  const directives = policy.split(';').map((d) => d.trim());
  const at = directives.findIndex((d) => d.split(/\s+/)[0]!.toLowerCase() === name);
  if (at < 0) return policy; // default-src governs it; leave the policy as written
  const present = new Set(directives[at]!.split(/\s+/));
  const missing = [...new Set(hashes)].filter((h) => !present.has(h));
  if (missing.length === 0) return policy;
  directives[at] = `${directives[at]} ${missing.join(' ')}`;
  return directives.join('; ');
}

/**
 * Returns `html` with the hash of each inline executable script added to the `script-src` of its
 * CSP `<meta>` tag, and of each inline `<style>` to its `style-src` (when not there already).
 * Pages without a policy come back unchanged.
 */
export function addInlineHashes(html: string): string {
  const meta = META.exec(html);
  if (!meta) return html;
  const scripts: string[] = [];
  for (const m of html.matchAll(SCRIPT)) {
    const attrs = m[1] ?? '';
    if (/\bsrc\s*=/i.test(attrs)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]*)/i.exec(attrs)?.[1] ?? '';
    if (!EXECUTABLE.test(type) || (m[2] ?? '') === '') continue;
    scripts.push(scriptHash(m[2]!));
  }
  const styles = [...html.matchAll(STYLE)].filter((m) => (m[2] ?? '') !== '').map((m) => scriptHash(m[2]!));
  const policy = addToDirective(addToDirective(meta[2]!, 'script-src', scripts), 'style-src', styles);
  if (policy === meta[2]) return html;
  return html.replace(META, (_all, open: string, _content: string, close: string) => `${open}${policy}${close}`);
}

/** Every `.html` file under `dir`. */
async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlFiles(path)));
    else if (e.isFile() && e.name.endsWith('.html')) out.push(path);
  }
  return out;
}

/** The Astro integration: runs on the built pages once the build is done. */
export function cspInlineHashes(): AstroIntegration {
  return {
    name: 'latent-atlas:csp-inline-hashes',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        let changed = 0;
        for (const file of await htmlFiles(fileURLToPath(dir))) {
          const html = await readFile(file, 'utf8');
          const next = addInlineHashes(html);
          if (next !== html) {
            await writeFile(file, next);
            changed++;
          }
        }
        logger.info(`hashed inline scripts and styles into the CSP of ${changed} page(s)`);
      },
    },
  };
}
