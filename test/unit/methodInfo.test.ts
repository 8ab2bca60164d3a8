/**
 * The methods' metadata (catalog.ts, one `<id>.info.ts` per method) is what the main thread shows and configures
 * without loading tfjs; the implementations (index.ts) spread it. Both lists must agree, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { TRAIN_PGD } from '../../src/ml/attacks.ts';
import { BACKENDS as BACKENDS_FROM_BACKEND } from '../../src/ml/backend.ts';
import { BACKENDS } from '../../src/ml/backendNames.ts';
import { STEP_FRAC_HYPER, STEPS_HYPER } from '../../src/ml/methods/at.info.ts';
import { METHOD_INFO } from '../../src/ml/methods/catalog.ts';
import { METHODS } from '../../src/ml/methods/index.ts';
import type { MethodInfo } from '../../src/ml/methods/info.ts';

const FIELDS: readonly (keyof MethodInfo)[] = [
  'id',
  'name',
  'summary',
  'formula',
  'source',
  'hyper',
  'variants',
  'usesAttack',
];

describe('method metadata', () => {
  it('lists the same methods as METHODS, in the same order', () => {
    expect(Object.keys(METHOD_INFO)).toEqual(Object.keys(METHODS));
  });

  it.each(Object.keys(METHODS))('%s: the implementation carries exactly its info record', (id) => {
    const info = METHOD_INFO[id]!;
    const method = METHODS[id]!;
    expect(info.id).toBe(id);
    for (const f of FIELDS) expect(method[f]).toBe(info[f]);
    expect(Object.keys(info).every((k) => (FIELDS as readonly string[]).includes(k))).toBe(true);
  });

  it('keeps every default inside its range and gives every variant a distinct id', () => {
    for (const m of Object.values(METHOD_INFO)) {
      const variants = m.variants?.map((v) => v.id) ?? [''];
      expect(new Set(variants).size).toBe(variants.length);
      for (const h of m.hyper) {
        for (const v of variants) {
          const d = h.variantDefaults?.[v] ?? h.default;
          expect(d).toBeGreaterThanOrEqual(h.min);
          expect(d).toBeLessThanOrEqual(h.max);
        }
      }
    }
  });

  it("AT's K and α/ε default to the training attack TRAIN_PGD (attacks.ts)", () => {
    expect(STEPS_HYPER.default).toBe(TRAIN_PGD(1).steps);
    expect(STEP_FRAC_HYPER.default).toBe(TRAIN_PGD(1).stepSize);
  });

  it('backend.ts re-exports the tfjs-free backend list', () => {
    expect(BACKENDS_FROM_BACKEND).toBe(BACKENDS);
  });
});
