/**
 * The append-only audit trail of a case. Each event carries the link of the one before it, and its own
 * link is an HMAC-SHA256 with a key only the writers hold: a changed, deleted or rebuilt event breaks
 * the chain and the verifier says where, and nobody without the key can forge a chain that verifies.
 * Events written before the chain was keyed carry a plain SHA-256 link; they still verify, as an
 * unkeyed prefix that is reported as such.
 */
import { hash } from 'node:crypto';
import type { Stage } from '#shared/domain/fee-case';

export const genesisHash = '0'.repeat(64);

/** The link scheme of keyed events; events without a scheme are the plain SHA-256 of before. */
export const keyedLink = 'hmac-sha256';

/** The audit chain's key: a KMS HMAC key on AWS, a key under the local data folder otherwise. */
export interface AuditSeal {
  /** HMAC-SHA256 of the bytes, in hex. */
  mac(bytes: Uint8Array): Promise<string>;
  verify(bytes: Uint8Array, mac: string): Promise<boolean>;
}

export interface CaseEventDraft {
  type: string;
  /** Who acted: a role and an opaque subject, never a complainant's name or contact. */
  actor: { role: string; subject?: string };
  /** Stage after the event, when it moved the case. */
  stage?: Stage;
  /** What happened in detail; the complainant's timeline shows some of it (`shared/domain/timeline.ts`). */
  data?: Record<string, unknown>;
}

export interface CaseEvent extends CaseEventDraft {
  /**
   * An English sentence for the timeline, on events written before the timeline was rendered from the
   * type and data; kept because the link covers it.
   */
  publicNote?: string;
  caseId: string;
  seq: number;
  at: string;
  previousHash: string;
  /** How `hash` was made; absent on events written before the chain was keyed. */
  link?: typeof keyedLink;
  /** The event's link: its HMAC (keyed events) or its SHA-256 (earlier ones), in hex. */
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

/**
 * What a link covers: the SHA-256 of the event's canonical JSON without its own link. An unkeyed link
 * is this digest; a keyed link is its HMAC (KMS GenerateMac takes at most 4096 bytes, while an event
 * with a long reason or much evidence is larger).
 */
const digestOf = (unlinked: object): Buffer => hash('sha256', canonicalJson(unlinked), 'buffer');

/** The keyed link of any event of a chain (the cases' trails, the accounts' trail): the HMAC of its digest. */
export const keyedLinkOf = (unlinked: object, seal: AuditSeal): Promise<string> =>
  seal.mac(digestOf(unlinked));

export const chainEvent = async (
  previous: { caseId: string; eventSeq: number; lastEventHash: string },
  draft: CaseEventDraft,
  at: string,
  seal: AuditSeal,
): Promise<CaseEvent> => {
  const unlinked = {
    ...draft,
    caseId: previous.caseId,
    seq: previous.eventSeq + 1,
    at,
    previousHash: previous.lastEventHash,
    link: keyedLink,
  } as const;
  return { ...unlinked, hash: await keyedLinkOf(unlinked, seal) };
};

/** A link as events were linked before the chain was keyed: readable, not tamper-evident. */
export const unkeyedLinkOf = (unlinked: Omit<CaseEvent, 'hash'>): string =>
  digestOf(unlinked).toString('hex');

export type ChainVerdict =
  | {
      intact: true;
      events: number;
      /** Events before the chain was keyed (a prefix): anyone could have rewritten those. */
      unkeyedEvents?: number;
      /** Events covered by a head anchored outside the table. */
      anchoredEvents?: number;
    }
  | { intact: false; brokenAtSeq: number; reason: string };

export interface ChainExpectations {
  /** The link the case item records for its latest event. */
  lastLink?: string | undefined;
  /** Heads of this chain anchored outside the table: each must still be there, unchanged. */
  anchoredHeads?: readonly { seq: number; link: string }[];
}

const broken = (brokenAtSeq: number, reason: string): ChainVerdict => ({
  intact: false,
  brokenAtSeq,
  reason,
});

/**
 * Checks that events 1..n are all present, in order, linked, each link made with the key (or, for a
 * prefix written before the chain was keyed, the plain hash), ending at the link the case item records
 * and passing through every head anchored outside the table. Reports the first event that fails.
 */
export const verifyChain = async (
  events: readonly CaseEvent[],
  seal: AuditSeal,
  expected: ChainExpectations = {},
): Promise<ChainVerdict> => {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  let previousHash = genesisHash;
  let unkeyed = 0;
  let structural: ChainVerdict | undefined;
  // The keys are checked together (on AWS each is a KMS call); the first failure in order is reported.
  const macChecks: Promise<number | undefined>[] = [];
  for (const [index, event] of sorted.entries()) {
    const seq = index + 1;
    if (event.seq !== seq) {
      structural = broken(seq, 'event missing');
      break;
    }
    if (event.previousHash !== previousHash) {
      structural = broken(seq, 'link broken');
      break;
    }
    const { hash: link, ...unlinked } = event;
    if (event.link === keyedLink) {
      macChecks.push(seal.verify(digestOf(unlinked), link).then((valid) => (valid ? undefined : seq)));
    } else if (event.link !== undefined) {
      structural = broken(seq, 'unknown link scheme');
      break;
    } else if (unkeyed < index) {
      // Keyed events are never followed by unkeyed ones: that is a rewrite without the key.
      structural = broken(seq, 'unkeyed event after keyed ones');
      break;
    } else if (unkeyedLinkOf(unlinked) !== link) {
      structural = broken(seq, 'event altered');
      break;
    } else {
      unkeyed += 1;
    }
    previousHash = link;
  }
  const altered = (await Promise.all(macChecks)).find((seq) => seq !== undefined);
  if (altered !== undefined) return broken(altered, 'event altered');
  if (structural) return structural;
  if (expected.lastLink !== undefined && previousHash !== expected.lastLink) {
    return broken(sorted.length + 1, 'latest events missing');
  }
  const anchored = [...(expected.anchoredHeads ?? [])].sort((a, b) => a.seq - b.seq);
  for (const head of anchored) {
    const event = sorted[head.seq - 1];
    if (!event) return broken(sorted.length + 1, 'anchored events missing');
    if (event.hash !== head.link) return broken(head.seq, 'event differs from its anchor');
  }
  const anchoredEvents = anchored.at(-1)?.seq;
  return {
    intact: true,
    events: sorted.length,
    ...(unkeyed > 0 ? { unkeyedEvents: unkeyed } : {}),
    ...(anchoredEvents !== undefined ? { anchoredEvents } : {}),
  };
};
