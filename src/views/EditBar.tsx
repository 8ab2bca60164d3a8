/** The hand-editing tools: what a pointer does on the plots, the class and split of added points, undo and redo. */
import type { Split } from '../core/datasets/edits.ts';
import { classColor } from '../render/colors.ts';
import type { EditTool } from './charts/PanelPlot.tsx';

const TOOLS: readonly { id: EditTool; label: string; title: string }[] = [
  { id: 'inspect', label: 'look', title: 'Hover or tap a point to see its numbers; the plots do not change' },
  { id: 'move', label: 'drag', title: 'Drag a point to move it (arrows move the selected point)' },
  { id: 'add', label: 'add', title: 'Click a plot to add a point of the chosen class' },
  { id: 'delete', label: 'delete', title: 'Click a point to delete it' },
];

export interface EditBarProps {
  readonly tool: EditTool;
  readonly onTool: (t: EditTool) => void;
  readonly addLabel: number;
  readonly onAddLabel: (c: number) => void;
  readonly addSplit: Split;
  readonly onAddSplit: (s: Split) => void;
  readonly nClasses: number;
  readonly edits: number;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  /** Epochs a network panel trains after an edit when it had finished. */
  readonly fineTuneEpochs: number;
}

export function EditBar(props: EditBarProps) {
  const { tool, nClasses } = props;
  return (
    <div className="edit-bar" role="toolbar" aria-label="Edit the points" data-testid="edit-bar">
      <div className="tools" role="radiogroup" aria-label="Pointer tool">
        {TOOLS.map((t) => (
          <label key={t.id} className={`tool${tool === t.id ? ' on' : ''}`} title={t.title}>
            <input
              type="radio"
              name="edit-tool"
              value={t.id}
              data-testid={`tool-${t.id}`}
              checked={tool === t.id}
              onChange={() => props.onTool(t.id)}
            />
            {t.label}
          </label>
        ))}
      </div>
      {tool === 'add' && (
        <span className="add-what">
          <label>
            class{' '}
            <select
              data-testid="add-class"
              value={props.addLabel}
              onChange={(e) => props.onAddLabel(Number(e.target.value))}
              style={{ borderColor: classColor(props.addLabel) }}
            >
              {Array.from({ length: nClasses }, (_, c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            as{' '}
            <select
              data-testid="add-split"
              value={props.addSplit}
              onChange={(e) => props.onAddSplit(e.target.value as Split)}
            >
              <option value="train">training point</option>
              <option value="test">test point</option>
            </select>
          </label>
        </span>
      )}
      <span className="undo">
        <button
          type="button"
          data-testid="undo"
          disabled={!props.canUndo}
          onClick={props.onUndo}
          title="Undo the last point edit (Ctrl+Z)"
        >
          ↶ undo
        </button>
        <button
          type="button"
          data-testid="redo"
          disabled={!props.canRedo}
          onClick={props.onRedo}
          title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
        >
          ↷ redo
        </button>
      </span>
      <span className="muted edit-count" data-testid="edit-count" data-value={props.edits}>
        {props.edits === 0
          ? 'no edits'
          : `${props.edits} edit${props.edits > 1 ? 's' : ''}: networks go on from their current weights (+${props.fineTuneEpochs} epochs when finished); ↺ reset retrains from scratch`}
      </span>
    </div>
  );
}
