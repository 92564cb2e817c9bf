/**
 * The append-only audit trail of a case. Each event carries the hash of the one before it, so a
 * changed or deleted event breaks the chain and the verifier says where.
 */
import { createHash } from 'node:crypto';
import type { Stage } from '#shared/domain/fee-case';

export const genesisHash = '0'.repeat(64);

export interface CaseEventDraft {
  type: string;
  /** Who acted: a role and an opaque subject, never a complainant's name or contact. */
  actor: { role: string; subject?: string };
  /** Stage after the event, when it moved the case. */
  stage?: Stage;
  /** Shown on the complainant's public timeline. */
  publicNote?: string;
  data?: Record<string, unknown>;
}

export interface CaseEvent extends CaseEventDraft {
  caseId: string;
  seq: number;
  at: string;
  previousHash: string;
  hash: string;
}

/** JSON with sorted keys, so the same event always hashes the same. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

const hashOf = (event: Omit<CaseEvent, 'hash'>): string =>
  createHash('sha256').update(canonicalJson(event)).digest('hex');

export const chainEvent = (
  previous: { caseId: string; eventSeq: number; lastEventHash: string },
  draft: CaseEventDraft,
  at: string,
): CaseEvent => {
  const unhashed = {
    ...draft,
    caseId: previous.caseId,
    seq: previous.eventSeq + 1,
    at,
    previousHash: previous.lastEventHash,
  };
  return { ...unhashed, hash: hashOf(unhashed) };
};

export type ChainVerdict =
  | { intact: true; events: number }
  | { intact: false; brokenAtSeq: number; reason: string };

/** Checks that events 1..n are all present, in order, unaltered and linked. */
export const verifyChain = (events: readonly CaseEvent[], expectedLastHash?: string): ChainVerdict => {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  let previousHash = genesisHash;
  for (const [index, event] of sorted.entries()) {
    if (event.seq !== index + 1) return { intact: false, brokenAtSeq: index + 1, reason: 'event missing' };
    if (event.previousHash !== previousHash)
      return { intact: false, brokenAtSeq: event.seq, reason: 'link broken' };
    const { hash, ...unhashed } = event;
    if (hashOf(unhashed) !== hash) return { intact: false, brokenAtSeq: event.seq, reason: 'event altered' };
    previousHash = hash;
  }
  if (expectedLastHash !== undefined && previousHash !== expectedLastHash) {
    return { intact: false, brokenAtSeq: sorted.length + 1, reason: 'latest events missing' };
  }
  return { intact: true, events: sorted.length };
};
