/** The association registry in memory, for unit tests of the use cases that consult it. */
import type { RegisteredAssociation } from '#shared/domain/association';
import { normalizeAssociationName } from '#shared/domain/fee-identity';
import type { AssociationRegistry, RegisteredNames } from '#shared/ports/associations';

export class InMemoryAssociationRegistry implements AssociationRegistry, RegisteredNames {
  readonly associations = new Map<string, RegisteredAssociation>();

  constructor(associations: readonly RegisteredAssociation[] = []) {
    for (const association of associations) this.associations.set(association.creditCode, association);
  }

  async get(creditCode: string) {
    return this.associations.get(creditCode);
  }

  async creditCodesNamed(normalizedName: string) {
    return [...this.associations.values()]
      .filter((association) => normalizeAssociationName(association.name) === normalizedName)
      .map((association) => association.creditCode);
  }
}
