/** CURE's metadata (info.ts); the method, its derivation and its sources' details are in cure.ts. */
import type { HyperSpec, MethodInfo, VariantSpec } from './info.ts';

export const CURE_GAMMA: HyperSpec = {
  key: 'gamma',
  label: 'γ',
  default: 0.01,
  min: 0.0001,
  max: 10,
  scale: 'log',
  description:
    'Weight of the curvature penalty ‖∇ℓ(x+z) − ∇ℓ(x)‖^p. Scaled for inputs in [−1, 1]²: the ' +
    'reimplementation’s 4 (tuned for images) flattens a 2D net into underfitting.',
};

export const CURE_VARIANTS: readonly VariantSpec[] = [
  {
    id: 'paper',
    label: 'CURE, squared gradient difference (paper, p = 2)',
    description: 'γ·‖∇ℓ(x+z) − ∇ℓ(x)‖₂², the finite-difference form of ‖Hz‖² in the paper.',
  },
  {
    id: 'repo',
    label: 'CURE, unsquared gradient difference (F-Salehi reimplementation, p = 1)',
    description: 'γ·‖∇ℓ(x+z) − ∇ℓ(x)‖₂, as the widely used reimplementation CURE.py computes it.',
  },
];

export const CURE_INFO: MethodInfo = {
  id: 'cure',
  name: 'CURE',
  summary:
    'CURE keeps the loss surface nearly flat around each training point by penalising how much the loss ' +
    'gradient changes when the input is pushed a step h in the attack direction.',
  formula:
    'z_i = h·sign(∇ₓℓ_i)/‖sign(∇ₓℓ_i)‖₂;  L = mean_i CE_i + γ·mean_i ‖∇ₓℓ_i(x_i+z_i) − ∇ₓℓ_i(x_i)‖₂^p ' +
    '(p = 2 paper, p = 1 repo); h = √2·ε (L∞) or ε (L2), ramped from 0.1·h over the first 20 % of training',
  source:
    'Moosavi-Dezfooli et al., CVPR 2019 (arXiv 1811.09716); code: F-Salehi/CURE_robustness CURE/CURE.py ' +
    '(no official code). Mean over the batch; h adapted to the 2D ε-ball.',
  hyper: [CURE_GAMMA],
  variants: CURE_VARIANTS,
  usesAttack: false,
};
