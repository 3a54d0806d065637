/**
 * A long list that renders only the rows in view (@tanstack/react-virtual), for 10,000+ calls or
 * contacts. Rows are list items with their position in the whole list (aria-setsize/posinset).
 * Positions go through React's `style` prop, i.e. CSSOM properties, which the page's CSP
 * (`style-src 'self'`) allows — no style attributes are parsed. Up/Down arrows move focus to the
 * same control in the previous/next row; `onEndReached` asks for the next page.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualListProps<T> {
  items: readonly T[];
  /** The list's accessible name. */
  label: string;
  /** Rows in the whole list (more may be loaded later). */
  total: number;
  itemKey(item: T): string | number;
  /** Fixed height of row `index` in pixels (rows do not wrap). */
  itemHeight(index: number): number;
  renderItem(item: T, index: number): ReactNode;
  onEndReached?(): void;
  className?: string;
}

const focusables = (row: Element | null): HTMLElement[] => (row ? [...row.querySelectorAll<HTMLElement>('button, [href], input')] : []);

export function VirtualList<T>({ items, label, total, itemKey, itemHeight, renderItem, onEndReached, className }: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  // Stable callbacks: the virtualiser recomputes every row's position when they change, which
  // would cost O(rows) on each render (scroll) with 10,000 rows. `measure()` below does it when
  // the items change.
  const latest = useRef({ items, itemKey, itemHeight });
  useEffect(() => { latest.current = { items, itemKey, itemHeight }; });
  const estimateSize = useCallback((i: number) => latest.current.itemHeight(i), []);
  const getItemKey = useCallback((i: number) => { const l = latest.current; const item = l.items[i]; return item === undefined ? i : l.itemKey(item); }, []);
  const getScrollElement = useCallback(() => scroller.current, []);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser's API returns functions React Compiler cannot memoise; this component is not compiled.
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement, estimateSize, getItemKey, overscan: 6 });
  const rows = virtualizer.getVirtualItems();
  const last = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (onEndReached && items.length > 0 && last >= items.length - 30) onEndReached();
  }, [last, items.length, onEndReached]);
  // Heights depend on the items (a row that starts a day is taller): re-measure when they change.
  useEffect(() => { virtualizer.measure(); }, [items, virtualizer]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('[data-index]');
    if (!row || target.tagName === 'INPUT') return;
    const to = Number(row.dataset.index) + (e.key === 'ArrowDown' ? 1 : -1);
    if (to < 0 || to >= items.length) return;
    e.preventDefault();
    const column = Math.max(0, focusables(row).indexOf(target));
    virtualizer.scrollToIndex(to, { align: 'auto' });
    const move = (left: number) => {
      const next = focusables(scroller.current?.querySelector(`[data-index="${to}"]`) ?? null);
      const el = next[Math.min(column, next.length - 1)];
      if (el) el.focus();
      else if (left > 0) requestAnimationFrame(() => move(left - 1));
    };
    move(3);
  };

  return (
    <div ref={scroller} className={`vlist ${className ?? ''}`} onKeyDown={onKeyDown}>
      <div role="list" aria-label={label} className="vlist__sizer" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => (
          <div key={row.key} role="listitem" aria-setsize={total} aria-posinset={row.index + 1} data-index={row.index}
            className="vlist__row" style={{ transform: `translateY(${row.start}px)`, height: row.size }}>
            {renderItem(items[row.index]!, row.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
