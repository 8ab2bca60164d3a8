/** RST(λ)'s metadata (info.ts); the method, its derivation and its sources' details are in rst.ts. */
import type { HyperSpec, MethodInfo } from './info.ts';
import { STEP_FRAC_HYPER, STEPS_HYPER } from './at.info.ts';

export const LAMBDA_HYPER: HyperSpec = {
  key: 'lambda',
  label: 'λ',
  default: 2,
  min: 0.5,
  max: 8,
  scale: 'log',
  description: 'Weight of the adversarial CE beside the clean CE (the paper runs 0.5, 1, 2, 4, 8).',
};

export const RST_INFO: MethodInfo = {
  id: 'rst',
  name: 'RST(λ)',
  summary: 'Fits the clean points and, with weight λ, the worst points PGD finds in their ε-balls.',
  formula: 'L = mean_i CE(f(x_i), y_i) + λ · mean_i CE(f(x_adv,i), y_i),  x_adv = PGD_K(x; ε, α = ε/5)',
  source:
    'Yang et al. 2020 code lolip/models/torch_model.py:201-222 ("advbeta*"), PGD as in AT; ' +
    'CE summed there, mean here.',
  hyper: [LAMBDA_HYPER, STEPS_HYPER, STEP_FRAC_HYPER],
  usesAttack: true,
};
