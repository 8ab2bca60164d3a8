/** Lipschitz-capped training's metadata (info.ts); the method, its derivation and its sources' details are in lipschitz.ts. */
import type { HyperSpec, MethodInfo } from './info.ts';

export const LIPSCHITZ_TARGET: HyperSpec = {
  key: 'targetL',
  label: 'L',
  default: 500,
  min: 1,
  max: 10000,
  scale: 'log',
  description:
    'Certified bound on the L2 Lipschitz constant of the logits (product of the layers’ spectral norms). ' +
    'Lower is smoother and more robust, but a net below what the data needs cannot fit it.',
};

export const LIPSCHITZ_INFO: MethodInfo = {
  id: 'lipschitz',
  name: 'Lipschitz cap',
  summary:
    'Lipschitz-capped training shrinks every weight matrix after each step so that the network can never ' +
    'change its outputs faster than a chosen rate L, which certifies a robustness radius of margin / L.',
  formula:
    'L = mean_i CE_i;  after each step W_l ← W_l·min(1, c/σ̂(W_l)), c = L_target^(1/nLayers) (σ̂ ≥ σ by power iteration on WᵀW); ' +
    'at the end the same cap with the exact σ, so ∏_l σ(W_l) ≤ L_target',
  source:
    'Pauli et al., IEEE L-CSS 2021 (arXiv 2005.02929), variant 2 "enforce L ≤ L_des", realised as a ' +
    'spectral-norm cap (seed-methods §7.3 (c)) instead of the ADMM/SDP weight step; mean-reduced CE.',
  hyper: [LIPSCHITZ_TARGET],
  usesAttack: false,
};
