/** Number inputs of the settings: a slider with its value beside it, and a number box that accepts only in-range values. */
import { useEffect, useState } from 'react';

const COMMIT_DELAY_MS = 300;

/** A slider with a number beside it; commits after the hand rests, so a drag retrains once, not per pixel. */
export function SliderField(props: {
  label: string;
  title?: string;
  value: number;
  min: number;
  max: number;
  log: boolean;
  integer: boolean;
  onCommit: (v: number) => void;
  testId?: string;
}) {
  const { value, min, max, log, integer, onCommit } = props;
  const [draft, setDraft] = useState(value);
  // A new value from outside (another control, a reset) replaces the draft: React's "adjust state on prop change".
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setDraft(value);
  }
  useEffect(() => {
    if (draft === value) return;
    const t = setTimeout(() => onCommit(draft), COMMIT_DELAY_MS);
    return () => clearTimeout(t);
  }, [draft, value, onCommit]);
  const lo = log ? Math.log10(Math.max(min, 1e-6)) : min;
  const hi = log ? Math.log10(max) : max;
  const toSlider = (v: number) => (log ? Math.log10(Math.max(v, 1e-6)) : v);
  const fromSlider = (s: number) => {
    const v = log ? 10 ** s : s;
    return integer ? Math.round(v) : Number(v.toPrecision(3));
  };
  return (
    <label className="slider-field" title={props.title}>
      <span>{props.label}</span>
      <input
        type="range"
        min={lo}
        max={hi}
        step={integer && !log ? 1 : (hi - lo) / 200}
        value={toSlider(draft)}
        data-testid={props.testId}
        aria-label={props.label}
        aria-valuetext={String(draft)}
        onChange={(e) => setDraft(fromSlider(Number(e.target.value)))}
      />
      <DraftNumber
        value={draft}
        min={min}
        max={max}
        label={`${props.label}, typed`}
        onCommit={(v) => v !== null && setDraft(v)}
      />
    </label>
  );
}

/** A number box that accepts a value only when it is in range; blank means "automatic" where allowed. */
export function DraftNumber(props: {
  value: number | null;
  min: number;
  max: number;
  label: string;
  onCommit: (v: number | null) => void;
}) {
  const [text, setText] = useState(props.value === null ? '' : String(props.value));
  const [bad, setBad] = useState(false);
  const [seen, setSeen] = useState(props.value);
  if (props.value !== seen) {
    setSeen(props.value);
    setText(props.value === null ? '' : String(props.value));
  }
  const commit = () => {
    if (text.trim() === '') {
      setBad(false);
      props.onCommit(null);
      return;
    }
    const v = Number(text);
    const ok = Number.isFinite(v) && v >= props.min && v <= props.max;
    setBad(!ok);
    if (ok) props.onCommit(v);
  };
  return (
    <input
      className={`num${bad ? ' bad' : ''}`}
      inputMode="decimal"
      value={text}
      aria-invalid={bad}
      aria-label={props.label}
      title={bad ? `Use a number from ${props.min} to ${props.max}` : undefined}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}
