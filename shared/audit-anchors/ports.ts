import type { ChainHead } from '#shared/domain/audit-anchor';

/** The chains that advanced since they were last anchored, as the table records them. */
export interface UnanchoredChains {
  list(): Promise<ChainHead[]>;
  /** Forgets these heads; a chain that advanced past its head meanwhile stays listed. */
  markAnchored(heads: readonly ChainHead[]): Promise<void>;
}
