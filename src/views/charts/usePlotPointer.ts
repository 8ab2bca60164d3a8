/**
 * What a pointer and the keyboard do on a panel's plot: hover shows a point's numbers; the editing tools drag
 * (pointer capture, one edit per displayed frame), add and delete points; with the plot focused, `]`/`[` select a
 * point, arrows move it, Delete removes it and Enter adds one.
 */
import {
  useEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { Box } from '../../core/types.ts';
import { placeInBox, type PointEdit, type Split } from '../../core/datasets/edits.ts';
import type { Frame } from '../../render/frame.ts';

export interface PanelPlotHover {
  split: 'train' | 'test';
  index: number;
  clientX: number;
  clientY: number;
}

/** What a pointer does on the plot: look (hover only), drag points, add a point, delete a point. */
export type EditTool = 'inspect' | 'move' | 'add' | 'delete';

export interface PanelPlotEditing {
  readonly tool: EditTool;
  /** Class and split of a point the `add` tool places. */
  readonly addLabel: number;
  readonly addSplit: Split;
  /** `continues`: a later move of the same drag (it replaces the drag's previous move). */
  readonly onEdit: (edit: PointEdit, continues: boolean) => void;
}

/** Hover picks the nearest shown point within this many CSS pixels. */
const HOVER_RADIUS = 8;

export interface PlotPointerInput {
  /** `[n, 2]` pixel positions of the training and test points. */
  readonly trainPx: Float64Array;
  readonly testPx: Float64Array;
  readonly showTrain: boolean;
  readonly showTest: boolean;
  /** Side of the square plot, CSS pixels. */
  readonly size: number;
  readonly frame: Frame;
  readonly box: Box;
  readonly highlight: { split: Split; index: number } | null;
  readonly onHover: ((p: PanelPlotHover | null) => void) | undefined;
  readonly editing: PanelPlotEditing | null;
}

export function usePlotPointer(input: PlotPointerInput): {
  handlers: {
    onPointerDown: (e: ReactPointerEvent<SVGSVGElement>) => void;
    onPointerMove: (e: ReactPointerEvent<SVGSVGElement>) => void;
    onPointerUp: (e: ReactPointerEvent<SVGSVGElement>) => void;
    onPointerCancel: (e: ReactPointerEvent<SVGSVGElement>) => void;
    onPointerLeave: () => void;
    onKeyDown: (e: ReactKeyboardEvent<SVGSVGElement>) => void;
  };
  /** Where a dragged point is drawn while its edit travels to the engine and back. */
  ghost: [number, number] | null;
} {
  const { trainPx, testPx, showTrain, showTest, size, frame, box, highlight, onHover, editing } = input;
  /** The shown point nearest to `(mx, my)` (CSS pixels in the plot) within the hover radius. */
  const pick = (mx: number, my: number): { split: Split; index: number } | null => {
    let found: { split: Split; index: number } | null = null;
    let bestD2 = HOVER_RADIUS * HOVER_RADIUS;
    const layers: [Float64Array, Split, boolean][] = [
      [trainPx, 'train', showTrain],
      [testPx, 'test', showTest],
    ];
    for (const [px, split, shown] of layers) {
      if (!shown) continue;
      for (let i = 0; 2 * i + 1 < px.length; i++) {
        const dx = (px[2 * i] ?? NaN) - mx;
        const dy = (px[2 * i + 1] ?? NaN) - my;
        const d2 = dx * dx + dy * dy;
        if (d2 <= bestD2) {
          bestD2 = d2;
          found = { split, index: i };
        }
      }
    }
    return found;
  };
  const local = (e: ReactPointerEvent<SVGSVGElement>): [number, number] => {
    const rect = e.currentTarget.getBoundingClientRect();
    return [
      (e.clientX - rect.left) * (size / (rect.width || size)),
      (e.clientY - rect.top) * (size / (rect.height || size)),
    ];
  };

  const hovering = useRef(false);
  const hoverAt = (e: ReactPointerEvent<SVGSVGElement>, found: { split: Split; index: number } | null) => {
    if (!onHover) return;
    if (found) {
      hovering.current = true;
      onHover({ ...found, clientX: e.clientX, clientY: e.clientY });
    } else if (hovering.current) {
      hovering.current = false;
      onHover(null);
    }
  };

  // A drag: the point under the pointer follows it; the data change is sent at most once per displayed frame.
  const drag = useRef<{ split: Split; index: number; pointerId: number } | null>(null);
  const [ghost, setGhost] = useState<[number, number] | null>(null);
  const pendingMove = useRef<PointEdit | null>(null);
  const moveFrame = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (moveFrame.current !== null) cancelAnimationFrame(moveFrame.current);
    },
    [],
  );
  const sendMove = () => {
    moveFrame.current = null;
    const edit = pendingMove.current;
    pendingMove.current = null;
    if (edit && editing) editing.onEdit(edit, true);
  };
  const moveTo = (mx: number, my: number, split: Split, index: number): PointEdit => {
    const [dx, dy] = frame.toData(mx, my);
    const [x, y] = placeInBox(dx, dy, box);
    return { op: 'move', split, index, x, y };
  };

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    const [mx, my] = local(e);
    const found = pick(mx, my);
    const tool = editing?.tool ?? 'inspect';
    if (!editing || tool === 'inspect' || e.button > 0) {
      hoverAt(e, found);
      return;
    }
    if (tool === 'move' && found) {
      e.preventDefault();
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = { ...found, pointerId: e.pointerId };
      setGhost([mx, my]);
      onHover?.(null);
      hovering.current = false;
      // The drag's first edit opens an undo step; its later moves replace it.
      editing.onEdit(moveTo(mx, my, found.split, found.index), false);
    } else if (tool === 'delete' && found) {
      e.preventDefault();
      onHover?.(null);
      hovering.current = false;
      editing.onEdit({ op: 'delete', split: found.split, index: found.index }, false);
    } else if (tool === 'add') {
      e.preventDefault();
      const [dx, dy] = frame.toData(mx, my);
      const [x, y] = placeInBox(dx, dy, box);
      editing.onEdit({ op: 'add', split: editing.addSplit, x, y, label: editing.addLabel }, false);
    }
  };
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const [mx, my] = local(e);
    const d = drag.current;
    if (d && d.pointerId === e.pointerId) {
      setGhost([mx, my]);
      pendingMove.current = moveTo(mx, my, d.split, d.index);
      moveFrame.current ??= requestAnimationFrame(sendMove);
      return;
    }
    hoverAt(e, pick(mx, my));
  };
  const endDrag = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const [mx, my] = local(e);
    if (moveFrame.current !== null) cancelAnimationFrame(moveFrame.current);
    moveFrame.current = null;
    pendingMove.current = null;
    drag.current = null;
    setGhost(null);
    if (e.type !== 'pointercancel') editing?.onEdit(moveTo(mx, my, d.split, d.index), true);
  };
  const onLeave = () => {
    if (!onHover || drag.current) return;
    hovering.current = false;
    onHover(null);
  };

  // Keyboard editing: the plot is focusable while a tool edits; arrows move the highlighted point.
  const onKeyDown = (e: ReactKeyboardEvent<SVGSVGElement>) => {
    if (!editing) return;
    const nTrain = trainPx.length / 2;
    const nAll = nTrain + testPx.length / 2;
    if ((e.key === ']' || e.key === '[') && nAll > 0 && onHover) {
      // Select the next (or previous) point, training points first, so the keyboard reaches every point.
      e.preventDefault();
      e.stopPropagation();
      const at = highlight ? (highlight.split === 'train' ? 0 : nTrain) + highlight.index : -1;
      const next = (((e.key === ']' ? at + 1 : at - 1) % nAll) + nAll) % nAll;
      const split: Split = next < nTrain ? 'train' : 'test';
      const index = next < nTrain ? next : next - nTrain;
      const px = split === 'train' ? trainPx : testPx;
      const rect = e.currentTarget.getBoundingClientRect();
      const k = (rect.width || size) / size;
      onHover({
        split,
        index,
        clientX: rect.left + (px[2 * index] ?? 0) * k,
        clientY: rect.top + (px[2 * index + 1] ?? 0) * k,
      });
      return;
    }
    if (e.key === 'Enter' && editing.tool === 'add') {
      e.preventDefault();
      e.stopPropagation();
      const [x, y] = placeInBox((box.xMin + box.xMax) / 2, (box.yMin + box.yMax) / 2, box);
      editing.onEdit({ op: 'add', split: editing.addSplit, x, y, label: editing.addLabel }, false);
      return;
    }
    if (editing.tool === 'inspect' || !highlight) return;
    const px = highlight.split === 'train' ? trainPx : testPx;
    const cx = px[2 * highlight.index];
    const cy = px[2 * highlight.index + 1];
    if (cx === undefined || cy === undefined) return;
    const stepPx = e.shiftKey ? 10 : 2;
    const delta: Record<string, [number, number]> = {
      ArrowLeft: [-stepPx, 0],
      ArrowRight: [stepPx, 0],
      ArrowUp: [0, -stepPx],
      ArrowDown: [0, stepPx],
    };
    const move = delta[e.key];
    if (move && editing.tool === 'move') {
      e.preventDefault();
      e.stopPropagation();
      editing.onEdit(moveTo(cx + move[0], cy + move[1], highlight.split, highlight.index), false);
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && editing.tool !== 'add') {
      e.preventDefault();
      e.stopPropagation();
      editing.onEdit({ op: 'delete', split: highlight.split, index: highlight.index }, false);
    }
  };

  return {
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp: endDrag,
      onPointerCancel: endDrag,
      onPointerLeave: onLeave,
      onKeyDown,
    },
    ghost,
  };
}
