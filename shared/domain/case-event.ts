/**
 * The append-only audit trail of a case. Each event carries the hash of the one before it, so a
 * changed or deleted event breaks the chain and the verifier says where.
 */
import { hash } from 'node:crypto';
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

/** Characters JSON.stringify escapes in a string (lone surrogates included); other strings are quoted as they are. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const escapedInJson = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON with sorted keys, so the same event always hashes the same: what `JSON.stringify` writes with
 * every object's keys in code-unit order and its undefined members left out. Hand-written because it
 * runs twice on every filing (request hash and event hash).
 */
export const canonicalJson = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
      return escapedInJson.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? arrayJson(value) : objectJson(value as Record<string, unknown>);
    default:
      return JSON.stringify(value);
  }
};

const arrayJson = (items: readonly unknown[]): string => {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    // As `join` writes them: a missing element is empty.
    out += canonicalJson(items[i]) ?? '';
  }
  return `${out}]`;
};

const objectJson = (record: Record<string, unknown>): string => {
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${canonicalJson(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
};

/** SHA-256 (hex) of the canonical JSON of `value`: equal for equal content, whatever the key order. */
export const contentHash = (value: unknown): string => hash('sha256', canonicalJson(value), 'hex');

const hashOf = (event: Omit<CaseEvent, 'hash'>): string => contentHash(event);

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
