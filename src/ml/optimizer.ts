/**
 * Optimizers and learning-rate schedules. The paper's code uses SGD (PyTorch semantics: buf ← m·buf + g,
 * θ ← θ − lr·buf) with a MultiStepLR schedule (γ = 0.1 at epoch milestones), and Adam for the 2D notebooks.
 */
import * as tf from '@tensorflow/tfjs';

export type OptimizerName = 'adam' | 'sgd';
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd'];

export type ScheduleName = 'constant' | 'multistep' | 'cosine';
export const SCHEDULES: readonly ScheduleName[] = ['constant', 'multistep', 'cosine'];

export interface OptimizerConfig {
  readonly optimizer: OptimizerName;
  readonly lr: number;
  /** SGD momentum (ignored by Adam). */
  readonly momentum: number;
  readonly schedule: ScheduleName;
}

/**
 * The paper's MultiStepLR milestones by total epoch count (lolip/models/torch_utils/__init__.py:67-90,
 * paper-algorithms.md §0).
 */
export function paperMilestones(epochs: number): number[] {
  const table: [number, number[]][] = [
    [20, [10, 15]],
    [30, [15, 25]],
    [40, [20, 30]],
    [50, [25, 40]],
    [60, [30, 50]],
    [70, [40, 60]],
    [80, [30, 50, 70]],
    [120, [40, 80, 100]],
    [160, [40, 80, 120, 140]],
  ];
  for (const [limit, milestones] of table) if (epochs <= limit) return milestones;
  return [60, 100, 140, 180];
}

/** The learning rate during (0-based) `epoch` of `epochs`. */
export function learningRateAt(config: OptimizerConfig, epoch: number, epochs: number): number {
  switch (config.schedule) {
    case 'constant':
      return config.lr;
    case 'multistep': {
      const passed = paperMilestones(epochs).filter((m) => epoch >= m).length;
      return config.lr * 0.1 ** passed;
    }
    case 'cosine':
      return 0.5 * config.lr * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs)));
  }
}

/** A tfjs optimizer whose learning rate can be changed between steps. */
export interface ScheduledOptimizer {
  readonly optimizer: tf.Optimizer;
  setLearningRate(lr: number): void;
  dispose(): void;
}

export function makeOptimizer(config: OptimizerConfig): ScheduledOptimizer {
  if (config.optimizer === 'adam') {
    const optimizer = tf.train.adam(config.lr, 0.9, 0.999, 1e-8);
    return {
      optimizer,
      // AdamOptimizer reads its (protected) learningRate field on every applyGradients call.
      setLearningRate: (lr) => {
        (optimizer as unknown as { learningRate: number }).learningRate = lr;
      },
      dispose: () => optimizer.dispose(),
    };
  }
  const optimizer =
    config.momentum > 0 ? tf.train.momentum(config.lr, config.momentum) : tf.train.sgd(config.lr);
  return {
    optimizer,
    setLearningRate: (lr) => optimizer.setLearningRate(lr),
    dispose: () => optimizer.dispose(),
  };
}
