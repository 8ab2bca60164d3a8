/** The in-page explanation: short and exact, readable by a student during a lecture. */
import { METHOD_INFO } from '../ml/methods/catalog.ts';

export function Explanations() {
  return (
    <section className="card explanations" aria-labelledby="explain-title">
      <h2 id="explain-title">What you are looking at</h2>
      <div className="explain-grid">
        <div>
          <h3>Separation and the theorem</h3>
          <p>
            A dataset is <em>2r-separated</em> when differently labelled points are at least 2r apart. Yang et
            al. (NeurIPS 2020) measured that real image datasets are separated by more than twice the ε used
            to attack them, and proved that on 2r-separated data a classifier exists that is both perfectly
            accurate and robust at radius r: round the 1/r-Lipschitz function f(x) = (d(x, X₀) − d(x, X₁)) /
            (2r). The 1-NN panel draws exactly this function. So accuracy and robustness need not conflict;
            the trade-off seen in practice comes from how training shapes the network.
          </p>
        </div>
        <div>
          <h3>Local Lipschitzness</h3>
          <p>
            How fast f can change near a point: the largest ‖f(x) − f(x′)‖₁ / ‖x − x′‖ for x′ in the ε-ball. A
            classifier whose margin at x exceeds ε times this slope cannot be flipped inside the ball. The
            “local slope” heatmap shows ‖∇ₓ margin‖ in the dual norm; the table’s “test Lipschitz” is the
            paper’s estimate, searched as its code does (a lower bound of the max). Smooth panels are the
            robust ones.
          </p>
        </div>
        <div>
          <h3>Astuteness and the ε-balls</h3>
          <p>
            A classifier is <em>astute</em> at a test point when it is right on the whole ε-ball around it.
            Each test point’s ball is drawn as a square (L∞) or disc (L2): dark when an exact 2D search proves
            it safe, orange when a point of another class lies inside. The ✕ marks the point PGD found; the
            exact search never misses one that PGD finds, and can find more.
          </p>
        </div>
      </div>
      <h3>What each method optimizes</h3>
      <dl className="method-list">
        {Object.values(METHOD_INFO).map((m) => (
          <div key={m.id}>
            <dt>{m.name}</dt>
            <dd>
              {m.summary} <span className="formula">{m.formula}</span>{' '}
              <span className="source">{m.source}</span>
            </dd>
          </div>
        ))}
        <div>
          <dt>1-NN construction</dt>
          <dd>
            Not trained: the theorem’s function, the signed distance to the classes scaled by 1/(2r); robust
            at r on every training point by construction.
          </dd>
        </div>
      </dl>
    </section>
  );
}
