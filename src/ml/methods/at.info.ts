/** AT's metadata (info.ts); the method, its derivation and its sources' details are in at.ts. */
import type { HyperSpec, MethodInfo } from './info.ts';

// The defaults of K and α/ε are TRAIN_PGD's (attacks.ts: the paper's PGD-10 with α = ε/5), written out here so
// that this module needs no tfjs; test/unit/methodInfo.test.ts checks that they agree.

export const STEPS_HYPER: HyperSpec = {
  key: 'steps',
  label: 'K',
  default: 10,
  min: 1,
  max: 40,
  scale: 'linear',
  description: 'PGD steps of the inner attack (the paper uses 10).',
};

export const STEP_FRAC_HYPER: HyperSpec = {
  key: 'stepFrac',
  label: 'α/ε',
  default: 1 / 5,
  min: 0.05,
  max: 1,
  scale: 'log',
  description: 'PGD step size as a fraction of ε (the paper uses 1/5).',
};

export const AT_INFO: MethodInfo = {
  id: 'at',
  name: 'AT (PGD)',
  summary: 'Trains only on the worst points PGD can find inside each ε-ball, instead of on the data itself.',
  formula: 'L = mean_i CE(f(x_adv,i), y_i),  x_adv = PGD_K(x; ε, α = ε/5, random start)',
  source:
    'Madry et al. 2018; Yang et al. 2020 code lolip/models/torch_model.py:223-232 ("advce") and ' +
    'lolip/attacks/torch/projected_gradient_descent.py:92-204; CE summed there, mean here.',
  hyper: [STEPS_HYPER, STEP_FRAC_HYPER],
  usesAttack: true,
};
