import { describe, expect, it } from 'vitest';
import type { PointEdit } from '../../src/core/datasets/edits.ts';
import { canRedo, canUndo, MAX_UNDO, reduceSession, startSession } from '../../src/state/history.ts';
import { DEFAULT_STATE } from '../../src/state/settings.ts';
import { shortcutOf } from '../../src/views/useShortcuts.ts';

const move = (index: number, x: number): PointEdit => ({ op: 'move', split: 'train', index, x, y: 0 });
const add: PointEdit = { op: 'add', split: 'test', x: 0.1, y: 0.2, label: 1 };

describe('undoable point edits', () => {
  it('a drag is one undo step however many moves it sent', () => {
    let s = startSession(DEFAULT_STATE);
    s = reduceSession(s, { type: 'edit', edit: move(3, 0.1), continues: false });
    s = reduceSession(s, { type: 'edit', edit: move(3, 0.2), continues: true });
    s = reduceSession(s, { type: 'edit', edit: move(3, 0.3), continues: true });
    expect(s.state.data.edits).toEqual([move(3, 0.3)]);
    expect(s.past).toHaveLength(1);
    s = reduceSession(s, { type: 'undo' });
    expect(s.state.data.edits).toEqual([]);
    expect(canUndo(s)).toBe(false);
    expect(canRedo(s)).toBe(true);
  });

  it('a second drag of the same point is its own step', () => {
    let s = startSession(DEFAULT_STATE);
    s = reduceSession(s, { type: 'edit', edit: move(3, 0.1), continues: false });
    s = reduceSession(s, { type: 'edit', edit: move(3, 0.2), continues: false });
    expect(s.state.data.edits).toEqual([move(3, 0.1), move(3, 0.2)]);
    s = reduceSession(s, { type: 'undo' });
    expect(s.state.data.edits).toEqual([move(3, 0.1)]);
  });

  it('undo and redo walk the history both ways; a new edit drops the redo branch', () => {
    let s = startSession(DEFAULT_STATE);
    s = reduceSession(s, { type: 'edit', edit: move(1, 0.5), continues: false });
    s = reduceSession(s, { type: 'edit', edit: add, continues: false });
    s = reduceSession(s, { type: 'undo' });
    s = reduceSession(s, { type: 'undo' });
    expect(s.state.data.edits).toEqual([]);
    s = reduceSession(s, { type: 'redo' });
    s = reduceSession(s, { type: 'redo' });
    expect(s.state.data.edits).toEqual([move(1, 0.5), add]);
    expect(reduceSession(s, { type: 'redo' })).toBe(s);
    s = reduceSession(s, { type: 'undo' });
    s = reduceSession(s, { type: 'edit', edit: move(2, 0.7), continues: false });
    expect(canRedo(s)).toBe(false);
    expect(s.state.data.edits).toEqual([move(1, 0.5), move(2, 0.7)]);
  });

  it('keeps at most MAX_UNDO steps', () => {
    let s = startSession(DEFAULT_STATE);
    for (let i = 0; i < MAX_UNDO + 20; i++)
      s = reduceSession(s, { type: 'edit', edit: move(i % 5, i / 1000), continues: false });
    expect(s.past).toHaveLength(MAX_UNDO);
  });

  it('a change of the source data clears the edits and the history; other settings keep them', () => {
    let s = startSession(DEFAULT_STATE);
    s = reduceSession(s, { type: 'edit', edit: add, continues: false });
    s = reduceSession(s, { type: 'setEval', patch: { eps: 0.2 } });
    expect(s.state.data.edits).toEqual([add]);
    expect(canUndo(s)).toBe(true);
    s = reduceSession(s, { type: 'setDataParam', key: 'noise', value: 0.1 });
    expect(s.state.data.edits).toEqual([]);
    expect(canUndo(s)).toBe(false);
    s = reduceSession(s, { type: 'edit', edit: add, continues: false });
    s = reduceSession(s, { type: 'setDataset', name: 'spiral' });
    expect(s.state.data.edits).toEqual([]);
  });
});

describe('keyboard shortcuts', () => {
  const key = (
    k: string,
    mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
  ) => shortcutOf({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('maps the lecture keys', () => {
    expect(key(' ')).toEqual({ action: 'playPause' });
    expect(key('ArrowRight')).toEqual({ action: 'step' });
    expect(key('r')).toEqual({ action: 'reset' });
    expect(key('?')).toEqual({ action: 'help' });
    expect(key('1')).toEqual({ action: 'preset', preset: 0 });
    expect(key('9')).toEqual({ action: 'preset', preset: 8 });
    expect(key('0')).toBeNull();
    expect(key('z', { ctrlKey: true })).toEqual({ action: 'undo' });
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toEqual({ action: 'redo' });
    expect(key('y', { metaKey: true })).toEqual({ action: 'redo' });
    expect(key('r', { ctrlKey: true })).toBeNull();
    expect(key('r', { altKey: true })).toBeNull();
  });
});

describe('settings comparison', () => {
  it('treats the same settings built in another key order as equal', async () => {
    const { sameJson } = await import('../../src/state/settings.ts');
    expect(sameJson({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson({ x: Float64Array.of(1, 2) }, { x: [1, 2] })).toBe(true);
  });
});
