/**
 * Importing the association register: every row is taken, found unchanged, or refused with a reason;
 * only new and changed associations are written, so importing the same file again writes nothing
 * (docs/associations.md, "Registry").
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RegisteredAssociation } from '#shared/domain/association';
import { canonicalJson } from '#shared/domain/case-event';
import { provinceOfCreditCode } from '#shared/domain/credit-code';
import { ConflictError, ForbiddenRoleError } from '#shared/domain/errors';
import { normalizeAssociationName } from '#shared/domain/fee-identity';
import type { Principal } from '#shared/domain/principal';
import type { RegisterIndexEntry, RegistryImportStore } from '#shared/ports/associations';
import type { RegisterImportReport } from '#shared/registry/messages';
import { readRegisterFile } from '#shared/registry/register-file';
import {
  isRefusal,
  locateHeader,
  type RegisterEntryDraft,
  type RowRefusal,
  readRegisterRow,
} from '#shared/registry/register-rows';

/** Longer than the import function's timeout: a crashed import's lock lapses by itself. */
const lockLeaseMs = 2 * 60_000;

/** A digest of what the register says about an association; the import's own dates are left out. */
export const registerFingerprint = (association: Omit<RegisterEntryDraft, 'row'>): string =>
  createHash('sha256')
    .update(
      canonicalJson({
        creditCode: association.creditCode,
        name: association.name,
        level: association.level,
        registeringAuthority: association.registeringAuthority,
        businessSupervisor: association.businessSupervisor ?? null,
        parentCreditCode: association.parentCreditCode ?? null,
        memberCount: association.memberCount,
        status: association.status,
      }),
    )
    .digest('base64url')
    .slice(0, 16);

/** Refuses the rows of a code an earlier row already gave, then splits the rest into drafts and refusals. */
const firstOfEachCode = (reads: readonly (RegisterEntryDraft | RowRefusal)[]) => {
  const firstRow = new Map<string, number>();
  const drafts: RegisterEntryDraft[] = [];
  const refused: RowRefusal[] = [];
  for (const read of reads) {
    const first = read.creditCode ? firstRow.get(read.creditCode) : undefined;
    if (first !== undefined && read.creditCode) {
      refused.push({ row: read.row, reason: 'duplicate', creditCode: read.creditCode, firstRow: first });
      continue;
    }
    if (read.creditCode) firstRow.set(read.creditCode, read.row);
    if (isRefusal(read)) refused.push(read);
    else drafts.push(read);
  }
  return { drafts, refused };
};

/**
 * Branches whose parent is neither registered nor taken from this file are refused, until none is
 * left: a branch of a refused branch goes too.
 */
const withKnownParents = (drafts: RegisterEntryDraft[], registered: ReadonlySet<string>) => {
  let taken = drafts;
  const refused: RowRefusal[] = [];
  for (;;) {
    const codes = new Set(taken.map((draft) => draft.creditCode));
    const orphans = new Set(
      taken.filter(({ parentCreditCode: parent }) => parent && !codes.has(parent) && !registered.has(parent)),
    );
    if (orphans.size === 0) return { taken, refused };
    for (const orphan of orphans)
      refused.push({ row: orphan.row, reason: 'unknown_parent', creditCode: orphan.creditCode });
    taken = taken.filter((draft) => !orphans.has(draft));
  }
};

/** Every normalized name of the merged register with its codes. */
const codesByName = (merged: ReadonlyMap<string, RegisterIndexEntry>) => {
  const names = new Map<string, string[]>();
  for (const entry of merged.values()) {
    const name = normalizeAssociationName(entry.name);
    if (name === '') continue;
    const codes = names.get(name);
    if (codes) codes.push(entry.creditCode);
    else names.set(name, [entry.creditCode]);
  }
  return names;
};

export interface ImportRegisterDeps {
  store: RegistryImportStore;
  now?: () => Date;
  newId?: () => string;
}

export interface RegisterFile {
  bytes: Buffer;
  contentType: string | undefined;
}

export const importRegister = async (
  deps: ImportRegisterDeps,
  principal: Principal,
  file: RegisterFile,
): Promise<RegisterImportReport> => {
  if (principal.role !== 'campaign-admin')
    throw new ForbiddenRoleError('Only campaign admins import the association register');
  const { columns, data } = locateHeader(readRegisterFile(file.bytes, file.contentType));
  const { drafts, refused } = firstOfEachCode(data.map((row) => readRegisterRow(columns, row)));

  const now = (deps.now ?? (() => new Date()))();
  const importId = (deps.newId ?? randomUUID)();
  if (!(await deps.store.lock(importId, new Date(now.getTime() + lockLeaseMs))))
    throw new ConflictError('Another import of the register is running; try again when it has finished', {
      reason: 'registry_import_running',
    });
  try {
    const index = await deps.store.readIndex();
    const registered = new Map(index.map((entry) => [entry.creditCode, entry]));
    const parents = withKnownParents(drafts, new Set(registered.keys()));
    refused.push(...parents.refused);

    const merged = new Map(registered);
    const associations: RegisteredAssociation[] = [];
    const touchedNames = new Set<string>();
    let accepted = 0;
    let changed = 0;
    for (const { row: _row, ...draft } of parents.taken) {
      const previous = registered.get(draft.creditCode);
      const fingerprint = registerFingerprint(draft);
      if (previous?.fingerprint === fingerprint) continue;
      if (previous) changed += 1;
      else accepted += 1;
      const association: RegisteredAssociation = {
        ...draft,
        province: provinceOfCreditCode(draft.creditCode),
        registeredAt: previous?.registeredAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
      };
      associations.push(association);
      const { creditCode, name, province, level, status, registeredAt } = association;
      merged.set(creditCode, { creditCode, name, province, level, status, fingerprint, registeredAt });
      for (const known of [name, previous?.name]) {
        const normalized = known === undefined ? '' : normalizeAssociationName(known);
        if (normalized !== '') touchedNames.add(normalized);
      }
    }
    if (associations.length > 0) {
      await deps.store.write({
        associations,
        names: { codesByName: codesByName(merged), touched: touchedNames },
      });
      await deps.store.writeIndex([...merged.values()], importId, now);
    }
    return {
      rows: data.length,
      accepted,
      changed,
      unchanged: parents.taken.length - accepted - changed,
      refused: refused.sort((a, b) => a.row - b.row),
    };
  } finally {
    await deps.store.unlock(importId);
  }
};
