import { useState } from 'react';
import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';

/**
 * Server-side paging over an API cursor: page n is fetched with the `nextCursor` of page n-1;
 * the pagination is open-ended until the last page (no `nextCursor`) is seen.
 */
export function useCursorPages<T>(key: QueryKey, fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: [...key, 'page', cursors[page - 1] ?? ''],
    queryFn: async () => {
      const result = await fetchPage(cursors[page - 1]);
      if (result.nextCursor) {
        setCursors((all) => (all.length === page ? [...all, result.nextCursor] : all));
      }
      return result;
    },
    placeholderData: keepPreviousData,
  });
  const lastKnown = !query.data?.nextCursor && cursors.length === page;
  return {
    query,
    items: query.data?.items ?? [],
    paginationProps: {
      currentPageIndex: page,
      pagesCount: cursors.length,
      openEnd: !lastKnown,
      onChange: (e: { detail: { currentPageIndex: number } }) => setPage(e.detail.currentPageIndex),
      onNextPageClick: (e: { detail: { requestedPageAvailable: boolean; requestedPageIndex: number } }) => {
        if (e.detail.requestedPageAvailable) setPage(e.detail.requestedPageIndex);
      },
      ariaLabels: { nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n: number) => `Page ${n}` },
    },
    /** Back to page 1 (a filter changed). */
    reset: () => {
      setCursors([undefined]);
      setPage(1);
    },
  };
}

/** `2026-11-30` (a DatePicker value) as the start of that UTC day, or undefined. */
export function dayStart(day: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : undefined;
}

/** The start of the UTC day after `day`: an exclusive `to` that includes the whole day. */
export function dayAfter(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}
