/** TRADES's metadata (info.ts); the method, its derivation and its sources' details are in trades.ts. */
import type { HyperSpec, MethodInfo } from './info.ts';

export const BETA_HYPER: HyperSpec = {
  key: 'beta',
  label: 'β',
  default: 6,
  min: 0.5,
  max: 20,
  scale: 'log',
  description:
    'Weight of the KL robustness term (the paper uses 1, 3 and 6; larger is more robust, less accurate).',
};

export const TRADES_STEPS_HYPER: HyperSpec = {
  key: 'steps',
  label: 'K',
  default: 10,
  min: 1,
  max: 40,
  scale: 'linear',
  description: 'Steps of the KL attack, each of size 2ε/K (the paper uses 10).',
};

export const TRADES_INFO: MethodInfo = {
  id: 'trades',
  name: 'TRADES',
  summary:
    'Fits the clean points and, with weight β, keeps the predicted probabilities the same across each ε-ball.',
  formula:
    'L = mean_i CE(f(x_i), y_i) + β · mean_i KL(p(x_i) ‖ p(x_adv,i)),  x_adv = argmax_{‖x′−x‖≤ε} KL(p(x) ‖ p(x′))',
  source:
    'Zhang et al. 2019; Yang et al. 2020 code lolip/models/torch_utils/trades.py:15-89 ("strades"), ' +
    'called from torch_model.py:132-159; sums there, means here.',
  hyper: [BETA_HYPER, TRADES_STEPS_HYPER],
  usesAttack: true,
};
