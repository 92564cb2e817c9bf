/**
 * Who acts in the campaign: the roles, the regulators' agencies, and the caller as the use cases see
 * it. How a token's claims become a principal is the HTTP layer's business (shared/http/principal.ts).
 */

export const roles = ['enterprise', 'regulator', 'association', 'campaign-admin'] as const;
export type Role = (typeof roles)[number];

/** The regulators' agencies: market regulation, civil affairs, development and reform. */
export const agencies = ['SAMR', 'MCA', 'NDRC'] as const;
export type Agency = (typeof agencies)[number];

export type Principal =
  | { role: 'anonymous' }
  | {
      role: 'enterprise';
      subject: string;
      creditCode: string;
      /**
       * Whose complaints the caller files and sees: its own account unless an admin linked it to
       * another account of the same enterprise. Ownership goes by this, never by the credit code.
       */
      enterpriseId: string;
    }
  | { role: 'association'; subject: string; creditCode: string }
  | { role: 'regulator'; subject: string; agency: Agency; province: string }
  | { role: 'campaign-admin'; subject: string };
