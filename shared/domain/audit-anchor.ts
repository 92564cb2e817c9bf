/**
 * Anchors of the audit chains, kept outside the table: each anchor lists the head (latest event and
 * its link) of every case whose chain advanced since the anchor before, names the digest of that
 * anchor (so anchors chain too) and is MAC'ed with the audit chain's key. Someone who can write the
 * table but not the anchors can then neither drop a case's latest events nor rebuild its chain
 * unnoticed, once its head was anchored.
 */
import { hash } from 'node:crypto';
import {
  type AuditSeal,
  canonicalJson,
  contentHash,
  genesisHash,
  keyedLink,
} from '#shared/domain/case-event';

/** Where one case's chain stood: its latest event and that event's link. */
export interface ChainHead {
  caseId: string;
  seq: number;
  link: string;
}

export interface AuditAnchor {
  /** 1, 2, 3... with no gap. */
  anchorSeq: number;
  at: string;
  /** `anchorDigest` of the anchor before (the genesis hash for the first). */
  previousDigest: string;
  heads: ChainHead[];
  link: typeof keyedLink;
  /** HMAC-SHA256 (hex) of the SHA-256 of the canonical JSON of everything above. */
  mac: string;
}

/** A head as the latest anchor of its case recorded it. */
export interface AnchoredHead extends ChainHead {
  anchorSeq: number;
}

const digestOf = (unsealed: Omit<AuditAnchor, 'mac'>): Buffer =>
  hash('sha256', canonicalJson(unsealed), 'buffer');

/** What the next anchor names: the whole anchor, its MAC included. */
export const anchorDigest = (anchor: AuditAnchor): string => contentHash(anchor);

export const sealAnchor = async (
  previous: AuditAnchor | undefined,
  heads: readonly ChainHead[],
  at: string,
  seal: AuditSeal,
): Promise<AuditAnchor> => {
  const unsealed = {
    anchorSeq: (previous?.anchorSeq ?? 0) + 1,
    at,
    previousDigest: previous ? anchorDigest(previous) : genesisHash,
    heads: [...heads].sort((a, b) => a.caseId.localeCompare(b.caseId)),
    link: keyedLink,
  } as const;
  return { ...unsealed, heads: [...unsealed.heads], mac: await seal.mac(digestOf(unsealed)) };
};

export type AnchorsVerdict =
  | { intact: true; anchors: number }
  | { intact: false; brokenAtAnchor: number; reason: string };

/** Checks that anchors 1..n are all there, each naming the one before and MAC'ed with the key. */
export const verifyAnchors = async (
  anchors: readonly AuditAnchor[],
  seal: AuditSeal,
): Promise<AnchorsVerdict> => {
  const sorted = [...anchors].sort((a, b) => a.anchorSeq - b.anchorSeq);
  // A few at a time: on AWS each check is a KMS call, and a year of anchors is some 35,000.
  const macs: boolean[] = [];
  for (let start = 0; start < sorted.length; start += 32) {
    const window = sorted.slice(start, start + 32);
    macs.push(
      ...(await Promise.all(window.map(({ mac, ...unsealed }) => seal.verify(digestOf(unsealed), mac)))),
    );
  }
  let previousDigest = genesisHash;
  for (const [index, anchor] of sorted.entries()) {
    const anchorSeq = index + 1;
    if (anchor.anchorSeq !== anchorSeq)
      return { intact: false, brokenAtAnchor: anchorSeq, reason: 'anchor missing' };
    if (anchor.link !== keyedLink || !macs[index]) {
      return { intact: false, brokenAtAnchor: anchorSeq, reason: 'anchor altered' };
    }
    if (anchor.previousDigest !== previousDigest) {
      return { intact: false, brokenAtAnchor: anchorSeq, reason: 'anchor chain broken' };
    }
    previousDigest = anchorDigest(anchor);
  }
  return { intact: true, anchors: sorted.length };
};
