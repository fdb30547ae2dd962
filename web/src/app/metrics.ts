/**
 * `console-interactive`: a User Timing mark set once, when the first screen of a page load is
 * rendered with its data and its handlers attached (the browser test reads it).
 */
let marked = false;
export function markInteractive(): void {
  if (marked) return;
  marked = true;
  performance.mark('console-interactive');
}
