/**
 * The metrics aggregator: turns changes of cases and tasks into counter deltas and applies each
 * change's delta exactly once (the store records a marker for it in the same write).
 */
import type { RegisteredAssociation } from '#shared/domain/association';
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';
import { associationContribution } from '#shared/metrics/association-figures';
import {
  addCounters,
  type Counters,
  caseContribution,
  counterDelta,
  type ScopedCounters,
  taskContribution,
} from '#shared/metrics/counters';

/**
 * A case or a task as a change left it: what moves counters, read from storage by the adapters; and a
 * register entry, which moves none but refreshes what the figures say of its association.
 */
export type CountedItem =
  | { kind: 'case'; feeCase: FeeCase }
  | { kind: 'task'; task: FeeTask }
  | { kind: 'association'; association: RegisteredAssociation };

/** One change of a case or a task, as a stream delivers it; absent sides are absent or other items. */
export interface ItemChange {
  /** Unique and stable across redeliveries (the stream record's event id). */
  changeId: string;
  before?: CountedItem;
  after?: CountedItem;
}

export interface MetricsStore {
  /**
   * Adds `delta` (the sum of the changes' deltas) and records a marker for each change, all in one
   * write; if any of the changes was applied before, nothing is written and `duplicate` is returned.
   */
  applyOnce(changeIds: readonly string[], delta: ScopedCounters): Promise<'applied' | 'duplicate'>;
  /** How many counter items plus markers one write may hold. */
  readonly maxItemsPerWrite: number;
}

const contributionOf = (item: CountedItem | undefined): ScopedCounters => {
  switch (item?.kind) {
    case 'case':
      return { ...caseContribution(item.feeCase), ...associationContribution(item.feeCase) };
    case 'task':
      return taskContribution(item.task);
    default:
      return {};
  }
};

export const deltaOfChange = (change: ItemChange): ScopedCounters =>
  counterDelta(contributionOf(change.before), contributionOf(change.after));

export interface AggregationResult {
  /** Changes not applied yet: the caller reports them as partial batch failures. */
  failed: string[];
  /**
   * The campaign-wide (ALL scope) counters this call moved: changes applied before are not in it. A
   * write whose answer was lost comes back as a duplicate and is not in it either, so what is
   * published from it may undercount by such rare changes but never counts one twice; the stored
   * counters stay exact.
   */
  counted: Counters;
}

/**
 * Applies the changes and says which failed, so the caller can report partial batch failures; a
 * failed change is retried later and applied once then. Changes are written in
 * groups (one write per group, a marker per change), which keeps up with a busy stream; a group that
 * meets an already-applied change is retried change by change, so nothing counts twice.
 */
export const aggregateChanges = async (
  store: MetricsStore,
  changes: readonly ItemChange[],
  onFailure?: (changeId: string, error: unknown) => void,
): Promise<AggregationResult> => {
  const counted = changes
    .map((change) => ({ change, delta: deltaOfChange(change) }))
    .filter(({ delta }) => Object.keys(delta).length > 0);
  const groups: { ids: string[]; delta: ScopedCounters }[] = [];
  for (const { change, delta } of counted) {
    const group = groups.at(-1);
    const merged: ScopedCounters = structuredClone(group?.delta ?? {});
    addCounters(merged, delta);
    if (group && group.ids.length + 1 + Object.keys(merged).length <= store.maxItemsPerWrite) {
      group.ids.push(change.changeId);
      group.delta = merged;
    } else {
      groups.push({ ids: [change.changeId], delta: structuredClone(delta) });
    }
  }

  const failed: string[] = [];
  const moved: ScopedCounters = {};
  const applyAlone = async (changeId: string) => {
    const delta = counted.find(({ change }) => change.changeId === changeId)?.delta ?? {};
    try {
      if ((await store.applyOnce([changeId], delta)) === 'applied')
        addCounters(moved, { ALL: delta.ALL ?? {} });
    } catch (error) {
      onFailure?.(changeId, error);
      failed.push(changeId);
    }
  };
  for (const group of groups) {
    // After one failure, later changes are left for the retry too, keeping each shard's order.
    if (failed.length > 0) {
      failed.push(...group.ids);
      continue;
    }
    let outcome: 'applied' | 'duplicate' | 'failed';
    try {
      outcome = await store.applyOnce(group.ids, group.delta);
    } catch {
      outcome = 'failed';
    }
    if (outcome === 'applied') {
      addCounters(moved, { ALL: group.delta.ALL ?? {} });
      continue;
    }
    if (outcome === 'duplicate' && group.ids.length === 1) continue;
    for (const changeId of group.ids) {
      if (failed.length > 0) failed.push(changeId);
      else await applyAlone(changeId);
    }
  }
  return { failed, counted: moved.ALL ?? {} };
};
