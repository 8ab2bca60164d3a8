/**
 * The diagnostics page (diagnostics.html): lists every tfjs backend — available or why not, and on what adapter
 * or renderer — and, on request, checks each against `cpu` and times it. Exposes `window.rpDiagnostics` for the
 * browser tests and the benchmark.
 */
// First: Zod must be jitless before any schema is built (the CSP forbids eval; core/zodConfig.ts).
import '../core/zodConfig.ts';
import * as tf from '@tensorflow/tfjs';
import { BACKENDS, type BackendName } from '../ml/backend.ts';
import { METHODS } from '../ml/methods/index.ts';
import { rpDiagnostics, type Availability } from './api.ts';

window.rpDiagnostics = rpDiagnostics;

const LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; testid?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.testid) node.dataset.testid = props.testid;
  node.append(...children);
  return node;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`diagnostics.html has no #${id}`);
  return node as T;
}

const rows = byId<HTMLTableSectionElement>('backends');
const status = byId<HTMLElement>('status');
const runButton = byId<HTMLButtonElement>('run');
const methodSelect = byId<HTMLSelectElement>('method');
const secondsInput = byId<HTMLInputElement>('seconds');
const summary = byId<HTMLElement>('summary');

byId('environment').textContent = [
  `TensorFlow.js ${tf.version.tfjs}`,
  `${navigator.hardwareConcurrency || '?'} logical CPU cores`,
  navigator.userAgent.match(/(Chrome|Chromium|Firefox|Version)\/[\d.]+/g)?.join(', ') ?? navigator.userAgent,
].join(' · ');

for (const [id, method] of Object.entries(METHODS)) {
  methodSelect.append(new Option(method.name, id, id === 'natural', id === 'natural'));
}

interface Cells {
  status: HTMLElement;
  detail: HTMLElement;
  parity: HTMLElement;
  steps: HTMLElement;
  grid: HTMLElement;
}
const cells = {} as Record<BackendName, Cells>;
for (const name of BACKENDS) {
  const c: Cells = {
    status: el('td', { testid: 'status-cell', text: 'checking…', className: 'muted' }),
    detail: el('td', { testid: 'detail', className: 'detail' }),
    parity: el('td', { testid: 'parity', className: 'num' }),
    steps: el('td', { testid: 'steps', className: 'num' }),
    grid: el('td', { testid: 'grid', className: 'num' }),
  };
  cells[name] = c;
  const row = el('tr', {}, el('th', { text: LABELS[name] }), c.status, c.detail, c.parity, c.steps, c.grid);
  row.dataset.backend = name;
  rows.append(row);
}

function setStatus(state: 'checking' | 'idle' | 'running' | 'done' | 'error', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function pill(text: string, kind: 'ok' | 'warn' | 'off'): HTMLElement {
  return el('span', { className: `pill ${kind}`, text });
}

function showAvailability(list: readonly Availability[]): void {
  for (const a of list) {
    const c = cells[a.name];
    const row = c.status.parentElement!;
    row.dataset.ok = String(a.ok);
    c.status.className = '';
    c.status.replaceChildren(
      a.ok
        ? pill(a.software ? 'software' : 'available', a.software ? 'warn' : 'ok')
        : pill('not available', 'off'),
    );
    c.detail.replaceChildren(a.ok ? a.detail : a.reason);
    c.detail.classList.toggle('reason', !a.ok);
  }
}

const fmtSci = (v: number) => (v === 0 ? '0' : v.toExponential(0));
const fmtNum = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

let available: Availability[] = [];

async function checkAvailability(): Promise<void> {
  setStatus('checking', 'Checking which backends start…');
  available = await rpDiagnostics.available();
  showAvailability(available);
  const n = available.filter((a) => a.ok).length;
  setStatus(
    'idle',
    `${n} of ${available.length} backends available. Run the checks to compare and time them.`,
  );
  runButton.disabled = false;
}

async function runChecks(): Promise<void> {
  const methodId = methodSelect.value;
  const seconds = Math.min(30, Math.max(0.2, Number(secondsInput.value) || 1));
  const method = METHODS[methodId]!.name;
  runButton.disabled = true;
  summary.textContent = '';
  const speeds: { name: BackendName; sps: number }[] = [];
  for (const a of available.filter((x) => x.ok)) {
    const c = cells[a.name];
    for (const cell of [c.parity, c.steps, c.grid]) {
      cell.textContent = '…';
      cell.className = 'num muted';
    }
  }
  try {
    for (const a of available.filter((x) => x.ok)) {
      const c = cells[a.name];
      const label = LABELS[a.name];
      const row = c.status.parentElement!;
      row.classList.add('current');
      if (a.name === 'cpu') {
        c.parity.className = 'num muted';
        c.parity.textContent = 'reference';
      } else {
        setStatus('running', `${label}: comparing with CPU…`);
        const p = await rpDiagnostics.parity(a.name);
        c.parity.className = `num ${p.ok ? 'good' : 'bad'}`;
        c.parity.textContent = `${p.ok ? '✓' : '✗'} ${[p.maxAbsLogits, p.maxAbsInputGrad, p.maxAbsParamGrad].map(fmtSci).join(' · ')}`;
        c.parity.title =
          `max |Δ| (max relative): logits ${p.maxAbsLogits} (${p.maxRelLogits}), ∇ₓ ${p.maxAbsInputGrad} ` +
          `(${p.maxRelInputGrad}), ∇θ ${p.maxAbsParamGrad} (${p.maxRelParamGrad}); tolerance ${p.tolerance}`;
      }
      setStatus('running', `${label}: training ${method} for ${seconds} s…`);
      const sps = await rpDiagnostics.stepsPerSecond(a.name, methodId, seconds);
      speeds.push({ name: a.name, sps });
      c.steps.className = 'num';
      c.steps.textContent = fmtNum(sps);
      setStatus('running', `${label}: timing a 128×128 grid…`);
      const ms = await rpDiagnostics.gridMs(a.name);
      c.grid.className = 'num';
      c.grid.textContent = `${fmtNum(ms)} ms`;
      row.classList.remove('current');
    }
    const best = speeds.reduce<(typeof speeds)[number] | null>((b, s) => (!b || s.sps > b.sps ? s : b), null);
    if (best) {
      summary.replaceChildren(
        `Fastest for training here: ${LABELS[best.name]} (${fmtNum(best.sps)} steps/s of ${method}). `,
        el('a', { text: `Open the playground on ${LABELS[best.name]}` }),
      );
      (summary.lastChild as HTMLAnchorElement).href = `./?backend=${best.name}`;
    }
    setStatus('done', `Done: ${method}, ${seconds} s per backend.`);
  } catch (e) {
    setStatus('error', `A check failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    for (const tr of rows.querySelectorAll('tr.current')) tr.classList.remove('current');
    runButton.disabled = false;
  }
}

runButton.addEventListener('click', () => void runChecks());
checkAvailability().catch((e: unknown) => {
  setStatus('error', `Checking the backends failed: ${e instanceof Error ? e.message : String(e)}`);
});
