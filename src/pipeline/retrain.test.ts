/**
 * `npm run retrain`: flags, the plan and its estimates, whole-run progress, failure and signals,
 * with the steps replaced by a fake (in process: `deps.start`; as a real process: RETRAIN_RUNNER).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZOO, zooEntry } from '../models/zoo.ts';
import { DEFAULT_TRAIN_S, eta, main, parseRetrainArgs, plan, progressLine, retrain, type Step, TRAIN_OVERHEAD_S, trainEstimate, UsageError } from './retrain.ts';

const repo = join(import.meta.dirname, '..', '..');
const node = existsSync(join(repo, 'node_modules', '.bin', 'node')) ? join(repo, 'node_modules', '.bin', 'node') : process.execPath;
const tmp = mkdtempSync(join(tmpdir(), 'retrain-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake step: logs "start <step> <args>" to $FAKE_LOG, sleeps (a minute for step $FAKE_SLOW, else 50 ms), logs "end"; on SIGTERM/SIGINT logs "stopped" and exits. */
const FAKE = join(tmp, 'fake-step.mjs');
writeFileSync(
  FAKE,
  `import { appendFileSync } from 'node:fs';
const [step, ...args] = process.argv.slice(2);
const log = (s) => appendFileSync(process.env.FAKE_LOG, s + '\\n');
log('start ' + step + ' ' + args.join(' '));
process.on('SIGTERM', () => { log('stopped ' + step); process.exit(143); });
process.on('SIGINT', () => { log('stopped ' + step); process.exit(130); });
setTimeout(() => { log('end ' + step); process.exit(step === process.env.FAKE_FAIL ? 3 : 0); }, step === process.env.FAKE_SLOW ? 60000 : 50);
`,
);

function fakeStart(log: string[], fail?: string) {
  return (step: Step) => {
    log.push(`${step.name} ${step.args.join(' ')}`);
    return spawn(process.execPath, ['-e', `process.exit(${step.name === fail ? 4 : 0})`]);
  };
}

