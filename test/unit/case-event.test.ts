import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CaseEvent,
  canonicalJson,
  chainEvent,
  contentHash,
  genesisHash,
  verifyChain,
} from '#shared/domain/case-event';

/** The definition canonicalJson implements: JSON.stringify with every object's keys sorted. */
const sortedKeysJson = (value: unknown) =>
  JSON.stringify(value, (_key, member: unknown) =>
    member && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(
          Object.keys(member)
            .sort()
            .map((key) => [key, (member as Record<string, unknown>)[key]]),
        )
      : member,
  );

/** Integer-like keys: JavaScript objects list them first whatever the order they were added in. */
const hasIndexKey = (value: unknown): boolean =>
  Boolean(value) &&
  typeof value === 'object' &&
  Object.entries(value as object).some(
    ([key, member]) => (!Array.isArray(value) && /^(0|[1-9]\d*)$/.test(key)) || hasIndexKey(member),
  );

const joined = {
  type: 'COMPLAINT_JOINED',
  actor: { role: 'enterprise' },
  publicNote: 'Complaint received; it joined the open case about the same fee',
  data: { complaintId: 'c-2', amountFen: 120_000, note: undefined },
};

describe('canonicalJson', () => {
  it('writes what JSON.stringify writes with every object key sorted', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        fc.pre(!hasIndexKey(value));
        expect(canonicalJson(value)).toBe(sortedKeysJson(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('sorts integer-like keys as text, like any other key', () => {
    expect(canonicalJson({ b: 1, '10': 2, '9': 3 })).toBe('{"10":2,"9":3,"b":1}');
  });

  it('leaves out undefined members', () => {
    const text = canonicalJson({ b: 1, a: undefined, c: { d: undefined, e: [1, 'x'] } });

    expect(text).toBe('{"b":1,"c":{"e":[1,"x"]}}');
  });
});

describe('contentHash', () => {
  it('is the same for the same content in any key order', () => {
    const one = contentHash({ fee: { name: 'dues', amountFen: 5 }, facts: { compulsory: true } });
    const other = contentHash({ facts: { compulsory: true }, fee: { amountFen: 5, name: 'dues' } });

    expect(one).toBe(other);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('chainEvent', () => {
  it('hashes events exactly as the chains already stored were hashed', () => {
    // Fixed vector: a change of the canonical form would break every stored audit chain.
    const event = chainEvent(
      { caseId: 'case-1', eventSeq: 2, lastEventHash: 'a'.repeat(64) },
      joined,
      '2026-11-28T06:00:00.000Z',
    );

    expect(event.hash).toBe('e22d97b8da59cec23298b98a4eab68a1103a00cb96b41600f4ee56b1a1443924');
    expect(event).toMatchObject({ seq: 3, previousHash: 'a'.repeat(64) });
  });
});

describe('verifyChain', () => {
  const chain = (): CaseEvent[] => {
    const first = chainEvent(
      { caseId: 'case-1', eventSeq: 0, lastEventHash: genesisHash },
      { type: 'CASE_OPENED', actor: { role: 'enterprise' }, stage: 'RECEIVED' },
      '2026-11-28T05:00:00.000Z',
    );
    const second = chainEvent(
      { caseId: 'case-1', eventSeq: first.seq, lastEventHash: first.hash },
      joined,
      '2026-11-28T06:00:00.000Z',
    );
    return [first, second];
  };

  it('accepts an unbroken chain', () => {
    expect(verifyChain(chain())).toEqual({ intact: true, events: 2 });
  });

  it('names the altered event', () => {
    const [first, second] = chain() as [CaseEvent, CaseEvent];

    const verdict = verifyChain([first, { ...second, publicNote: 'edited' }]);

    expect(verdict).toEqual({ intact: false, brokenAtSeq: 2, reason: 'event altered' });
  });
});
