/**
 * Share: the link to this figure, options for a clean slide, and the HTML to embed it — an `<iframe>` or the
 * `<robust-playground>` element. A native modal `<dialog>`: Escape closes it, focus returns to the opener.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { elementSnippet, iframeSnippet } from '../embed/snippets.ts';
import './share.css';

/** What a shared link carries besides the settings. */
export interface ShareOptions {
  /** Chrome-less figure (`embed`): the method panels only. */
  embed: boolean;
  /** Keys of the parts to hide (`hide=`), from `hideChoices`. */
  hide: readonly string[];
  /** Presenter view: large type for a projector. */
  present: boolean;
}

/** One part of the page a link may hide. */
export interface HideChoice {
  key: string;
  label: string;
}

/** How long "Copied" stays on screen, in milliseconds. */
const STATUS_MS = 4000;

type CopyField = HTMLInputElement | HTMLTextAreaElement;

export function ShareDialog({
  open,
  onClose,
  link,
  omitted,
  hideChoices,
}: {
  open: boolean;
  onClose: () => void;
  /** The app's absolute address with the current settings and these options. */
  link: (options: ShareOptions) => string;
  /** Settings this link cannot carry (an uploaded CSV, edited points, …), named for the user. */
  omitted: readonly string[];
  hideChoices: readonly HideChoice[];
}) {
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const linkRef = useRef<HTMLInputElement>(null);
  const iframeRef = useRef<HTMLTextAreaElement>(null);
  const elementRef = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const [hide, setHide] = useState<readonly string[]>([]);
  const [present, setPresent] = useState(false);
  const [status, setStatus] = useState('');

  // Open and close the native dialog with the prop. showModal() makes the rest of the page inert and gives
  // Escape; the opener is remembered to get focus back however the dialog closes.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      linkRef.current?.focus();
      linkRef.current?.select();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    if (!status) return;
    const timer = window.setTimeout(() => setStatus(''), STATUS_MS);
    return () => window.clearTimeout(timer);
  }, [status]);

  const onDialogClose = useCallback(() => {
    setStatus('');
    const back = opener.current;
    opener.current = null;
    if (back?.isConnected) back.focus();
    onClose();
  }, [onClose]);

  const options = { hide: hideChoices.filter((c) => hide.includes(c.key)).map((c) => c.key), present };
  const plainLink = link({ ...options, embed: false });
  const embedLink = link({ ...options, embed: true });
  const iframeCode = iframeSnippet(embedLink);
  const elementCode = elementSnippet(embedLink);

  const copy = useCallback(async (field: CopyField | null, what: string) => {
    if (!field) return;
    try {
      // navigator.clipboard is missing outside secure contexts and may be refused (permissions, frames).
      if (!('clipboard' in navigator)) throw new Error('no clipboard');
      await navigator.clipboard.writeText(field.value);
      setStatus(`${what} copied.`);
    } catch {
      field.focus();
      field.select();
      setStatus(`${what} selected: press Ctrl+C (⌘C on a Mac) to copy it.`);
    }
  }, []);

  const toggleHide = (key: string, on: boolean) =>
    setHide((current) => (on ? [...current, key] : current.filter((k) => k !== key)));

  return (
    <dialog
      ref={dialogRef}
      className="share-dialog"
      data-testid="share-dialog"
      aria-labelledby={`${id}-title`}
      onClose={onDialogClose}
    >
      <div className="share-head">
        <h2 id={`${id}-title`}>Share this figure</h2>
        <button
          type="button"
          className="share-close"
          aria-label="Close"
          onClick={() => dialogRef.current?.close()}
        >
          ×
        </button>
      </div>

      <section className="share-section" aria-labelledby={`${id}-link`}>
        <label id={`${id}-link`} htmlFor={`${id}-link-field`} className="share-label">
          Link
        </label>
        <p className="share-hint">The same data, seed and settings: it reproduces what you see.</p>
        <div className="share-row">
          <input
            ref={linkRef}
            id={`${id}-link-field`}
            className="share-field"
            data-testid="share-link"
            type="text"
            readOnly
            value={plainLink}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button
            type="button"
            data-testid="share-copy-link"
            onClick={() => void copy(linkRef.current, 'Link')}
          >
            Copy link
          </button>
        </div>
      </section>

      <fieldset className="share-section share-options">
        <legend className="share-label">For a slide or a lesson</legend>
        {hideChoices.map((choice) => (
          <label key={choice.key} className="share-check">
            <input
              type="checkbox"
              checked={hide.includes(choice.key)}
              onChange={(e) => toggleHide(choice.key, e.target.checked)}
            />
            Hide {choice.label}
          </label>
        ))}
        <label className="share-check">
          <input type="checkbox" checked={present} onChange={(e) => setPresent(e.target.checked)} />
          Presenter view (large type)
        </label>
      </fieldset>

      <section className="share-section" aria-labelledby={`${id}-embed`}>
        <h3 id={`${id}-embed`} className="share-label">
          Embed in a page
        </h3>
        <label htmlFor={`${id}-iframe`} className="share-sublabel">
          An <code>&lt;iframe&gt;</code> (any site that allows iframes)
        </label>
        <textarea
          ref={iframeRef}
          id={`${id}-iframe`}
          className="share-field share-code"
          data-testid="share-iframe"
          readOnly
          rows={5}
          value={iframeCode}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy(iframeRef.current, 'iframe snippet')}>
          Copy iframe snippet
        </button>
        <label htmlFor={`${id}-element`} className="share-sublabel">
          The <code>&lt;robust-playground&gt;</code> element (one script tag; its height follows the figure)
        </label>
        <textarea
          ref={elementRef}
          id={`${id}-element`}
          className="share-field share-code"
          data-testid="share-element"
          readOnly
          rows={3}
          value={elementCode}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy(elementRef.current, 'element snippet')}>
          Copy element snippet
        </button>
        <p className="share-hint">
          <a href={new URL('embed.html', plainLink).href} target="_blank" rel="noopener noreferrer">
            How to embed: attributes and examples ↗
          </a>
        </p>
      </section>

      {omitted.length > 0 && (
        <section className="share-section share-omitted" aria-labelledby={`${id}-omitted`}>
          <p id={`${id}-omitted`}>This link cannot carry:</p>
          <ul>
            {omitted.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </section>
      )}

      <p className="share-status" role="status" aria-live="polite">
        {status}
      </p>
    </dialog>
  );
}
