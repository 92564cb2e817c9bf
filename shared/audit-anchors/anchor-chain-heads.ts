/**
 * Anchoring the audit chains, run on a schedule: the heads of every chain that advanced since the last
 * anchor go into one new anchor, MAC'ed and chained to the one before, outside the table.
 */

import type { UnanchoredChains } from '#shared/audit-anchors/ports';
import { sealAnchor } from '#shared/domain/audit-anchor';
import type { AuditSeal } from '#shared/domain/case-event';
import type { AnchorLedger } from '#shared/ports/anchors';

export interface AnchorChainHeadsDeps {
  chains: UnanchoredChains;
  ledger: AnchorLedger;
  seal: AuditSeal;
  now?: () => Date;
}

export type AnchorResult = { anchorSeq: number; heads: number } | { anchorSeq?: undefined; heads: 0 };

export const anchorChainHeads = async (deps: AnchorChainHeadsDeps): Promise<AnchorResult> => {
  const heads = await deps.chains.list();
  if (heads.length === 0) return { heads: 0 };
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const anchor = await sealAnchor(await deps.ledger.latest(), heads, at, deps.seal);
  // Another run anchored first: these chains stay listed and go into the next anchor.
  if (!(await deps.ledger.append(anchor))) return { heads: 0 };
  await deps.chains.markAnchored(heads);
  return { anchorSeq: anchor.anchorSeq, heads: heads.length };
};
