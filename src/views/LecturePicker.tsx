/** Lecture presets: a picker for the header, and the story card a preset shows above the panels. */
import type { LecturePreset } from '../state/presets.ts';

export function LecturePicker({
  presets,
  active,
  onPick,
}: {
  presets: readonly LecturePreset[];
  active: string | null;
  onPick: (index: number) => void;
}) {
  return (
    <label className="lecture-picker">
      Lecture{' '}
      <select
        data-testid="preset-select"
        value={active ?? ''}
        onChange={(e) => {
          const i = presets.findIndex((p) => p.key === e.target.value);
          if (i >= 0) onPick(i);
        }}
      >
        <option value="" disabled>
          choose a story…
        </option>
        {presets.map((p, i) => (
          <option key={p.key} value={p.key}>
            {i + 1}. {p.title}
          </option>
        ))}
      </select>
    </label>
  );
}

export function StoryCard({ preset, onClose }: { preset: LecturePreset; onClose: () => void }) {
  return (
    <section className="story" aria-labelledby="story-title" data-testid="story">
      <h2 id="story-title">{preset.title}</h2>
      <p>{preset.story}</p>
      {preset.focus && <p className="story-focus">Try it: {preset.focus.hint}</p>}
      <button type="button" className="icon" aria-label="Hide the story" onClick={onClose}>
        ×
      </button>
    </section>
  );
}
