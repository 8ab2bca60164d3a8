/** The paper's table, live: a row per panel, the columns of Yang et al. 2020 (Table 2) plus the exact count. */
import type { EvalSettings } from '../engine/protocol.ts';
import { normLabel } from '../state/settings.ts';
import type { PanelView } from './useEngine.ts';
import { num, pct } from './format.ts';
import { Help } from './Help.tsx';

export function PaperTable(props: {
  panels: readonly PanelView[];
  colors: ReadonlyMap<string, string>;
  evaluation: EvalSettings;
  nTest: number;
}) {
  const { panels, evaluation, nTest } = props;
  const attack = panels.find((p) => p.metrics?.attack)?.metrics?.attack ?? 'PGD';
  const lipLabel = panels.find((p) => p.metrics?.lipschitzLabel)?.metrics?.lipschitzLabel ?? '';
  return (
    <section className="card table-card" aria-labelledby="table-title">
      <h2 id="table-title">
        The paper’s table, live
        <Help title="Astuteness">
          A classifier is astute at a point when it is correct on the whole ε-ball around it. “Robust (exact)”
          is the astuteness on the test set: the fraction of test points whose {normLabel(evaluation.norm)}{' '}
          ball of radius ε = {evaluation.eps} an exact 2D search proves free of other classes. “Adv test acc”
          is the same question answered by an attack ({attack}); an attack can only miss adversarial points,
          so it is never below the exact figure.
        </Help>
      </h2>
      <div className="table-scroll">
        <table data-testid="paper-table">
          <thead>
            <tr>
              <th scope="col">method</th>
              <th scope="col">train acc</th>
              <th scope="col">test acc</th>
              <th scope="col" title={`${attack}, ε = ${evaluation.eps}`}>
                adv test acc
              </th>
              <th scope="col" title="exact 2D search of every test ball">
                robust (exact)
              </th>
              <th scope="col" title={lipLabel}>
                test Lipschitz
                <Help title="Local Lipschitzness">
                  How much the logits f can change inside an ε-ball, per unit of distance: the paper’s
                  estimate averages max ‖f(x) − f(x′)‖₁ / ‖x − x′‖ over the test points x, searched in B(x,
                  ε). Small means locally smooth. Here: {lipLabel || 'computing…'} — an estimate (a lower
                  bound of the max), as in the paper’s code.
                </Help>
              </th>
            </tr>
          </thead>
          <tbody>
            {panels.map((p) => {
              const m = p.metrics;
              return (
                <tr key={p.info.id} data-panel-id={p.info.id}>
                  <th scope="row">
                    <span className="swatch" style={{ background: props.colors.get(p.info.id) }} />
                    {p.info.label}
                  </th>
                  <td>{pct(m?.trainAcc)}</td>
                  <td>{pct(m?.testAcc)}</td>
                  <td>{pct(m?.advTestAcc)}</td>
                  <td>{m ? pct(m.robustCount / Math.max(1, nTest)) : '–'}</td>
                  <td>{num(m?.lipschitz)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="caption">
        ε = {evaluation.eps} ({normLabel(evaluation.norm)}). Adv test acc: {attack}. Numbers refresh while the
        panels train.
      </p>
    </section>
  );
}
