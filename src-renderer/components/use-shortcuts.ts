import { useEffect, useRef } from 'react';

/**
 * Window-wide keyboard shortcuts, keyed by physical key with Alt ("Alt+KeyN"), so they work on any keyboard layout
 * and do not clash with typing. Handlers always see the latest props.
 */
export function useShortcuts(shortcuts: Record<string, () => void>): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const handler = latest.current[`Alt+${event.code}`];
      if (handler) {
        event.preventDefault();
        handler();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
