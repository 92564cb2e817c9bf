/** The association registry as use cases reach it. */
import type { AssociationLevel, AssociationStatus, RegisteredAssociation } from '#shared/domain/association';

export interface AssociationRegistry {
  /** The registered association with this credit code, if the register lists it. */
  get(creditCode: string): Promise<RegisteredAssociation | undefined>;
}

/** Finds associations by name: intake gives a complaint that names one without its code the code. */
export interface RegisteredNames {
  /** The credit codes of the registered associations whose name normalizes to this (usually one). */
  creditCodesNamed(normalizedName: string): Promise<string[]>;
}

/**
 * One association in the register's compact index: what suggestions show and what an import needs to
 * tell a new, changed or unchanged row without reading the association's own item.
 */
export interface RegisterIndexEntry {
  creditCode: string;
  name: string;
  province: string;
  level: AssociationLevel;
  status: AssociationStatus;
  /** A digest of the fields the register gives (`registerFingerprint`): equal means unchanged. */
  fingerprint: string;
  registeredAt: string;
}

/** The whole register's index, as suggestions read it. */
export interface RegisterIndexSource {
  entries(): Promise<readonly RegisterIndexEntry[]>;
}

/** The register's names: every normalized name with its codes, and the names an import added or changed. */
export interface RegisterNames {
  codesByName: ReadonlyMap<string, readonly string[]>;
  touched: ReadonlySet<string>;
}

/** Where an import reads the register and writes what changed. */
export interface RegistryImportStore {
  /** Takes the import lock until `until`; false while another import holds it. */
  lock(importId: string, until: Date): Promise<boolean>;
  /** Releases the lock if this import still holds it. */
  unlock(importId: string): Promise<void>;
  /** The index as the last completed import left it (strongly consistent). */
  readIndex(): Promise<RegisterIndexEntry[]>;
  /** Puts the new and changed associations, and the name lookups of the touched names, in batches. */
  write(change: { associations: RegisteredAssociation[]; names: RegisterNames }): Promise<void>;
  /** Replaces the index with these entries, as of this import. */
  writeIndex(entries: readonly RegisterIndexEntry[], importId: string, at: Date): Promise<void>;
}
