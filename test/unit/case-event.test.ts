import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import {
  type CaseEvent,
  canonicalJson,
  chainEvent,
  contentHash,
  genesisHash,
  unkeyedLinkOf,
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

/** A fixed key (bytes 0x00..0x1f), so links are fixed vectors. */
const seal = new LocalKeyAuditSeal(Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'));
const otherKey = new LocalKeyAuditSeal(Buffer.alloc(32, 7).toString('base64'));
const joinedAt = '2026-11-28T06:00:00.000Z';

describe('chainEvent', () => {
  it('links an event by the HMAC-SHA256 of the SHA-256 of its canonical JSON, scheme named', async () => {
    // Fixed vector, computed with openssl: a change of the canonical form or the link would break every chain.
    const event = await chainEvent(
      { caseId: 'case-1', eventSeq: 2, lastEventHash: 'a'.repeat(64) },
      joined,
      joinedAt,
      seal,
    );

    expect(event.hash).toBe('f006b45def12a2af89510b25346cf53868fc530f68a0f91ed124bae6f476ac04');
    expect(event).toMatchObject({ seq: 3, previousHash: 'a'.repeat(64), link: 'hmac-sha256' });
  });

  it('makes a different link with a different key', async () => {
    const head = { caseId: 'case-1', eventSeq: 2, lastEventHash: 'a'.repeat(64) };

    const [mine, theirs] = await Promise.all([
      chainEvent(head, joined, joinedAt, seal),
      chainEvent(head, joined, joinedAt, otherKey),
    ]);

    expect(theirs.hash).not.toBe(mine.hash);
  });
});

describe('legacy links', () => {
  it('hashes events exactly as the chains already stored were hashed', () => {
    // Fixed vector: events written before the chain was keyed must still verify.
    const unlinked = {
      ...joined,
      caseId: 'case-1',
      seq: 3,
      at: joinedAt,
      previousHash: 'a'.repeat(64),
    };

    expect(unkeyedLinkOf(unlinked)).toBe('e22d97b8da59cec23298b98a4eab68a1103a00cb96b41600f4ee56b1a1443924');
  });
});

/** A chain as written before the chain was keyed: plain SHA-256 links, no scheme. */
const legacyChain = (caseId: string, count: number): CaseEvent[] => {
  const events: CaseEvent[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const unlinked = {
      type: 'NOTE',
      actor: { role: 'regulator' },
      caseId,
      seq,
      at: `2026-01-0${seq}T00:00:00.000Z`,
      previousHash: events.at(-1)?.hash ?? genesisHash,
    };
    events.push({ ...unlinked, hash: unkeyedLinkOf(unlinked) });
  }
  return events;
};

const extend = async (events: CaseEvent[], count: number, key = seal): Promise<CaseEvent[]> => {
  const chain = [...events];
  for (let i = 0; i < count; i++) {
    const last = chain.at(-1);
    chain.push(
      await chainEvent(
        { caseId: 'case-1', eventSeq: last?.seq ?? 0, lastEventHash: last?.hash ?? genesisHash },
        joined,
        `2026-11-28T0${chain.length}:00:00.000Z`,
        key,
      ),
    );
  }
  return chain;
};

describe('verifyChain', () => {
  it('accepts an unbroken keyed chain', async () => {
    const chain = await extend([], 3);

    const verdict = await verifyChain(chain, seal, { lastLink: chain[2]?.hash });

    expect(verdict).toEqual({ intact: true, events: 3 });
  });

  it('names the altered event', async () => {
    const [first, second, third] = (await extend([], 3)) as [CaseEvent, CaseEvent, CaseEvent];

    const verdict = await verifyChain([first, { ...second, publicNote: 'edited' }, third], seal);

    expect(verdict).toEqual({ intact: false, brokenAtSeq: 2, reason: 'event altered' });
  });

  it('refuses a chain rebuilt with another key', async () => {
    const forged = await extend([], 3, otherKey);

    const verdict = await verifyChain(forged, seal, { lastLink: forged[2]?.hash });

    expect(verdict).toEqual({ intact: false, brokenAtSeq: 1, reason: 'event altered' });
  });

  it('reports a legacy prefix as unkeyed, without failing it', async () => {
    const chain = await extend(legacyChain('case-1', 2), 2);

    const verdict = await verifyChain(chain, seal, { lastLink: chain[3]?.hash });

    expect(verdict).toEqual({ intact: true, events: 4, unkeyedEvents: 2 });
  });

  it('refuses an unkeyed event after keyed ones', async () => {
    const keyed = await extend([], 2);
    const unlinked = {
      type: 'NOTE',
      actor: { role: 'regulator' },
      caseId: 'case-1',
      seq: 3,
      at: '2026-11-28T05:00:00.000Z',
      previousHash: keyed[1]?.hash as string,
    };
    const chain = [...keyed, { ...unlinked, hash: unkeyedLinkOf(unlinked) }];

    const verdict = await verifyChain(chain, seal, { lastLink: chain[2]?.hash });

    expect(verdict).toEqual({ intact: false, brokenAtSeq: 3, reason: 'unkeyed event after keyed ones' });
  });

  it('refuses a link scheme it does not know', async () => {
    const [first] = (await extend([], 1)) as [CaseEvent];

    const verdict = await verifyChain([{ ...first, link: 'md5' as 'hmac-sha256' }], seal);

    expect(verdict).toEqual({ intact: false, brokenAtSeq: 1, reason: 'unknown link scheme' });
  });

  it('counts the events an anchored head covers', async () => {
    const chain = await extend([], 3);

    const verdict = await verifyChain(chain, seal, {
      lastLink: chain[2]?.hash,
      anchoredHeads: [{ seq: 2, link: chain[1]?.hash as string }],
    });

    expect(verdict).toEqual({ intact: true, events: 3, anchoredEvents: 2 });
  });

  it('detects latest events dropped and the chain re-anchored in the table, by the anchored head', async () => {
    const chain = await extend([], 4);
    const truncated = chain.slice(0, 2);

    const verdict = await verifyChain(truncated, seal, {
      lastLink: truncated[1]?.hash,
      anchoredHeads: [{ seq: 4, link: chain[3]?.hash as string }],
    });

    expect(verdict).toEqual({ intact: false, brokenAtSeq: 3, reason: 'anchored events missing' });
  });

  it('detects an anchored event whose link is no longer the anchored one', async () => {
    const chain = await extend([], 2);

    const verdict = await verifyChain(chain, seal, { anchoredHeads: [{ seq: 2, link: 'f'.repeat(64) }] });

    expect(verdict).toEqual({ intact: false, brokenAtSeq: 2, reason: 'event differs from its anchor' });
  });
});
