/**
 * The metrics aggregator: turns changes of cases and tasks into counter deltas and applies each
 * change's delta exactly once (the store records a marker for it in the same write).
 */
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';
import {
  caseContribution,
  counterDelta,
  type ScopedCounters,
  taskContribution,
} from '#shared/metrics/counters';

/** One change of an item, as a stream delivers it. */
export interface ItemChange {
  /** Unique and stable across redeliveries (the stream record's event id). */
  changeId: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export interface MetricsStore {
  /** Adds `delta` unless this change was applied before; both happen together or not at all. */
  applyOnce(changeId: string, delta: ScopedCounters): Promise<'applied' | 'duplicate'>;
}

const contributionOf = (image: Record<string, unknown> | undefined): ScopedCounters => {
  switch (image?.entity) {
    case 'FeeCase':
      return caseContribution(image as unknown as FeeCase);
    case 'Task':
      return taskContribution(image as unknown as FeeTask);
    default:
      return {};
  }
};

export const deltaOfChange = (change: ItemChange): ScopedCounters =>
  counterDelta(contributionOf(change.before), contributionOf(change.after));

/** The entities whose changes move counters; a stream filter can drop every other record early. */
export const countedEntities = ['FeeCase', 'Task'] as const;

/**
 * Applies the changes in order and returns the ids of those that failed, so the caller can report
 * partial batch failures; a failed change is retried later and applied once then.
 */
export const aggregateChanges = async (
  store: MetricsStore,
  changes: readonly ItemChange[],
  onFailure?: (changeId: string, error: unknown) => void,
): Promise<string[]> => {
  const failed: string[] = [];
  for (const change of changes) {
    // After one failure, later changes are left for the retry too, keeping each shard's order.
    if (failed.length > 0) {
      failed.push(change.changeId);
      continue;
    }
    const delta = deltaOfChange(change);
    if (Object.keys(delta).length === 0) continue;
    try {
      await store.applyOnce(change.changeId, delta);
    } catch (error) {
      onFailure?.(change.changeId, error);
      failed.push(change.changeId);
    }
  }
  return failed;
};
