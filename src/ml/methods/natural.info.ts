/** Natural training's metadata (info.ts); the method, its derivation and its sources' details are in natural.ts. */
import type { MethodInfo } from './info.ts';

export const NATURAL_INFO: MethodInfo = {
  id: 'natural',
  name: 'Natural',
  summary: 'Fits the training points as they are, with no attention to what happens near them.',
  formula: 'L = mean_i CE(f(x_i), y_i)',
  source:
    'Yang et al. 2020 (NeurIPS), code lolip/models/torch_model.py:223-232 ("ce"); CE summed there, mean here.',
  hyper: [],
  usesAttack: false,
};
