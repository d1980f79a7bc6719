/**
 * Sorting for the zoo table (browser): each column header becomes a button that sorts the rows by
 * that column (ascending, then descending on a second press), announced through `aria-sort`.
 * Empty cells ("—", "n/a") stay at the bottom whichever way the column is sorted.
 */

export type SortDirection = 'ascending' | 'descending';

/** A cell's sort key: a number, a text, or nothing (sorts last). */
export type SortKey = number | string | undefined;

/** Reads a `data-sort` attribute: numbers as numbers, "" as nothing. */
export function sortKey(raw: string | undefined, numeric: boolean): SortKey {
  if (raw === undefined || raw === '') return undefined;
  if (!numeric) return raw;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The order of rows sorted by `keys` (stable: ties keep the original order), empty keys last in
 * either direction.
 */
export function sortedOrder(keys: readonly SortKey[], direction: SortDirection): number[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return keys
    .map((k, i) => ({ k, i }))
    .sort((a, b) => {
      if (a.k === undefined || b.k === undefined) return a.k === b.k ? a.i - b.i : a.k === undefined ? 1 : -1;
      const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.i);
}

/** Turns the headers of `root`'s table into sort buttons. */
export function mountZooTable(root: HTMLElement): void {
  const table = root.querySelector('table');
  const body = table?.tBodies[0];
  if (!table || !body) throw new Error('The zoo table is missing from the page.');
  const headers = [...table.querySelectorAll<HTMLTableCellElement>('thead th[data-col]')];
  const status = document.createElement('p');
  status.className = 'sr-only';
  status.setAttribute('role', 'status');
  root.append(status);
  headers.forEach((th, col) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'zoo-sort';
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener('click', () => {
      const direction: SortDirection = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      const rows = [...body.rows];
      const numeric = th.dataset.sortType === 'number';
      const keys = rows.map((r) => sortKey(r.cells[col]?.dataset.sort, numeric));
      body.append(...sortedOrder(keys, direction).map((i) => rows[i]!));
      for (const h of headers) h.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', direction);
      status.textContent = `Sorted by ${button.textContent?.trim() ?? ''}, ${direction}.`;
    });
  });
}
