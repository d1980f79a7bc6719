/**
 * The layers of eslint.config.js hold: a forbidden import (or a global of the wrong runtime) in a
 * folder fails the lint, the allowed ones pass. Lints code as if it were a file of that folder,
 * through ESLint's own Node API and the project's config.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The rules that fire on `code` as the file `filePath` (relative to the project root). */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const LAYER = '@typescript-eslint/no-restricted-imports';

describe('imports between layers', () => {
  it('the pipeline never imports components', async () => {
    const v = await violations('src/pipeline/x.ts', "import { parseSteps } from '../components/zoo/beta-sweep.ts';\nexport const p = parseSteps;\n");
    expect(v).toHaveLength(1);
    expect(v[0]).toMatch(new RegExp(`^${LAYER}: .*src/pipeline/ never imports components`));
  });
  it('lib never imports components', async () => {
    const v = await violations('src/lib/x.ts', "import { THUMBS } from '../components/reconstruction/recon.ts';\nexport const t = THUMBS;\n");
    expect(v).toEqual([expect.stringMatching(new RegExp(`^${LAYER}: .*src/lib/ \\(the browser runtime\\) never imports components`))]);
  });
  it('models and embed import neither components, pipeline nor lib', async () => {
    for (const [file, from] of [['src/models/x.ts', '../lib/digits.ts'], ['src/embed/x.ts', '../pipeline/cli.ts'], ['src/models/x.ts', '../components/zoo/data.ts']]) {
      const v = await violations(file!, `import * as m from '${from}';\nexport const n = m;\n`);
      expect(v, `${file} importing ${from}`).toEqual([expect.stringMatching(new RegExp(`^${LAYER}: .*are neutral`))]);
    }
  });
  it('components never import the pipeline', async () => {
    const v = await violations('src/components/zoo/x.ts', "import { encodeGreyPng } from '../../pipeline/png.ts';\nexport const e = encodeGreyPng;\n");
    expect(v).toEqual([expect.stringMatching(new RegExp(`^${LAYER}: .*never imports? pipeline`))]);
  });
  it('contracts import only contracts, and only types from models', async () => {
    expect(await violations('src/contracts/x.ts', "import { SIDE } from '../lib/digits.ts';\nexport const s = SIDE;\n")).toEqual([expect.stringMatching(/imports only contracts/)]);
    expect(await violations('src/contracts/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toEqual([expect.stringMatching(/no Node modules/)]);
    expect(await violations('src/contracts/x.ts', "import { ZOO } from '../models/zoo.ts';\nexport const z = ZOO;\n")).toEqual([expect.stringMatching(/only types from src\/models/)]);
    expect(await violations('src/contracts/x.ts', "import type { ZooEntry } from '../models/zoo.ts';\nimport { parseZoo } from './zoo.ts';\nexport const z: (raw: unknown) => ZooEntry[] = parseZoo;\n")).toEqual([]);
  });
  it('allowed imports pass', async () => {
    expect(await violations('src/pipeline/x.ts', "import { parseZoo } from '../contracts/zoo.ts';\nimport { imageBce } from '../lib/loss.ts';\nexport const p = [parseZoo, imageBce];\n")).toEqual([]);
    expect(await violations('src/lib/x.ts', "import { mapPath } from '../contracts/compact-format.ts';\nimport { CLASSES } from '../models/cvae-inputs.ts';\nexport const m = [mapPath, CLASSES];\n")).toEqual([]);
    expect(await violations('src/build/x.ts', "import { readStack } from './bigger-build.ts';\nimport { DEFAULT_STYLE } from '../components/zoo/cvae-style.ts';\nexport const r = [readStack, DEFAULT_STYLE];\n")).toEqual([]);
  });
});

describe('globals of each runtime', () => {
  it('browser folders see no Node globals', async () => {
    expect(await violations('src/lib/x.ts', 'export const dir = process.cwd();\n')).toEqual(["no-undef: 'process' is not defined."]);
    expect(await violations('src/components/x.ts', "export const b = Buffer.from('x');\n")).toEqual(["no-undef: 'Buffer' is not defined."]);
    expect(await violations('src/lib/x.ts', "export const el = document.createElement('canvas');\n")).toEqual([]);
  });
  it('Node folders see no browser globals', async () => {
    expect(await violations('src/pipeline/x.ts', 'export const w = window.innerWidth;\n')).toEqual(["no-undef: 'window' is not defined."]);
    expect(await violations('src/build/x.ts', "export const el = document.body;\n")).toEqual(["no-undef: 'document' is not defined."]);
    expect(await violations('scripts/x.ts', 'export const dir = process.cwd();\n')).toEqual([]);
  });
  it('neutral folders see only what Node and browsers share', async () => {
    expect(await violations('src/contracts/x.ts', 'export const w = window;\nexport const p = process;\n')).toEqual(["no-undef: 'window' is not defined.", "no-undef: 'process' is not defined."]);
    expect(await violations('src/models/x.ts', "export const t = new TextEncoder().encode('x');\n")).toEqual([]);
  });
});
