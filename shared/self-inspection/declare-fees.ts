/**
 * The association declares its fees for a year (docs/associations.md, "Self-inspection"). Each fee is
 * screened by the rulebook; a suspect one opens a SELF_INSPECTION case before the declaration is
 * written, so a crash in between leaves the case to a retry, which finds it by its derived id. The
 * same body again is answered with the version it recorded; a new body is the year's next version.
 */
import { contentHash } from '#shared/domain/case-event';
import { ConflictError, ForbiddenRoleError, ThrottledError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import {
  type Declaration,
  type DeclaredFee,
  type FeeScreening,
  SelfInspectionInput,
  screenDeclaredFee,
} from '#shared/domain/self-inspection';
import { parseWith } from '#shared/domain/validation';
import type { AssociationRegistry } from '#shared/ports/associations';
import type { EvidenceUploads } from '#shared/ports/evidence';
import { defaultRulebook } from '#shared/rulebook/evaluate';
import { planDeclarationEvidence } from '#shared/self-inspection/declaration-evidence';
import type { DeclarationView } from '#shared/self-inspection/messages';
import { ListSelfInspectionsQuery } from '#shared/self-inspection/messages';
import { type OpenCaseDeps, openSelfInspectionCase } from '#shared/self-inspection/open-case';
import type { DeclarationStore, MissingDeclarationTasks } from '#shared/self-inspection/ports';

export interface DeclareFeesDeps extends OpenCaseDeps {
  registry: AssociationRegistry;
  declarations: DeclarationStore;
  uploads: Pick<EvidenceUploads, 'getMany'>;
  tasks: Pick<MissingDeclarationTasks, 'close'>;
  now?: () => Date;
}

/** What the association and the regulators see of a version: not its hash nor who pressed the button. */
export const declarationView = (declaration: Declaration): DeclarationView => ({
  creditCode: declaration.creditCode,
  associationName: declaration.associationName,
  year: declaration.year,
  version: declaration.version,
  declaredAt: declaration.declaredAt,
  rulebookVersion: declaration.rulebookVersion,
  fees: declaration.fees.map(({ facts: _facts, ...fee }) => fee),
});

export const declareFees = async (
  deps: DeclareFeesDeps,
  principal: Extract<Principal, { role: 'association' }>,
  body: unknown,
): Promise<DeclarationView> => {
  const input = parseWith(SelfInspectionInput, body, 'self-inspection');
  const association = await deps.registry.get(principal.creditCode);
  if (!association)
    throw new ConflictError(
      'Your credit code is not in the associations register; ask your registering authority to list it',
      { reason: 'association_not_registered' },
    );
  const requestHash = contentHash(input);
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await deps.declarations.latest(association.creditCode, input.year);
    if (latest?.requestHash === requestHash) {
      await deps.tasks.close(association.creditCode, input.year, latest.declaredAt);
      return declarationView(latest);
    }
    const version = (latest?.version ?? 0) + 1;
    const declaredAt = (deps.now ?? (() => new Date()))();
    // Files are checked before any case opens: a refused file leaves nothing behind.
    const evidence = await planDeclarationEvidence(deps.uploads, principal.subject, input, {
      kind: 'DECLARATION',
      creditCode: association.creditCode,
      year: input.year,
      version,
    });
    const fees: DeclaredFee[] = [];
    for (const [index, { attachments: _named, ...fee }] of input.fees.entries()) {
      const files = evidence.feeFiles[index];
      const { classification, suspect } = screenDeclaredFee(fee, declaredAt);
      const screening: FeeScreening = suspect
        ? {
            result: 'SUSPECT',
            verdict: classification.verdict,
            ruleIds: classification.rules.map((rule) => rule.id),
            caseId: await openSelfInspectionCase(deps, {
              association,
              fee,
              year: input.year,
              version,
              declaredAt,
            }),
          }
        : { result: 'DECLARED', verdict: classification.verdict };
      fees.push({ ...fee, ...(files ? { attachments: files } : {}), screening });
    }
    const declaration: Declaration = {
      creditCode: association.creditCode,
      associationName: association.name,
      year: input.year,
      version,
      declaredAt: declaredAt.toISOString(),
      declaredBy: principal.subject,
      requestHash,
      rulebookVersion: defaultRulebook.version,
      fees,
    };
    if ((await deps.declarations.record(declaration, evidence.attachment)) === 'recorded') {
      await deps.tasks.close(association.creditCode, input.year, declaration.declaredAt);
      return declarationView(declaration);
    }
  }
  throw new ThrottledError('Another declaration for this year arrived at the same time; please retry');
};

/**
 * Declarations, every version: an association reads its own, regulators and campaign admins any
 * association's (by `creditCode`).
 */
export const listSelfInspections = async (
  deps: { declarations: Pick<DeclarationStore, 'versions'> },
  principal: Principal,
  rawQuery: unknown,
): Promise<{ items: DeclarationView[] }> => {
  const query = parseWith(ListSelfInspectionsQuery, rawQuery, 'query');
  let creditCode: string;
  if (principal.role === 'association') {
    if (query.creditCode !== undefined && query.creditCode !== principal.creditCode)
      throw new ValidationError('An association reads its own declarations', [
        { path: 'creditCode', code: 'set_by_sign_in', message: 'your association comes from your sign-in' },
      ]);
    creditCode = principal.creditCode;
  } else if (principal.role === 'regulator' || principal.role === 'campaign-admin') {
    if (query.creditCode === undefined)
      throw new ValidationError('Name the association', [
        { path: 'creditCode', code: 'required', message: "give the association's credit code" },
      ]);
    creditCode = query.creditCode;
  } else {
    throw new ForbiddenRoleError('Sign in as an association or an official to read declarations');
  }
  const versions = await deps.declarations.versions(creditCode, query.year);
  return { items: versions.map(declarationView) };
};
