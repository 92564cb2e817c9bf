/**
 * The public fee list (收费公示, docs/associations.md "Public fee lists"): anyone may look up an
 * association by credit code and read its register entry, the fees of its latest declaration with
 * their basis, and the outcomes of its closed cases. Nothing about complainants: no enterprise, no
 * count of complaints, no free text from a complaint or a decision.
 */
import { CreditCode } from '#shared/domain/credit-code';
import { NotFoundError } from '#shared/domain/errors';
import * as z from '#shared/domain/schema';
import type { Declaration } from '#shared/domain/self-inspection';
import type { AssociationRegistry } from '#shared/ports/associations';
import type { PublicAssociation } from '#shared/self-inspection/messages';
import type { ClosedCasesOfAssociation, DeclarationStore } from '#shared/self-inspection/ports';

export interface PublicFeeListDeps {
  registry: AssociationRegistry;
  declarations: Pick<DeclarationStore, 'versions'>;
  cases: ClosedCasesOfAssociation;
}

const notFound = () => new NotFoundError('No registered association has this credit code');

/** The newest version of the newest year declared. */
const latestOf = (versions: readonly Declaration[]): Declaration | undefined =>
  versions.reduce<Declaration | undefined>(
    (best, declaration) =>
      !best ||
      declaration.year > best.year ||
      (declaration.year === best.year && declaration.version > best.version)
        ? declaration
        : best,
    undefined,
  );

export const readPublicFeeList = async (
  deps: PublicFeeListDeps,
  creditCode: string,
): Promise<PublicAssociation> => {
  // A malformed code is no association either: the answer does not tell guesses apart.
  if (!z.safeParse(CreditCode, creditCode).success) throw notFound();
  const association = await deps.registry.get(creditCode);
  if (!association) throw notFound();
  const [versions, closed, parent] = await Promise.all([
    deps.declarations.versions(creditCode),
    deps.cases.closedCases(creditCode),
    association.parentCreditCode ? deps.registry.get(association.parentCreditCode) : undefined,
  ]);
  const latest = latestOf(versions);
  return {
    association: {
      name: association.name,
      creditCode: association.creditCode,
      level: association.level,
      registeringAuthority: association.registeringAuthority,
      ...(association.businessSupervisor ? { businessSupervisor: association.businessSupervisor } : {}),
      ...(association.parentCreditCode
        ? { parent: { creditCode: association.parentCreditCode, ...(parent ? { name: parent.name } : {}) } }
        : {}),
      memberCount: association.memberCount,
      status: association.status,
    },
    fees: (latest?.fees ?? []).map((fee) => ({
      name: fee.name,
      category: fee.category,
      ...(fee.amountFen !== undefined ? { amountFen: fee.amountFen } : {}),
      ...(fee.tiers ? { tiers: fee.tiers } : {}),
      period: fee.period,
      basis: fee.basis,
      compulsory: fee.compulsory,
      serviceProvided: fee.serviceProvided,
      year: latest?.year ?? 0,
      version: latest?.version ?? 0,
    })),
    outcomes: closed.map((feeCase) => ({
      fee: feeCase.fee.name,
      category: feeCase.fee.category,
      outcome: feeCase.outcome ?? 'DISMISSED',
      closedAt: feeCase.closedAt ?? feeCase.updatedAt,
      refundedFen: feeCase.refundedFen,
      abolished: feeCase.outcome === 'ABOLISHED',
    })),
  };
};
