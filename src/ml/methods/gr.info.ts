/** GR's metadata (info.ts); the method, its derivation and its sources' details are in gr.ts. */
import type { HyperSpec, MethodInfo, VariantSpec } from './info.ts';

/** λ of the `l2sq` variant. */
export const GR_LAMBDA: HyperSpec = {
  key: 'lambda',
  label: 'λ',
  default: 0.01,
  min: 0.0001,
  max: 1,
  scale: 'log',
  description:
    'Weight of (λ/2)·‖∇ₓCE‖₂² per example (GR-L2² only). λ is a squared length in input units: about the ' +
    'square of the distance over which the loss is made to change smoothly.',
};

export const GR_VARIANTS: readonly VariantSpec[] = [
  {
    id: 'l2sq',
    label: 'GR, λ/2·‖∇ₓCE‖₂² (Drucker & LeCun; Ross & Doshi-Velez)',
    description:
      'Double backpropagation: penalise the squared L2 norm of the loss gradient with respect to the input.',
  },
  {
    id: 'dual',
    label: 'GR, ε·‖∇ₓCE‖_*, first-order adversarial surrogate',
    description:
      'Add ε times the dual norm of the input gradient (‖·‖₁ for L∞ balls, ‖·‖₂ for L2): the first-order ' +
      'estimate of the worst loss increase inside the ε-ball.',
  },
];

export const GR_INFO: MethodInfo = {
  id: 'gr',
  name: 'GR',
  summary:
    'Gradient regularisation trains for low loss while keeping the loss gradient with respect to the input ' +
    'small, so the prediction cannot change quickly near the training points.',
  formula: 'l2sq: mean_i [ CE_i + (λ/2)·‖∇ₓCE_i‖₂² ];   dual: mean_i [ CE_i + ε·‖∇ₓCE_i‖_* ]',
  source:
    'Drucker & LeCun 1992; Ross & Doshi-Velez 2018 (dtak/adversarial-robustness-public, neural_network.py, ' +
    'rescaled per example); the paper’s GR is TULIP (Finlay & Oberman 2019, lolip tulip.py), whose h → 0 limit is l2sq. ' +
    'Mean over the batch (the paper’s code sums).',
  hyper: [GR_LAMBDA],
  variants: GR_VARIANTS,
  usesAttack: false,
};
