/** Typical cases in memory, for unit tests of what is read and rendered from them. */
import type { Page } from '#shared/ports/complaints';
import type { TypicalCaseStatus } from '#shared/typical-cases/messages';
import type { TypicalCase, TypicalCaseStore } from '#shared/typical-cases/ports';

export class InMemoryTypicalCaseStore implements TypicalCaseStore {
  readonly typicalCases = new Map<string, TypicalCase>();

  async get(typicalCaseId: string): Promise<TypicalCase | undefined> {
    return this.typicalCases.get(typicalCaseId);
  }

  async save(typicalCase: TypicalCase, from: TypicalCaseStatus | undefined): Promise<boolean> {
    if (this.typicalCases.get(typicalCase.typicalCaseId)?.status !== from) return false;
    this.typicalCases.set(typicalCase.typicalCaseId, typicalCase);
    return true;
  }

  async listPublished(limit: number): Promise<Page<TypicalCase>> {
    const published = [...this.typicalCases.values()]
      .filter((typicalCase) => typicalCase.status === 'PUBLISHED')
      .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
    return { items: published.slice(0, limit), cursor: null };
  }

  async listAll(limit: number): Promise<Page<TypicalCase>> {
    const all = [...this.typicalCases.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { items: all.slice(0, limit), cursor: null };
  }
}

export const aTypicalCase = (overrides: Partial<TypicalCase> = {}): TypicalCase => ({
  typicalCaseId: '0b6f3c2e-1a2b-8c3d-9e4f-5a6b7c8d9e0f',
  title: '某市行业协会强制入会收取会费案',
  summary: '协会以办理证书为条件要求企业入会。',
  cases: [],
  status: 'PUBLISHED',
  createdAt: '2026-11-01T08:00:00.000Z',
  createdBy: 'local:admin',
  publishedAt: '2026-11-02T08:00:00.000Z',
  publishedBy: 'local:admin',
  ...overrides,
});
