/**
 * The chart components (src/views/charts/) rendered to static markup in Node: what each draws for given props.
 * (The canvas field is painted in an effect, which static rendering does not run; the browser tests see it.)
 */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  FieldLegend,
  PanelPlot,
  RobustCurve,
  SeparationHistogram,
  Sparkline,
  type PanelPlotProps,
} from '../../src/views/charts/index.ts';
import { fieldLegend } from '../../src/render/colors.ts';

/** Every `attr="…"` value of the elements named `tag`. */
function attrs(html: string, tag: string, attr: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*?\\s${attr}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '');
}

describe('Sparkline', () => {
  it('draws the loss line and names the last value', () => {
    const html = renderToStaticMarkup(createElement(Sparkline, { values: [1, 0.5, 0.231] }));
    expect(html).toContain('aria-label="loss per epoch, last 0.231"');
    expect(html).toContain('class="rp-sparkline-line"');
  });

  it('draws a dashed baseline when there are no values yet', () => {
    const html = renderToStaticMarkup(createElement(Sparkline, { values: [] }));
    expect(html).toContain('rp-sparkline-empty');
    expect(html).not.toContain('rp-sparkline-line');
  });
});

describe('FieldLegend', () => {
  it('draws a gradient bar with the legend stops, ticks and title', () => {
    const html = renderToStaticMarkup(createElement(FieldLegend, { legend: fieldLegend('probability', 2) }));
    expect(html).toContain('p(class 1)');
    expect(attrs(html, 'stop', 'offset')).toHaveLength(11);
    expect(html).toContain('>0.5<');
  });

  it('shows class swatches for several classes', () => {
    const html = renderToStaticMarkup(createElement(FieldLegend, { legend: fieldLegend('probability', 3) }));
    expect(html.match(/class="rp-swatch"/g)).toHaveLength(3);
  });
});

describe('RobustCurve', () => {
  it('draws a line per series with data, the ε marker and the axis titles', () => {
    const html = renderToStaticMarkup(
      createElement(RobustCurve, {
        series: [
          { id: 'a', label: 'Natural', color: '#4e79a7', eps: [0, 0.1, 0.2], acc: [1, 0.5, 0.25] },
          { id: 'b', label: 'TRADES', color: '#f28e2c', eps: [], acc: [] },
        ],
        currentEps: 0.1,
        norm: 'linf',
        width: 344,
        height: 220,
      }),
    );
    expect(html).toContain('ε (L∞)');
    expect(html).toContain('robust test accuracy');
    expect(html).toContain('TRADES');
    expect(html).toContain('(no data yet)');
    // One series line; three dots at 100 %, 50 %, 25 % of the 176 px inner height (220 − 10 − 34).
    expect(html.match(/<path d="M/g)).toHaveLength(1);
    expect(attrs(html, 'circle', 'cy').map(Number)).toEqual([0, 88, 132]);
  });
});

describe('SeparationHistogram', () => {
  const train = new Float64Array(Array.from({ length: 100 }, (_, i) => 0.1 + i * 0.002));
  const test = new Float64Array(Array.from({ length: 50 }, (_, i) => 0.05 + i * 0.003));

  it('marks the separation, r and ε on separate label rows', () => {
    const html = renderToStaticMarkup(
      createElement(SeparationHistogram, {
        trainPerPoint: train,
        testPerPoint: test,
        separation: 0.096,
        r: 0.048,
        eps: 0.1,
        norm: 'linf',
      }),
    );
    expect(html).toContain('separation 2r = 0.096');
    expect(html).toContain('r = 0.048');
    expect(html).toContain('ε = 0.10');
    // 2r = 0.096 and ε = 0.1 are 1 px apart, so their labels must sit on different rows.
    const labelYs = attrs(html, 'text', 'y').filter((_, i, all) => all.length - i <= 3);
    expect(new Set(labelYs).size).toBeGreaterThanOrEqual(2);
    expect(html).toContain('train–train');
    expect(html).toContain('test–train');
  });

  it('notes the points cut off beyond the axis', () => {
    const wide = new Float64Array([...train, 5, 6, 7]);
    const html = renderToStaticMarkup(
      createElement(SeparationHistogram, {
        trainPerPoint: wide,
        testPerPoint: test,
        separation: 0.096,
        r: 0.048,
        eps: 0.1,
        norm: 'l2',
      }),
    );
    // 153 distances; the axis ends at their 95th percentile (position 0.95·152 = 144.4 in sorted order, 0.289),
    // so the 8 values at sorted positions 145…152 (the three far ones included) are cut off.
    expect(html).toContain('8 points beyond 0.289');
    expect(html).toContain('(L2)');
  });
});

describe('PanelPlot', () => {
  const res = 16;
  const margin = new Float32Array(res * res);
  for (let j = 0; j < res; j++) for (let i = 0; i < res; i++) margin[i + j * res] = (i + 0.5) / res - 0.5;
  const base: PanelPlotProps = {
    box: { xMin: -1, xMax: 1, yMin: -1, yMax: 1 },
    size: 200,
    field: { grid: margin, classes: new Uint8Array(res * res), margin, resolution: res, kind: 'margin' },
    nClasses: 2,
    norm: 'linf',
    eps: 0.1,
    train: { x: new Float64Array([-0.5, 0, 0.5, 0]), y: new Int32Array([0, 1]) },
    test: { x: new Float64Array([-0.5, 0.5, 0.05, 0.5]), y: new Int32Array([0, 1]) },
    showTrain: true,
    showTest: true,
    showBalls: true,
    ballStatus: new Uint8Array([0, 1]),
    advX: new Float32Array([-0.5, 0.5, -0.02, 0.5]),
    advSuccess: new Uint8Array([0, 1]),
    paths: null,
    label: 'Natural',
  };

  it('draws the boundary, balls by verdict, both point sets and the successful attack', () => {
    const html = renderToStaticMarkup(createElement(PanelPlot, base));
    expect(html).toContain('data-testid="panel-plot"');
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Natural"');
    // The boundary x = 0 is the vertical line at pixel 100.
    const boundary =
      html.match(/<path d="([^"]*)" transform="translate\(0,0\)" class="rp-boundary"/)?.[1] ?? '';
    expect(boundary).toMatch(/^M100,0/);
    expect(html).toContain('rp-ball-robust');
    expect(html).toContain('rp-ball-not-robust');
    // One train path per class; one ✕ (two strokes) for the broken test point.
    expect(html.match(/rp-train-points/g)).toHaveLength(2);
    expect(html.match(/rp-test-points/g)).toHaveLength(2);
    expect(attrs(html, 'path', 'd').filter((d) => d.startsWith('M')).length).toBeGreaterThan(5);
    expect(html).toContain('rp-attack-points');
    expect(html).toContain('✕ attack');
  });

  it('hides what is switched off', () => {
    const html = renderToStaticMarkup(
      createElement(PanelPlot, { ...base, showTrain: false, showBalls: false, field: null }),
    );
    expect(html).not.toContain('rp-train-points');
    expect(html).not.toContain('rp-ball-');
    expect(html).not.toContain('rp-boundary');
    expect(html).toContain('rp-test-points');
  });
});
