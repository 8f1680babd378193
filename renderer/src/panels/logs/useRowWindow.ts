import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export interface RowWindow {
  /** First row to render (inclusive) and the row after the last one. */
  first: number;
  end: number;
  /** Height of all rows together, for the spacer that gives the scrollbar its size. */
  total: number;
}

/** Rows `[first, end)` of `count` rows of `rowHeight` px seen through a box `height` px tall scrolled to `top`. */
export function rowWindow(count: number, rowHeight: number, top: number, height: number, overscan: number, atEnd: boolean): RowWindow {
  const total = count * rowHeight;
  const rows = Math.ceil(height / rowHeight);
  // Following: the last rows, whatever the scroll position was a frame ago.
  const start = atEnd ? count - rows : Math.floor(top / rowHeight);
  const first = Math.max(0, Math.min(start, count - rows) - overscan);
  const end = Math.min(count, Math.max(0, start) + rows + overscan);
  return { first, end, total };
}

/**
 * Windowing for a scrolling box of fixed-height rows. With one row height the window is arithmetic;
 * a general virtualiser re-measures every row when the count changes, which at 100,000 held lines
 * and ten appends a second was most of the logs panel's frame time. The box's scroll position and
 * size are read once per animation frame (scroll and resize events only schedule the read), and
 * `follow` keeps the box scrolled to the end as rows are added without reading layout. While
 * following, the window does not depend on the scroll position, so the scroll each new batch causes
 * does not render the panel a second time.
 */
export function useRowWindow(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, follow: boolean, overscan = 10): RowWindow {
  const [view, setView] = useState({ top: 0, height: 0 });
  const following = useRef(follow);
  following.current = follow;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      const height = el.clientHeight;
      const top = following.current ? null : el.scrollTop;
      setView((v) => (v.height === height && (top === null || v.top === top) ? v : { top: top ?? v.top, height }));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    el.addEventListener('scroll', schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(el);
    read();
    return () => {
      el.removeEventListener('scroll', schedule);
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [ref]);

  // Following stopped (a scroll up): the position it stopped at, before this frame is drawn.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || follow) return;
    const top = el.scrollTop;
    setView((v) => (v.top === top ? v : { top, height: v.height }));
  }, [ref, follow]);

  // Following, nothing above the last rows is in view, and following stops (keeping the window) before
  // any scroll up moves the box: a small margin is enough, and under a flood every row is new.
  const win = rowWindow(count, rowHeight, view.top, view.height, follow ? Math.min(overscan, 2) : overscan, follow);

  // Before paint, so the new rows never show at the old position: one layout, done by the browser
  // anyway for this frame. The box's height comes from the last read, not from layout.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow) el.scrollTop = Math.max(0, win.total - view.height);
  }, [ref, follow, win.total, view.height]);

  return win;
}
