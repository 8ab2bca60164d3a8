// Small engine configurations for the engine and pool tests: a few dozen moons points, a 16×16 ReLU MLP.
import type { EngineConfig, PanelSpec } from '../../src/engine/protocol.ts';

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
