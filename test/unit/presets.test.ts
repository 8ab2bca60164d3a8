import { describe, expect, it } from 'vitest';
import { PRESETS, presetByKey } from '../../src/state/presets.ts';
import { DEFAULT_STATE } from '../../src/state/settings.ts';
import {
  decodeState,
  DEFAULT_UI,
  encodeState,
  HIDE_KEYS,
  stateProblems,
  URL_PARAMS,
} from '../../src/state/urlState.ts';

/** The panels each title names: method, then the setting the preset varies (hyperparameter or dropout). */
const NAMED: Record<string, readonly string[]> = {
  'The theorem': ['natural', 'at', 'nn'],
  'Accuracy vs. robustness': ['natural', 'at', 'trades', 'nn'],
  'TRADES β sweep': ['trades beta=1', 'trades beta=3', 'trades beta=6', 'trades beta=10'],
  'Gradient regularization underfits': ['natural', 'gr lambda=0.01', 'gr lambda=0.1', 'gr lambda=1'],
  'Dropout helps robust training generalize': ['at', 'at dropout=0.5', 'trades', 'trades dropout=0.5'],
  'ε beyond the separation: nothing can be robust': ['natural', 'at', 'trades', 'nn'],
  'LLR and CURE: smoothness by curvature': ['natural', 'llr', 'cure'],
  'Lipschitz-bounded training: robust but underfits': [
    'natural',
    'lipschitz targetL=50',
    'lipschitz targetL=10',
    'lipschitz targetL=3',
  ],
};

const VARIED = ['beta', 'lambda', 'targetL'];

function describePanels(key: string): string[] {
  const s = presetByKey(key)!.apply(DEFAULT_STATE);
  return s.panels.map((p) => {
    const parts = [p.method];
    // A hyperparameter is named where panels of the same method differ in it (a sweep).
    const same = s.panels.filter((q) => q.method === p.method);
    for (const k of VARIED)
      if (p.hyper[k] !== undefined && new Set(same.map((q) => q.hyper[k])).size > 1)
        parts.push(`${k}=${p.hyper[k]}`);
    if (p.dropout > 0) parts.push(`dropout=${p.dropout}`);
    return parts.join(' ');
  });
}

describe('the lecture presets', () => {
  it('are at most 9 (keys 1–9 open them), with unique keys that are safe in a link', () => {
    expect(PRESETS.length).toBeLessThanOrEqual(9);
    expect(PRESETS.length).toBeGreaterThanOrEqual(5);
    const keys = PRESETS.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^[a-z0-9-]+$/);
  });

  it('start with the five required stories, in order', () => {
    expect(PRESETS.slice(0, 5).map((p) => p.title)).toEqual([
      'The theorem',
      'Accuracy vs. robustness',
      'TRADES β sweep',
      'Gradient regularization underfits',
      'Dropout helps robust training generalize',
    ]);
  });

  it.each(PRESETS.map((p) => [p.title, p] as const))('"%s" shows the methods its title names', (title, p) => {
    const named = NAMED[title];
    expect(named, 'a NAMED entry for this title').toBeDefined();
    expect(describePanels(p.key)).toEqual(named);
    expect(p.methods).toEqual(p.apply(DEFAULT_STATE).panels.map((x) => x.method));
  });

  it.each(PRESETS.map((p) => [p.key, p] as const))(
    '%s is a valid page that a link carries exactly',
    (key, p) => {
      const s = p.apply(DEFAULT_STATE);
      expect(stateProblems(s)).toEqual([]);
      const ui = { ...DEFAULT_UI, ...p.ui, preset: key };
      const withPreset = encodeState(s, ui, { pinned: null, workers: 1 });
      expect(withPreset).toEqual({ search: `?v=1&preset=${key}`, omitted: [] });
      expect(decodeState(withPreset.search)).toMatchObject({ state: s, ui, notices: [] });
      const plain = encodeState(s, DEFAULT_UI, { pinned: null, workers: 1 });
      expect(decodeState(plain.search)).toMatchObject({ state: s, ui: DEFAULT_UI, notices: [] });
    },
  );

  it.each(PRESETS.map((p) => [p.key, p] as const))(
    '%s tells a short story and keeps training short',
    (_key, p) => {
      const sentences = p.story.split(/(?<=[.!?])\s+(?=[A-Z])/);
      expect(sentences.length).toBeGreaterThanOrEqual(2);
      expect(sentences.length).toBeLessThanOrEqual(4);
      const s = p.apply(DEFAULT_STATE);
      // Budget: epochs × training points × trained panels, at most half the default page's (200 × 400 × 5).
      const trained = s.panels.filter((x) => x.method !== 'nn').length;
      expect(s.train.epochs * s.data.nTrain * trained).toBeLessThanOrEqual((200 * 400 * 5) / 2);
    },
  );

  it('name only real controls and UI parts', () => {
    const params = new Set(URL_PARAMS.map((x) => x.name));
    for (const p of PRESETS) {
      if (p.focus) expect(params).toContain(p.focus.param);
      for (const h of p.ui?.hide ?? []) expect(Object.keys(HIDE_KEYS)).toContain(h);
    }
  });
});
