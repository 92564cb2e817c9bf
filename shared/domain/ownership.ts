/**
 * A complaint belongs to the enterprise account that filed it, not to whoever claims the same credit
 * code (docs/data-model.md, "Ownership"): its list, its reading, its files, its feedback, its INFO
 * tasks and its notices go by the account key `enterpriseId`.
 */
/**
 * The account key of a stored complaint or task. Items written before accounts carry none: they
 * belong to their credit code, the key a development token without an account signs in as.
 */
export const enterpriseIdOf = (item: {
  enterpriseId?: string | undefined;
  enterpriseCreditCode: string;
}): string => item.enterpriseId ?? item.enterpriseCreditCode;
