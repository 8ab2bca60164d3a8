/** An inline explanation: a small "?" that opens a short, exact paragraph next to what it explains. */
import type { ReactNode } from 'react';

export function Help({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="help">
      <summary aria-label={`Explain: ${title}`} title={`Explain: ${title}`}>
        ?
      </summary>
      <div className="help-body" role="note">
        <strong>{title}.</strong> {children}
      </div>
    </details>
  );
}
