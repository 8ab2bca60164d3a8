/**
 * The page's settings with undo and redo of the hand edits of the points. A drag is one edit however often the
 * pointer moved (its later moves replace its first), so undo takes back a whole gesture. Any change of the source
 * data clears the history: old edit lists name points of the old data.
 */
import type { PointEdit } from '../core/datasets/edits.ts';
import { dataSource, reduce, sameJson, type Action, type DemoState } from './settings.ts';

type Edits = readonly PointEdit[];

export interface Session {
  readonly state: DemoState;
  /** Earlier edit lists, the latest last. */
  readonly past: readonly Edits[];
  /** Edit lists undone, the next redo last. */
  readonly future: readonly Edits[];
}

/** Undo steps kept. */
export const MAX_UNDO = 200;

export type SessionAction =
  | Action
  /** One hand edit; `continues` marks a later move of the same drag (it replaces the drag's last move). */
  | { readonly type: 'edit'; readonly edit: PointEdit; readonly continues: boolean }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' }
  /** A whole new state (a preset, an opened link or file): a fresh history. */
  | { readonly type: 'load'; readonly state: DemoState };

export function startSession(state: DemoState): Session {
  return { state, past: [], future: [] };
}

export function canUndo(s: Session): boolean {
  return s.past.length > 0;
}

export function canRedo(s: Session): boolean {
  return s.future.length > 0;
}

export function reduceSession(s: Session, action: SessionAction): Session {
  switch (action.type) {
    case 'edit': {
      const edits = s.state.data.edits;
      const last = edits[edits.length - 1];
      const sameDrag =
        action.continues &&
        action.edit.op === 'move' &&
        last?.op === 'move' &&
        last.split === action.edit.split &&
        last.index === action.edit.index;
      if (sameDrag) return { ...s, state: withEdits(s.state, [...edits.slice(0, -1), action.edit]) };
      return {
        state: withEdits(s.state, [...edits, action.edit]),
        past: [...s.past, edits].slice(-MAX_UNDO),
        future: [],
      };
    }
    case 'undo': {
      const prev = s.past[s.past.length - 1];
      if (!prev) return s;
      return {
        state: withEdits(s.state, prev),
        past: s.past.slice(0, -1),
        future: [...s.future, s.state.data.edits],
      };
    }
    case 'redo': {
      const next = s.future[s.future.length - 1];
      if (!next) return s;
      return {
        state: withEdits(s.state, next),
        past: [...s.past, s.state.data.edits],
        future: s.future.slice(0, -1),
      };
    }
    case 'load':
      return startSession(action.state);
    default: {
      const state = reduce(s.state, action);
      if (state === s.state) return s;
      const sameSource = sameJson(dataSource(state.data), dataSource(s.state.data));
      return sameSource ? { ...s, state } : startSession(state);
    }
  }
}

function withEdits(state: DemoState, edits: Edits): DemoState {
  return { ...state, data: { ...state.data, edits } };
}
