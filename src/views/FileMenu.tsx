/**
 * Export and open: the figure (PNG, SVG), the dataset (CSV), the table (CSV) and the models (robust-mlp/1 JSON)
 * out; any of those, or the runner's results folder, back in. Figures and the table carry the page's link, so
 * opening one restores the setup that made it.
 */
import { useRef, useState } from 'react';
import { datasetCsvText } from '../core/formats/datasetCsv.ts';
import { metricsCsvText, type MetricsRow } from '../core/formats/metricsCsv.ts';
import type { DatasetInfo, EngineApi } from '../engine/protocol.ts';
import { IMPORTED_METHOD } from '../engine/protocol.ts';
import { classifyOpened, modelsMismatch, type Opened } from '../state/openFile.ts';
import { decodeState, type UiFlags } from '../state/urlState.ts';
import type { SessionAction } from '../state/history.ts';
import { NN_METHOD, panelFromPreset, PANEL_PRESETS, type DemoState } from '../state/settings.ts';
import type { PanelSpec } from '../engine/protocol.ts';
import { downloadBlob, downloadText, readFiles } from './export/download.ts';
import { figureCaption, figureSize, figureSvg, svgToPng, type FigurePanel } from './export/figure.ts';
import type { PanelView } from './useEngine.ts';
import { pct, num } from './format.ts';

/** PNG pixels per CSS pixel of the figure: sharp on a slide or a retina screen. */
const PNG_SCALE = 2;

export interface FileMenuProps {
  readonly engine: EngineApi | null;
  readonly dataset: DatasetInfo | null;
  readonly panels: readonly PanelView[];
  readonly state: DemoState;
  readonly backend: string | null;
  /** The page's share link. */
  readonly link: string;
  readonly dispatch: (a: SessionAction) => void;
  readonly onUi: (ui: UiFlags) => void;
  readonly report: (message: string) => void;
}

/** File-name-safe text. */
function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'figure'
  );
}

/** What a panel's picture and numbers are, read from the page as drawn. */
function figurePanels(panels: readonly PanelView[], nTest: number): FigurePanel[] {
  const out: FigurePanel[] = [];
  for (const p of panels) {
    const el = document.querySelector(`[data-testid="panel"][data-panel-id="${CSS.escape(p.info.id)}"]`);
    const plot = el?.querySelector<HTMLElement>('[data-testid="panel-plot"]');
    const canvas = plot?.querySelector<HTMLCanvasElement>('canvas.rp-panel-field');
    const marks = plot?.querySelector('svg.rp-panel-marks');
    if (!plot) continue;
    const m = p.metrics;
    out.push({
      label: p.info.label,
      heatmapPng: canvas && canvas.width > 1 ? canvas.toDataURL('image/png') : null,
      marksSvg: marks?.outerHTML ?? '',
      size: plot.clientWidth,
      fieldRect: canvas
        ? {
            left: canvas.offsetLeft,
            top: canvas.offsetTop,
            width: canvas.clientWidth,
            height: canvas.clientHeight,
          }
        : undefined,
      metrics: m
        ? [
            `train ${pct(m.trainAcc)} · test ${pct(m.testAcc)}`,
            `adv ${pct(m.advTestAcc)} · robust ${pct(m.robustCount / Math.max(1, nTest))} · Lip. ${num(m.lipschitz)}`,
          ]
        : ['numbers not computed yet'],
    });
  }
  return out;
}

export function metricsRows(
  panels: readonly PanelView[],
  specs: readonly PanelSpec[],
  nTest: number,
  backend: string,
  link: string,
  state: DemoState,
): MetricsRow[] {
  return panels.map((p) => {
    const spec = specs.find((s) => s.id === p.info.id);
    const m = p.metrics;
    return {
      panel: p.info.label,
      method: p.info.method,
      variant: spec?.variant ?? '',
      hyper: { ...(spec?.hyper ?? {}), ...(spec && spec.dropout > 0 ? { dropout: spec.dropout } : {}) },
      step: p.progress?.step ?? null,
      trainAcc: m?.trainAcc ?? null,
      testAcc: m?.testAcc ?? null,
      advTestAcc: m?.advTestAcc ?? null,
      attack: m?.attack ?? '',
      robustTestAcc: m ? m.robustCount / Math.max(1, nTest) : null,
      undecided: m?.undecidedCount ?? null,
      lipschitz: m?.lipschitz ?? null,
      lipschitzLabel: m?.lipschitzLabel ?? '',
      eps: m?.eps ?? state.evaluation.eps,
      norm: m?.norm ?? state.evaluation.norm,
      backend,
      link,
    };
  });
}

