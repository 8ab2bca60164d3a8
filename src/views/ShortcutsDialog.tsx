/** The "?" dialog: every keyboard shortcut, from the same table the handler uses. */
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from './useShortcuts.ts';

export function ShortcutsDialog({
  open,
  onClose,
  presets,
}: {
  open: boolean;
  onClose: () => void;
  presets: readonly { key: string; title: string }[];
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog shortcuts"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-dialog"
      onClose={onClose}
    >
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Lecture presets</h3>
      <ol className="preset-list">
        {presets.map((p) => (
          <li key={p.key}>{p.title}</li>
        ))}
      </ol>
      <h3>On a plot (with the drag, add or delete tool)</h3>
      <p>
        <kbd>Tab</kbd> to a plot, <kbd>]</kbd> / <kbd>[</kbd> select the next / previous point, arrows move it
        (<kbd>Shift</kbd>: farther), <kbd>Delete</kbd> removes it; with the add tool <kbd>Enter</kbd> adds a
        point at the centre.
      </p>
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
