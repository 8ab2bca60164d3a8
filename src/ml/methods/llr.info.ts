/** LLR's metadata (info.ts); the method, its derivation and its sources' details are in llr.ts. */
import type { HyperSpec, MethodInfo, VariantSpec } from './info.ts';

export const LLR_LAMBDA: HyperSpec = {
  key: 'lambda',
  label: 'λ',
  // The paper's 4 collapses the Qin variant on 2D data (spiral ε = 0.05, 600 steps: 63 % train; λ = 1: 94 %).
  default: 1,
  variantDefaults: { repo: 4 },
  min: 0,
  max: 20,
  scale: 'linear',
  description:
    'Weight of the local-linearity error γ (repo variant: of the CE at x + δ). The paper’s CIFAR value 4 is the ' +
    'repo variant’s default; the Qin variant defaults to 1, because 4 stops it fitting 2D data.',
};

export const LLR_MU: HyperSpec = {
  key: 'mu',
  label: 'μ',
  // The paper's CIFAR value 3 makes a constant classifier win on 2D data (measured in llr.ts); 0.3 trains.
  default: 0.3,
  min: 0,
  max: 20,
  scale: 'linear',
  description:
    'Weight of |δᵀ∇ₓℓ(x)|, the first-order loss change along δ (Qin variant only). The paper’s CIFAR value is 3, ' +
    'which collapses training on 2D data; 0.3 is this demo’s default.',
};

export const LLR_STEPS: HyperSpec = {
  key: 'steps',
  label: 'K',
  default: 5,
  min: 1,
  max: 20,
  scale: 'linear',
  description:
    'Ascent steps of ε/4 that search for the least linear δ (Qin variant only; the repo variant takes 2).',
};

export const LLR_VARIANTS: readonly VariantSpec[] = [
  {
    id: 'qin',
    label: 'LLR (Qin et al. 2019, as intended)',
    description:
      'Penalise how far the loss is from its linear approximation inside the ε-ball, at the worst δ found by ' +
      'a short attack, plus the first-order change μ·|δᵀ∇ℓ|.',
  },
  {
    id: 'repo',
    label: 'LLR as the paper’s code ran it',
    description:
      'The code’s input gradient is zeroed by an aliasing bug, so its loss is clean CE + λ × CE at a 2-step ' +
      'normalised-gradient attack point; no linearity term. NOT the method of Qin et al.',
  },
];

export const LLR_INFO: MethodInfo = {
  id: 'llr',
  name: 'LLR',
  summary:
    'LLR trains the loss to behave like a straight line (its linear approximation) inside each ε-ball, so a ' +
    'small push cannot hide a sudden jump in the loss.',
  formula:
    'qin: mean_i [ ℓ_i(x) + λ·|ℓ_i(x+δ) − ℓ_i(x) − δᵀ∇ₓℓ_i(x)| + μ·|δᵀ∇ₓℓ_i(x)| ], δ = argmax of the first |·| ' +
    '(K sign steps of ε/4);   repo: mean_i CE_i(x) + λ·mean_i CE_i(x+δ), δ from 2 normalised steps of ε/2',
  source:
    'Qin et al., NeurIPS 2019 (arXiv 1907.02610) and DeepMind regularizers.py local_linearity (qin); ' +
    'yangarbiter/robust-local-lipschitz lolip/models/torch_utils/llr.py, whose zeroed input gradient reduces it ' +
    'to the repo form. Mean over the batch (the paper’s code sums).',
  hyper: [LLR_LAMBDA, LLR_MU, LLR_STEPS],
  variants: LLR_VARIANTS,
  usesAttack: true,
};