describe('retrain: flags and plan', () => {
  it('parses --only and --dir, rejects unknown ids', () => {
    expect(parseRetrainArgs([])).toEqual({ only: null, dir: 'pretrained', help: false });
    expect(parseRetrainArgs(['--only', 'cvae,dae', '--dir=x'])).toEqual({ only: ['cvae', 'dae'], dir: 'x', help: false });
    expect(() => parseRetrainArgs(['--only', 'cvae,gan,vae-3'])).toThrow(/unknown models "gan", "vae-3" \(known: ae, vae/);
    expect(() => parseRetrainArgs(['--only', 'dae,dae'])).toThrow(/distinct/);
    expect(() => parseRetrainArgs(['--only'])).toThrow(UsageError);
    expect(() => parseRetrainArgs(['cvae'])).toThrow(/unexpected argument/);
  });

  it('plans one train step per model (registry order), then bake, figures, compact', () => {
    const steps = plan([zooEntry('dae'), zooEntry('cvae')], 'out', true);
    expect(steps.map((s) => s.name)).toEqual(['train dae', 'train cvae', 'bake', 'bake:figures', 'bake:denoise', 'bake:compact']);
    expect(steps[0]!.args).toEqual(['--zoo', 'dae', '--out', 'out']);
    expect(steps[2]!.args).toEqual(['--models', 'dae,cvae', '--dir', 'out']);
    expect(plan([zooEntry('ae')], 'out', false).map((s) => s.name)).toEqual(['train ae', 'bake', 'bake:figures', 'bake:denoise']);
    // the denoising curve is re-baked only when one of its models (2-D ae, dae, vae) was retrained
    expect(plan([zooEntry('cvae')], 'out', false).map((s) => s.name)).toEqual(['train cvae', 'bake', 'bake:figures']);
  });

  it("estimates a model from its last metrics.json's totalTrainSeconds, else a per-kind default", () => {
    const dir = join(tmp, 'est');
    mkdirSync(join(dir, 'vae'), { recursive: true });
    writeFileSync(join(dir, 'vae', 'metrics.json'), JSON.stringify({ totalTrainSeconds: 20 }));
    expect(trainEstimate(zooEntry('vae'), dir)).toBe(20 + TRAIN_OVERHEAD_S);
    expect(trainEstimate(zooEntry('attn'), dir)).toBe(DEFAULT_TRAIN_S.attn + TRAIN_OVERHEAD_S);
  });

  it('ETA: remaining estimates scaled by how the finished steps compared, minus time in the current step', () => {
    const steps = [10, 10, 20].map((estimate, i) => ({ name: `s${i}`, model: `m${i}`, script: '', args: [], estimate }));
    expect(eta(steps, 0, 0, 0)).toBe(40);
    expect(eta(steps, 0, 0, 5)).toBe(35);
    expect(eta(steps, 1, 20, 0)).toBe(60); // the first step took twice its estimate
    expect(eta(steps, 2, 10, 100)).toBe(0);
    expect(progressLine(steps, 1, 75, 60)).toBe('retrain: models 1/3 trained, step 2/3 (s1), elapsed 1m15s, ETA 1m00s');
  });
});

describe('retrain: a run with fake steps (in process)', () => {
  it('runs the steps in order and reports models done k/N with elapsed and ETA', async () => {
    const ran: string[] = [];
    let err = '';
    const code = await retrain({ only: ['dae', 'cvae'], dir: join(tmp, 'p'), help: false }, { start: fakeStart(ran), stderr: { write: (s: string) => (err += s) }, hasCompact: true });
    expect(code).toBe(0);
    expect(ran).toEqual([`train cvae --zoo cvae --out ${join(tmp, 'p')}`, `train dae --zoo dae --out ${join(tmp, 'p')}`, `bake --models cvae,dae --dir ${join(tmp, 'p')}`, `bake:figures --dir ${join(tmp, 'p')}`, `bake:denoise --dir ${join(tmp, 'p')}`, `bake:compact --dir ${join(tmp, 'p')}`]);
    const lines = err.split('\n').filter((l) => l.startsWith('retrain: models'));
    expect(lines.map((l) => /models (\d)\/2 trained, step (\d)\/6/.exec(l)!.slice(1).join(' '))).toEqual(['0 1', '1 2', '2 3', '2 4', '2 5', '2 6', '2 6']);
    for (const l of lines) expect(l).toMatch(/elapsed [\d.m]+s, ETA [\d.m]+s$/);
    expect(err).toMatch(/retrain: done in/);
  });

  it('stops at the first failing step with exit 1 and says what finished', async () => {
    const ran: string[] = [];
    let err = '';
    const code = await retrain({ only: null, dir: join(tmp, 'p'), help: false }, { start: fakeStart(ran, 'train vae'), stderr: { write: (s: string) => (err += s) }, hasCompact: false });
    expect(code).toBe(1);
    expect(ran.map((r) => r.split(' ')[1])).toEqual(['ae', 'vae']);
    expect(err).toMatch(/train vae failed \(exit 4\); stopping. Finished: train ae/);
    expect(ZOO.length).toBeGreaterThan(2);
  });

  it('bad ids exit 2 with the message and the usage', async () => {
    let err = '';
    const code = await main(['--only', 'ae,gan'], { stderr: { write: (s: string) => (err += s) } });
    expect(code).toBe(2);
    expect(err).toMatch(/^error: --only: unknown model "gan" \(known: ae, vae, /);
    expect(err).toMatch(/Usage: npm run retrain/);
  });
});

describe('retrain: as a process, with SIGTERM/SIGINT', () => {
  function run(args: string[], env: Record<string, string>, onLog?: (log: string, kill: (s: NodeJS.Signals) => void) => void) {
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }>((resolve, reject) => {
      const child = spawn(node, [join(repo, 'src', 'pipeline', 'retrain.ts'), ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let killedAt = 0;
      child.stderr.on('data', (d) => (stderr += d));
      const poll = setInterval(() => {
        const log = existsSync(env.FAKE_LOG!) ? readFileSync(env.FAKE_LOG!, 'utf8') : '';
        onLog?.(log, (s) => {
          if (!killedAt) {
            killedAt = performance.now();
            child.kill(s);
          }
        });
      }, 50);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearInterval(poll);
        resolve({ code, signal, stderr, ms: killedAt ? performance.now() - killedAt : NaN });
      });
    });
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('%s during a model stops the child at once and exits 130; later steps never start', async (sig) => {
    const log = join(tmp, `log-${sig}`);
    const dir = join(tmp, `run-${sig}`);
    const r = await run(['--only', 'ae,vae,dae', '--dir', dir], { RETRAIN_RUNNER: `${process.execPath} ${FAKE}`, FAKE_LOG: log, FAKE_SLOW: 'train vae' }, (text, kill) => {
      if (text.includes('start train vae')) kill(sig);
    });
    expect(r.code).toBe(130);
    expect(r.ms).toBeLessThan(5000); // prompt (the fake step sleeps a minute)
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toEqual([`start train ae --zoo ae --out ${dir}`, 'end train ae', `start train vae --zoo vae --out ${dir}`, 'stopped train vae']);
    expect(r.stderr).toMatch(new RegExp(`${sig} received, stopping the running step \\(train vae\\)`));
    expect(r.stderr).toMatch(/Finished and kept: ae;/);
  }, 60_000);

  it('an output folder that cannot be created fails at once with a clear message', async () => {
    const r = await run(['--dir', '/proc/x/y'], { FAKE_LOG: join(tmp, 'none') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: cannot write to the output folder \/proc\/x\/y \(ENOENT: mkdir \/proc\/x failed\)/);
  }, 30_000);
});
