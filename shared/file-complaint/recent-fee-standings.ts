/**
 * Where fees stood when this process last read their pointers (or opened their cases). A filing
 * writes first and reads the fee's pointer only when the write's condition fails; what this remembers
 * saves that doomed write:
 *
 * - an open case seen a moment ago is trusted, so a rush on one fee joins its case in one write; only
 *   briefly, since a join that trusts it after the case gave up its pointer is counted on the closed
 *   case (docs/hot-fee.md): the time trusted bounds that window;
 * - a fee seen with a case (open or closed) within the last hour is read before writing, since a
 *   first write would fail on its pointer.
 */
import type { FeeStanding, FeeStandingMemory } from '#shared/file-complaint/ports';

type OpenStanding = Extract<FeeStanding, { kind: 'open' }>;

/**
 * How long an open case seen (or opened) is trusted. A complaint filed within this moment after its
 * case closed may still join the closed case (docs/hot-fee.md).
 */
export const openCaseTrustMs = 250;

export class RecentFeeStandings implements FeeStandingMemory {
  private readonly read = new Map<string, { standing: FeeStanding; at: number }>();

  constructor(
    /** Milliseconds now; a test passes a clock of its own. */
    private readonly clock: () => number = Date.now,
    private readonly trustMs = openCaseTrustMs,
    private readonly rememberMs = 60 * 60_000,
    /** A rush is on a few fees at a time; the fee read longest ago makes room for a new one. */
    private readonly maxFees = 1_000,
  ) {}

  /** The fee's open case as seen less than `trustMs` ago, if it was. */
  recallOpen(feeKey: string): OpenStanding | undefined {
    const entry = this.entry(feeKey);
    return entry?.standing.kind === 'open' && this.clock() - entry.at < this.trustMs
      ? entry.standing
      : undefined;
  }

  /** Whether the fee had a case (open or closed) when seen within the last `rememberMs`. */
  hadCase(feeKey: string): boolean {
    const standing = this.entry(feeKey)?.standing;
    return standing !== undefined && (standing.kind === 'open' || standing.previousCaseId !== undefined);
  }

  /** Remembers a standing just read, or a case just opened. */
  keep(feeKey: string, standing: FeeStanding): void {
    this.read.delete(feeKey);
    this.read.set(feeKey, { standing, at: this.clock() });
    if (this.read.size > this.maxFees) {
      const [oldest] = this.read.keys();
      if (oldest !== undefined) this.read.delete(oldest);
    }
  }

  private entry(feeKey: string) {
    const entry = this.read.get(feeKey);
    if (entry && this.clock() - entry.at >= this.rememberMs) {
      this.read.delete(feeKey);
      return undefined;
    }
    return entry;
  }
}
