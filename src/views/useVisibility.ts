/**
 * Which panels are on screen, by IntersectionObserver: pictures of a panel scrolled out of view are not asked
 * for (its training and numbers go on), so the engine's time goes to what the user sees.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export function useVisibility(): {
  readonly visibleIds: readonly string[];
  readonly observe: (id: string, el: Element | null) => void;
} {
  const elements = useRef(new Map<string, Element>());
  const visible = useRef(new Set<string>());
  const observer = useRef<IntersectionObserver | null>(null);
  const [visibleIds, setVisibleIds] = useState<readonly string[]>([]);

  const publish = useCallback(() => {
    const ids = [...elements.current.keys()].filter((id) => visible.current.has(id));
    setVisibleIds((old) => (old.length === ids.length && old.every((id, i) => id === ids[i]) ? old : ids));
  }, []);

  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.panelId;
          if (!id) continue;
          if (entry.isIntersecting) visible.current.add(id);
          else visible.current.delete(id);
        }
        publish();
      },
      // A margin, so a panel scrolling in has its picture ready.
      { rootMargin: '200px' },
    );
    observer.current = io;
    for (const el of elements.current.values()) io.observe(el);
    return () => {
      io.disconnect();
      observer.current = null;
    };
  }, [publish]);

  const observe = useCallback(
    (id: string, el: Element | null) => {
      const old = elements.current.get(id);
      if (old === el) return;
      if (old) observer.current?.unobserve(old);
      if (el) {
        elements.current.set(id, el);
        // Without IntersectionObserver every panel counts as visible.
        if (typeof IntersectionObserver === 'undefined') visible.current.add(id);
        else observer.current?.observe(el);
      } else {
        elements.current.delete(id);
        visible.current.delete(id);
      }
      publish();
    },
    [publish],
  );

  return { visibleIds, observe };
}
