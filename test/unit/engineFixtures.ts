// Small engine configurations for the engine and pool tests: a few dozen moons points, a 16×16 ReLU MLP.
import { PlaygroundEngine } from '../../src/engine/playground.ts';
import type { EngineConfig, EngineEvent, PanelProgress, PanelSpec } from '../../src/engine/protocol.ts';

export const panel = (id: string, method: string, hyper: Record<string, number> = {}): PanelSpec => ({
  id,
  method,
  variant: '',
  hyper,
  dropout: 0,
  r: null,
});

export function smallConfig(o: {
  dataSeed: number;
  noise: number;
  epochs: number;
  seed: number;
  resolution: number;
  panels: readonly PanelSpec[];
}): EngineConfig {
  return {
    data: {
      kind: 'generator',
      name: 'moons',
      nTrain: 60,
      nTest: 30,
      seed: o.dataSeed,
      params: { noise: o.noise },
    },
    edits: [],
    train: {
      hidden: [16, 16],
      activation: 'relu',
      optimizer: 'adam',
      lr: 0.01,
      batchSize: 32,
      epochs: o.epochs,
      seed: o.seed,
      trainEps: 0.1,
      trainNorm: 'linf',
    },
    evaluation: { eps: 0.1, norm: 'linf' },
    field: { kind: 'probability', resolution: o.resolution },
    panels: o.panels,
  };
}

/** A Node engine that records every event it emits, with finders for a panel's latest events. */
export function recordEngine() {
  const events: EngineEvent[] = [];
  const engine = new PlaygroundEngine((e) => events.push(e), false);
  const last = <T extends EngineEvent['type']>(type: T, panelId: string) =>
    events.filter((e) => e.type === type && 'panelId' in e && e.panelId === panelId).at(-1) as
      Extract<EngineEvent, { type: T }> | undefined;
  const progress = (panelId: string): PanelProgress | undefined =>
    events
      .flatMap((e) => (e.type === 'progress' ? e.progress.filter((p) => p.panelId === panelId) : []))
      .at(-1);
  const datasets = () => events.flatMap((e) => (e.type === 'dataset' ? [e.dataset] : []));
  return { events, engine, last, progress, datasets };
}

/** Play until the engine says it stopped (every panel done), then pause (fresh metrics). */
export async function playToEnd(engine: PlaygroundEngine, events: EngineEvent[]): Promise<void> {
  const from = events.length;
  await engine.play();
  for (let i = 0; i < 600; i++) {
    if (events.slice(from).some((e) => e.type === 'running' && !e.running)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await engine.pause();
}
