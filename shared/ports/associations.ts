/** The association registry as use cases reach it. */
import type { RegisteredAssociation } from '#shared/domain/association';

export interface AssociationRegistry {
  /** The registered association with this credit code, if the register lists it. */
  get(creditCode: string): Promise<RegisteredAssociation | undefined>;
}
