import type { SweepStore } from './store';

/**
 * The cells one run claims in a sweep store (`SweepStore.claim`, an exclusive `.claim` file): those it holds, those
 * another live run holds (left to it: `elsewhere`), and those another run finished meanwhile. `releaseAll`, in a
 * `finally`, frees what an interrupted run still holds, so that a rerun in the same process (a notebook kernel, whose
 * pid stays alive) does not take them for another run's.
 */
export class CellClaims {
  /** Cells left to another live run that had claimed them. */
  readonly elsewhere: string[] = [];
  /** Cells another run finished between this run's listing and its claim. */
  finishedMeanwhile = 0;
  private readonly held = new Set<string>();

  constructor(private readonly store: SweepStore) {}

  /** Claims a cell for this run; false when another run finished it or holds it. */
  take(cellId: string): boolean {
    if (this.store.claim(cellId)) {
      this.held.add(cellId);
      return true;
    }
    if (this.store.finishedCellIds().has(cellId)) this.finishedMeanwhile++;
    else this.elsewhere.push(cellId);
    return false;
  }

  release(cellId: string): void {
    this.store.release(cellId);
    this.held.delete(cellId);
  }

  releaseAll(): void {
    for (const id of this.held) this.store.release(id);
    this.held.clear();
  }
}
