/** The ASL file itself: valid, JSONPath only, and every task guarded as docs/workflow.md requires. */
import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { feeCaseWorkflow } from '#infra/system';

interface State {
  Type: string;
  Resource?: string;
  Parameters?: { Payload?: Record<string, unknown> };
  Retry?: {
    ErrorEquals: string[];
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
    BackoffRate?: number;
  }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
}

const text = readFileSync(feeCaseWorkflow.definition, 'utf8');
const definition = JSON.parse(text) as {
  StartAt: string;
  QueryLanguage?: string;
  States: Record<string, State>;
};
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === 'Task');
const callbacks = tasks.filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'));

describe('workflows/fee-case.asl.json', () => {
  it('is valid Amazon States Language', () => {
    const result = aslValidator(structuredClone(definition));

    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only: no JSONata, no Assign', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toMatch(/"(Assign|Arguments|Output)"\s*:/);
    expect(text).not.toContain('{%');
  });

  it('gives every task a retry with backoff, a delay ceiling and jitter', () => {
    for (const [name, state] of tasks) {
      const retry = state.Retry?.[0];
      expect(retry, name).toBeDefined();
      expect(retry?.MaxDelaySeconds, name).toBeGreaterThan(0);
      expect(retry?.BackoffRate, name).toBeGreaterThan(1);
      expect(retry?.JitterStrategy, name).toBe('FULL');
    }
  });

  it('gives every task a catch-all that ends in the attention flag', () => {
    for (const [name, state] of tasks) {
      const catchAll = state.Catch?.find((handler) => handler.ErrorEquals.includes('States.ALL'));
      expect(catchAll?.Next, name).toMatch(/^(FlagAttention|NeedsAttention)$/);
    }
  });

  it('waits on every callback until its due date and at most a heartbeat, checks on timeout and waits again', () => {
    expect(callbacks.map(([name]) => name)).toEqual([
      'AwaitReview',
      'AwaitSecondReview',
      'AwaitInfo',
      'AwaitRectification',
      'AwaitVerification',
    ]);
    for (const [name, state] of callbacks) {
      const schedule = name.replace(/^Await/, 'Schedule');
      expect(state.TimeoutSecondsPath, name).toBe('$.due.seconds');
      expect(state.HeartbeatSeconds ?? state.HeartbeatSecondsPath, name).toBeDefined();
      const onTimeout = state.Catch?.find((handler) => handler.ErrorEquals.includes('States.Timeout'));
      expect(onTimeout?.Next, name).toMatch(/^Check\w+Deadline$/);
      expect(definition.States[onTimeout?.Next ?? '']?.Next, name).toBe(schedule);
      expect(definition.States[schedule]?.Parameters?.Payload?.step, schedule).toBe('secondsUntilDue');
      expect(definition.States[schedule]?.Next, schedule).toBe(name);
    }
  });

  it('passes IDs, never complaint documents or contact data, to the steps', () => {
    for (const [name, state] of tasks) {
      const payload = JSON.stringify(state.Parameters?.Payload ?? {});
      expect(payload, name).not.toMatch(/contact|phone|email|description|enterprise/i);
      expect(state.Parameters?.Payload?.['caseId.$'], name).toBe('$.caseId');
    }
  });

  it('enters every wait through the step that times it', () => {
    const entries = Object.entries(definition.States).flatMap(([name, state]) =>
      [state.Next, state.Default, ...(state.Choices ?? []).map((choice) => choice.Next)]
        .filter((next): next is string => next?.startsWith('Await') ?? false)
        .map((next) => `${name} -> ${next}`),
    );

    expect(entries.sort()).toEqual([
      'ScheduleInfo -> AwaitInfo',
      'ScheduleRectification -> AwaitRectification',
      'ScheduleReview -> AwaitReview',
      'ScheduleSecondReview -> AwaitSecondReview',
      'ScheduleVerification -> AwaitVerification',
    ]);
  });

  it('sends an UNLAWFUL decision that needs four eyes to the second review, and its answer to the order or a new review', () => {
    const [first] = definition.States.RouteVerdict?.Choices ?? [];
    const route = definition.States.RouteSecondReview;

    expect(first?.Next).toBe('ScheduleSecondReview');
    expect(definition.States.AwaitSecondReview?.Next).toBe('RouteSecondReview');
    expect(route?.Choices?.map((choice) => choice.Next)).toEqual(['IssueOrder']);
    expect(route?.Default).toBe('ScheduleReview');
  });

  it('routes a resumed case to every waiting state, and a new one to classification', () => {
    const resume = definition.States.ResumePoint;

    expect(resume?.Default).toBe('Classify');
    expect(resume?.Choices?.map((choice) => choice.Next)).toEqual(
      expect.arrayContaining([
        'ScheduleReview',
        'ScheduleSecondReview',
        'ScheduleInfo',
        'ScheduleRectification',
        'ScheduleVerification',
        'RecordOutcome',
      ]),
    );
  });

  it('names every substitution the system description fills in', () => {
    const placeholders = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
    const provided = new Set([
      ...Object.keys(feeCaseWorkflow.settings),
      ...Object.keys(feeCaseWorkflow.functionArns),
    ]);

    expect([...placeholders].sort()).toEqual([...provided].sort());
  });
});
