/**
 * The complainant's timeline carries each event as its type and the values it shows, never a sentence:
 * clients render it in their language, for events written before and after the change alike.
 */
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#shared/domain/case-event';
import { publicTimeline } from '#shared/read-complaints/read-complaints';

let seq = 0;
const event = (fields: Partial<CaseEvent> & Pick<CaseEvent, 'type'>): CaseEvent => {
  seq += 1;
  return {
    actor: { role: 'workflow' },
    caseId: 'case-1',
    seq,
    at: `2026-06-0${seq}T08:00:00.000Z`,
    previousHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...fields,
  };
};

describe('publicTimeline', () => {
  it('shows an order as its type with the days to rectify and the due date', () => {
    // Arrange
    const order = event({
      type: 'ORDER_ISSUED',
      data: { actions: ['ABOLISH'], rectificationDays: 30, dueAt: '2026-07-01T08:00:00.000Z' },
    });

    // Act
    const timeline = publicTimeline([order]);

    // Assert
    expect(timeline).toEqual([
      {
        at: order.at,
        stage: 'RECEIVED',
        type: 'ORDER_ISSUED',
        params: { rectificationDays: 30, dueAt: '2026-07-01T08:00:00.000Z' },
      },
    ]);
  });

  it('reads an event written with an English note as it reads a new one', () => {
    // Arrange
    const written = event({
      type: 'CASE_CLOSED',
      stage: 'CLOSED',
      publicNote: 'Closed: abolished',
      data: { outcome: 'ABOLISHED', verdict: 'UNLAWFUL', refundedFen: 0, reducedAnnualFen: 0 },
    });

    // Act
    const timeline = publicTimeline([written]);

    // Assert
    expect(timeline).toEqual([
      { at: written.at, stage: 'CLOSED', type: 'CASE_CLOSED', params: { outcome: 'ABOLISHED' } },
    ]);
  });

  it('shows no data an event does not show the complainant', () => {
    // Arrange
    const decided = event({
      type: 'REVIEW_DECIDED',
      actor: { role: 'regulator', subject: 'reg-1' },
      data: { taskId: 't-1', verdict: 'UNLAWFUL', ruleIds: ['R01'], actions: ['ABOLISH'] },
    });

    // Act
    const timeline = publicTimeline([decided]);

    // Assert
    expect(timeline[0]?.params).toEqual({ verdict: 'UNLAWFUL' });
  });

  it('leaves out the events meant for regulators only, keeping the stage they moved to', () => {
    // Arrange
    const events = [
      event({ type: 'CASE_OPENED', stage: 'RECEIVED', data: { complaintId: 'c-1', amountFen: 100 } }),
      event({ type: 'TASK_ESCALATED', data: { taskId: 't-1', kind: 'REVIEW', fromProvince: '11' } }),
      event({ type: 'ATTENTION_NEEDED', data: { error: 'internal' } }),
      // Which official looked at which evidence is for the audit, not the complainant.
      event({ type: 'EVIDENCE_VIEWED', data: { fileId: 'f-1', purpose: 'COMPLAINT', party: 'ENTERPRISE' } }),
      event({ type: 'TASK_OPENED', stage: 'UNDER_REVIEW', data: { taskId: 't-2', kind: 'REVIEW' } }),
    ];

    // Act
    const timeline = publicTimeline(events);

    // Assert
    expect(timeline.map((entry) => [entry.type, entry.stage, entry.params])).toEqual([
      ['CASE_OPENED', 'RECEIVED', undefined],
      ['TASK_OPENED', 'UNDER_REVIEW', { kind: 'REVIEW' }],
    ]);
  });
});

describe('publicTimeline with four eyes', () => {
  it('shows a decision confirmed by a second regulator as the decision, with its verdict', () => {
    // Arrange
    const proposed = event({
      type: 'REVIEW_PROPOSED',
      data: { taskId: 'case-1.review.1', verdict: 'UNLAWFUL' },
    });
    const confirmed = event({
      type: 'SECOND_REVIEW_DECIDED',
      data: { taskId: 'case-1.second_review.1', confirmed: true, verdict: 'UNLAWFUL' },
    });

    // Act
    const timeline = publicTimeline([proposed, confirmed]);

    // Assert
    expect(timeline).toEqual([
      { at: confirmed.at, stage: 'RECEIVED', type: 'REVIEW_DECIDED', params: { verdict: 'UNLAWFUL' } },
    ]);
  });

  it('keeps a refused second review, like the proposal it refuses, off the timeline', () => {
    // Arrange
    const refused = event({
      type: 'SECOND_REVIEW_DECIDED',
      data: { taskId: 'case-1.second_review.1', confirmed: false },
    });

    // Act
    const timeline = publicTimeline([refused]);

    // Assert
    expect(timeline).toEqual([]);
  });
});
