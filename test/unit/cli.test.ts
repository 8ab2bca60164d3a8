/**
 * The runner as a user meets it: --help lists every flag with its default; a bad flag or value is one line on
 * stderr naming the allowed values, with exit status 2; a tiny run prints the table and writes files that
 * read back with the project's strict parsers.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDatasetCsv } from '../../src/core/formats/datasetCsv.ts';
import { parseModelJson } from '../../src/core/formats/modelJson.ts';
import { MethodSpecError, parseMethodSpec } from '../../src/engine/methodSpec.ts';

const tsx = path.resolve('node_modules/.bin/tsx');
const run = (...args: string[]) =>
  spawnSync(tsx, ['src/cli/experiment.ts', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('the experiment runner', () => {
  it('lists every flag with its default under --help', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const flag of [
      '--dataset',
      '--methods',
      '--eps',
      '--norm',
      '--epochs',
      '--batch',
      '--lr',
      '--out',
      '--backend',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toMatch(/--eps\s+0\.05/);
    expect(r.stdout).toMatch(/--norm\s+linf/);
  });

  it.each([
    [['--norm', 'l3'], /--norm must be one of linf, l2; got "l3"/],
    [['--eps', 'abc'], /--eps must be a number from 0 to 10/],
    [
      ['--methods', 'natural,magic'],
      /Unknown method "magic". Allowed: natural, gr, llr, at, trades, rst, cure, lipschitz, nn/,
    ],
    [['--methods', 'trades:beta=99'], /beta=99 .* out of range/],
    [['--frobnicate', '1'], /Unknown flag --frobnicate\. Allowed: --dataset/],
    [['--dataset', 'nope.csv'], /no file at nope\.csv/],
  ])('rejects %j with exit 2 and a one-line message', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('prints the table and writes results, dataset and models that read back', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'rp-'));
    const r = run(
      '--dataset',
      'gaussians',
      '--classes',
      '3',
      '--n-train',
      '60',
      '--n-test',
      '30',
      '--epochs',
      '2',
      '--hidden',
      '8',
      '--methods',
      'natural,trades:beta=1,nn',
      '--backend',
      'cpu',
      '--out',
      out,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/method\s+train acc\s+test acc\s+adv test acc\s+robust test acc\s+test Lip/);
    expect(r.stdout).toContain('TRADES (β = 1)');
    expect(readdirSync(out).sort()).toEqual([
      'dataset.csv',
      'natural.model.json',
      'results.json',
      'trades-beta1.model.json',
    ]);
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as {
      format: string;
      models: { method: string; train_acc: number }[];
    };
    expect(results.format).toBe('robust-results/1');
    expect(results.models.map((m) => m.method)).toEqual(['natural', 'trades', 'nn']);
    expect(results.models[2]!.train_acc).toBe(1);
    const model = parseModelJson(readFileSync(path.join(out, 'natural.model.json'), 'utf8'));
    expect(model.layers.map((l) => [l.W.length, l.b.length])).toEqual([
      [2, 8],
      [8, 3],
    ]);
    const csv = parseDatasetCsv(readFileSync(path.join(out, 'dataset.csv'), 'utf8'));
    expect([csv.train.y.length, csv.test.y.length]).toEqual([60, 30]);
  });
});

describe('method specs', () => {
  it('take settings, variants and dropout, and label them', () => {
    const s = parseMethodSpec('trades:beta=3:dropout=0.2');
    expect(s.hyper.beta).toBe(3);
    expect(s.dropout).toBe(0.2);
    expect(s.label).toBe('TRADES (β = 3, dropout 0.2)');
    expect(s.key).toBe('trades-beta3-drop0.2');
    expect(parseMethodSpec('llr:variant=repo').hyper.lambda).toBe(4);
    expect(parseMethodSpec('llr').hyper.lambda).toBe(1);
  });
  it.each(['llr:variant=nope', 'gr:gamma=1', 'at:steps', 'nn:beta=1', 'trades:beta=-1'])(
    'reject %s',
    (text) => {
      expect(() => parseMethodSpec(text)).toThrow(MethodSpecError);
    },
  );
});
