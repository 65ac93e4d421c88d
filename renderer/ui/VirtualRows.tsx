import { Fragment, useRef, type CSSProperties, type Key, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/**
 * A scroll container that renders only the visible rows of a fixed-row-height list.
 * `renderRow` gets the row's absolute-position style and must put it on its outermost element.
 * `empty` is shown above the (then zero-height) rows when there are no items. The container is a
 * `role="list"` unless told otherwise; rows are rendered 8 beyond the viewport unless told otherwise.
 */
export function VirtualRows<T>(props: {
  items: readonly T[];
  rowHeight: number;
  getKey: (item: T) => Key;
  renderRow: (item: T, style: CSSProperties) => ReactNode;
  empty?: ReactNode;
  overscan?: number;
  className: string;
  role?: string;
  ariaLabel?: string;
  testId?: string;
}) {
  const { items, rowHeight, getKey } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => {
      const item = items[index];
      return item === undefined ? index : getKey(item);
    },
    overscan: props.overscan ?? 8,
  });

  return (
    <div
      className={props.className}
      ref={scrollRef}
      role={props.role ?? 'list'}
      aria-label={props.ariaLabel}
      data-testid={props.testId}
    >
      {items.length === 0 ? props.empty : null}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (item === undefined) return null;
          return (
            <Fragment key={row.key}>
              {props.renderRow(item, {
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: rowHeight,
                transform: `translateY(${row.start}px)`,
              })}
            </Fragment>
          );
        })}
      </div>
    </div>
  );
}
