/**
 * The regulator's review decision as a message: which verdicts must name the rules they rest on.
 * Whether the rules exist in the case's rulebook is checked on completion (test/workflow).
 */
import { describe, expect, it } from 'vitest';
import { ReviewDecision } from '#shared/tasks/messages';

const reason = 'Checked against the rulebook';

const refusedPaths = (body: unknown) => {
  const result = ReviewDecision.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('ReviewDecision', () => {
  // biome-ignore format: a table
  it.each([
    ['REGULATED without actions (no rule matched, nothing to order)', { verdict: 'REGULATED', ruleIds: [], reason }],
    ['DISMISSED',                                                      { verdict: 'DISMISSED', ruleIds: [], reason }],
    ['NEEDS_INFO',                                                     { verdict: 'NEEDS_INFO', ruleIds: [], reason }],
  ])('takes %s without rules', (_what, body) => {
    // Act
    const paths = refusedPaths(body);

    // Assert
    expect(paths).toEqual([]);
  });

  // biome-ignore format: a table
  it.each([
    ['UNLAWFUL',               { verdict: 'UNLAWFUL', ruleIds: [], reason, actions: ['ABOLISH'] }],
    ['REGULATED with actions', { verdict: 'REGULATED', ruleIds: [], reason, actions: ['PUBLISH_STANDARD'] }],
  ])('refuses %s without rules, naming ruleIds', (_what, body) => {
    // Act
    const paths = refusedPaths(body);

    // Assert
    expect(paths).toEqual(['ruleIds']);
  });
});
