/** The data view: the separation histogram of the paper's figure, and what the theorem promises here. */
import type { DatasetInfo, EvalSettings, PanelSpec } from '../engine/protocol.ts';
import { normLabel } from '../state/settings.ts';
import { SeparationHistogram } from './charts/index.ts';
import { num } from './format.ts';
import { Help } from './Help.tsx';

export function DataView(props: {
  dataset: DatasetInfo;
  evaluation: EvalSettings;
  width: number;
  nnSpec: PanelSpec | undefined;
}) {
  const { dataset, evaluation, width } = props;
  const sep = dataset.separation;
  const twoR = sep.trainTrainExcludingConflicts;
  const r = props.nnSpec?.r ?? twoR / 2;
  const norm = normLabel(sep.norm);
  return (
    <section
      className="card data-card"
      aria-labelledby="data-title"
      data-testid="data-view"
      data-separation={twoR}
      data-ntrain={dataset.trainY.length}
      data-ntest={dataset.testY.length}
      data-version={dataset.version}
    >
      <h2 id="data-title">
        Separation of the data
        <Help title="Separation">
          Two classes are 2r-separated when every pair of differently labelled points lies at least 2r apart.
          The histogram shows, for each point, the distance to the nearest training point of another class (as
          in the paper’s Figure 1); the smallest training value is the separation. The paper measured that
          real image datasets (MNIST, CIFAR-10, …) are separated by more than twice the ε commonly used to
          attack them.
        </Help>
      </h2>
      <SeparationHistogram
        trainPerPoint={sep.trainPerPoint}
        testPerPoint={sep.testPerPoint}
        separation={twoR}
        r={r}
        eps={evaluation.eps}
        norm={sep.norm}
        width={width}
        height={170}
      />
      <p className="theorem" data-testid="theorem-sentence">
        {sep.conflicts > 0 && (
          <>
            {sep.conflicts} pair{sep.conflicts > 1 ? 's' : ''} of points share a position with different
            labels, so no classifier can be right on both; setting them aside,{' '}
          </>
        )}
        The training points are 2r-separated with 2r = {num(twoR)} ({norm}). <strong>The theorem</strong>: a
        classifier exists that is 100 % accurate and robust at radius r = {num(twoR / 2)} on them — the 1-NN
        panel is one, built by rounding a 1/r-locally-Lipschitz function.{' '}
        {evaluation.eps <= twoR / 2
          ? `Your ε = ${evaluation.eps} is within r, so perfect robust accuracy on the training points is possible at this ε.`
          : `Your ε = ${evaluation.eps} is larger than r, so the theorem promises nothing at this ε: points closer than 2ε to another class cannot all be robust.`}
        <Help title="The theorem (Yang et al. 2020, Thm 4.2)">
          If the classes are 2r-separated, the function f(x) = (d(x, X₀) − d(x, X₁)) / (2r) is 1/r-Lipschitz,
          and sign f is correct and robust at radius r on every training point. So accuracy and robustness
          need not trade off on separated data; what differs between training methods is how locally smooth
          (Lipschitz) they make the network.
        </Help>
      </p>
    </section>
  );
}