export function FileMenu(props: FileMenuProps) {
  const { engine, dataset, panels, state, link, report } = props;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const backend = props.backend ?? 'unknown';
  const name = slug(dataset?.name ?? 'robust-playground');
  const say = (ok: boolean, text: string) => {
    setMessage({ ok, text });
    if (!ok) report(text);
  };
  const guard =
    <A extends unknown[]>(task: (...args: A) => Promise<void>) =>
    (...args: A) => {
      task(...args).catch((e: unknown) => say(false, e instanceof Error ? e.message : String(e)));
    };

  const figure = () => {
    const input = {
      title: 'Robust Playground',
      caption: figureCaption({
        dataset: dataset?.name ?? '',
        eps: state.evaluation.eps,
        norm: state.evaluation.norm,
        backend,
        date: new Date(),
      }),
      panels: figurePanels(panels, dataset?.testY.length ?? 0),
      link,
      nClasses: dataset?.nClasses ?? 2,
    };
    return { svg: figureSvg(input), size: figureSize(input) };
  };

  const exportSvg = guard(() => {
    const { svg } = figure();
    downloadText(svg, `${name}-figure.svg`, 'image/svg+xml');
    say(true, `Saved ${name}-figure.svg; open it here again to restore this setup.`);
    return Promise.resolve();
  });
  const exportPng = guard(async () => {
    const { svg, size } = figure();
    const png = await svgToPng(svg, size.width, size.height, PNG_SCALE, link);
    downloadBlob(png, `${name}-figure.png`);
    say(true, `Saved ${name}-figure.png; open it here again to restore this setup.`);
  });
  const exportData = guard(() => {
    if (!dataset) return Promise.resolve();
    const text = datasetCsvText({
      train: { x: dataset.trainX, y: dataset.trainY },
      test: { x: dataset.testX, y: dataset.testY },
    });
    downloadText(text, `${name}.csv`, 'text/csv');
    say(true, `Saved ${name}.csv (${dataset.trainY.length} train, ${dataset.testY.length} test points).`);
    return Promise.resolve();
  });
  const exportTable = guard(() => {
    const rows = metricsRows(panels, state.panels, dataset?.testY.length ?? 0, backend, link, state);
    downloadText(metricsCsvText(rows), `${name}-metrics.csv`, 'text/csv');
    say(true, `Saved ${name}-metrics.csv (${rows.length} rows).`);
    return Promise.resolve();
  });
  const exportModels = guard(async () => {
    if (!engine) return;
    let n = 0;
    for (const p of panels) {
      const text = await engine.exportModel(p.info.id);
      if (!text) continue;
      downloadText(text, `${slug(p.info.label)}.model.json`, 'application/json');
      n++;
    }
    say(true, `Saved ${n} model file${n === 1 ? '' : 's'} (robust-mlp/1).`);
  });

  const open = guard(async (files?: FileList | null) => {
    if (!files || files.length === 0) return;
    const opened: Opened = classifyOpened(await readFiles(files));
    apply(opened);
  });
  const apply = (opened: Opened) => {
    switch (opened.kind) {
      case 'error':
        say(false, opened.message);
        return;
      case 'dataset':
        props.dispatch({ type: 'importCsv', points: opened.points });
        say(true, opened.message);
        return;
      case 'model': {
        // Refused now rather than shown as a broken panel: the class count must match the data's.
        const mismatch = dataset ? modelsMismatch(opened.models, dataset.nClasses) : null;
        if (mismatch) {
          say(false, mismatch);
          return;
        }
        for (const m of opened.models)
          props.dispatch({
            type: 'addImportedPanel',
            imported: { fileName: m.fileName, model: m.model, reported: null },
          });
        say(true, opened.message);
        return;
      }
      case 'results': {
        const f = opened.folder;
        const panelsOut: PanelSpec[] = f.models.map((m, i) => ({
          id: `p${i}`,
          method: IMPORTED_METHOD,
          variant: '',
          hyper: {},
          dropout: 0,
          r: null,
          imported: {
            fileName: m.fileName.split('/').pop() ?? m.fileName,
            model: m.model,
            reported: {
              trainAcc: m.reported.trainAcc,
              testAcc: m.reported.testAcc,
              advTestAcc: m.reported.advTestAcc,
              lipschitz: m.reported.lipschitz,
              eps: m.reported.eps,
              norm: m.reported.norm,
            },
          },
        }));
        const nn = panelFromPreset(
          PANEL_PRESETS.find((p) => p.method === NN_METHOD)!,
          `p${panelsOut.length}`,
        );
        props.dispatch({
          type: 'load',
          state: {
            ...state,
            data: { ...state.data, name: 'csv', csv: f.points, edits: [] },
            evaluation: { eps: f.eps, norm: f.norm },
            panels: [...panelsOut, nn],
            nextId: panelsOut.length + 1,
          },
        });
        say(true, opened.message);
        return;
      }
      case 'link': {
        const decoded = decodeState(opened.search);
        props.dispatch({ type: 'load', state: decoded.state });
        props.onUi(decoded.ui);
        say(decoded.notices.length === 0, [opened.message, ...decoded.notices].join(' '));
        return;
      }
    }
  };

  return (
    <details className="file-menu" ref={menu}>
      <summary data-testid="file-menu" aria-label="Export and open files">
        export / open
      </summary>
      <div className="file-menu-body">
        <p className="menu-head">Export</p>
        <button type="button" data-testid="export-png" onClick={exportPng}>
          figure as PNG
        </button>
        <button type="button" data-testid="export-svg" onClick={exportSvg}>
          figure as SVG
        </button>
        <button type="button" data-testid="export-dataset" onClick={exportData} disabled={!dataset}>
          dataset as CSV
        </button>
        <button type="button" data-testid="export-metrics" onClick={exportTable}>
          table as CSV
        </button>
        <button type="button" data-testid="export-models" onClick={exportModels} disabled={!engine}>
          every model (robust-mlp/1 JSON)
        </button>
        <p className="menu-head">Open</p>
        <label className="file">
          files: a dataset CSV, model JSON, a figure or table exported here
          <input
            type="file"
            multiple
            data-testid="open-files"
            accept=".csv,.json,.png,.svg,text/csv,application/json,image/png,image/svg+xml"
            onChange={(e) => {
              open(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        <label className="file">
          the runner’s results folder
          <input
            type="file"
            data-testid="open-folder"
            // A folder picker: every file of the folder the runner wrote.
            {...{ webkitdirectory: '' }}
            onChange={(e) => {
              open(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        {message && (
          <p className={message.ok ? 'hint' : 'warn'} role="status" data-testid="file-message">
            {message.text}
          </p>
        )}
      </div>
    </details>
  );
}
