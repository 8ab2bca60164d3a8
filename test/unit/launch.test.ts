import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKERS,
  launchSearch,
  MAX_WORKERS,
  readLaunch,
  workerCount,
} from '../../src/state/launch.ts';
import { DEFAULT_STATE } from '../../src/state/settings.ts';
import { DEFAULT_UI } from '../../src/state/urlState.ts';
import { PRESETS } from '../../src/state/presets.ts';

describe('the launch parameters', () => {
  it('start the default page on an empty URL', () => {
    expect(readLaunch('')).toEqual({
      state: DEFAULT_STATE,
      ui: DEFAULT_UI,
      pinned: null,
      workers: DEFAULT_WORKERS,
      notices: [],
    });
  });

  it('read the links the browser tests open, as before the URL schema', () => {
    const l = readLaunch('?backend=wasm&epochs=40');
    expect(l.pinned).toBe('wasm');
    expect(l.state.train.epochs).toBe(40);
    expect(l.notices).toEqual([]);
    expect(readLaunch('?backend=cpu&epochs=3').state.train.epochs).toBe(3);
  });

  it('ignore bad values with the same notices as before', () => {
    expect(readLaunch('?backend=gpu').notices).toEqual([
      'This link asks for backend "gpu"; use one of webgpu, webgl, wasm, cpu. Choosing automatically.',
    ]);
    expect(readLaunch('?workers=0').notices).toEqual([
      `This link asks for workers = 0; use a number from 1 to ${MAX_WORKERS} or "panel". Using 1.`,
    ]);
    expect(readLaunch('?epochs=0').notices).toEqual([
      'This link sets epochs = 0, outside 1–2000; using 200.',
    ]);
  });

  it('read the UI flags and presets', () => {
    const l = readLaunch(`?preset=${PRESETS[1]!.key}&embed&hide=controls`);
    expect(l.ui).toEqual({ embed: true, present: false, hide: ['controls'], preset: PRESETS[1]!.key });
    expect(l.state).toEqual(PRESETS[1]!.apply(DEFAULT_STATE));
  });

  it('write back what they read', () => {
    const l = readLaunch('?v=1&epochs=40&backend=wasm&workers=panel&present');
    expect(launchSearch(l.state, l.ui, l).search).toBe('?v=1&epochs=40&backend=wasm&workers=panel&present');
  });
});

describe('the worker count', () => {
  it('is the setting, or one per panel', () => {
    expect(workerCount(3, 6)).toBe(3);
    expect(workerCount('panel', 6)).toBe(6);
    expect(workerCount('panel', 0)).toBe(1);
  });
});
