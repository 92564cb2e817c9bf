/** Messages of the registry operations: the import's report and the suggestions. */
import { associationLevels, associationStatuses } from '#shared/domain/association';
import { CreditCode, RegulatorProvince } from '#shared/domain/credit-code';
import * as z from '#shared/domain/schema';
import { refusalReasons } from '#shared/registry/register-rows';

const count = (description: string) =>
  z.int().check(z.minimum(0)).register(z.globalRegistry, { description });

export const RegisterImportReport = z
  .object({
    rows: count('Data rows read below the header (blank rows are not counted)'),
    accepted: count('Rows that added an association the register did not list'),
    changed: count('Rows that changed an association already listed'),
    unchanged: count('Rows equal to what the register already listed: nothing was written for them'),
    refused: z
      .array(
        z.object({
          row: z.int().register(z.globalRegistry, {
            description: 'The row number as a spreadsheet shows it (the header row counts)',
          }),
          reason: z.enum(refusalReasons),
          creditCode: z.optional(z.string()),
          firstRow: z.optional(
            z.int().register(z.globalRegistry, {
              description: 'For `duplicate`: the row that listed the code first',
            }),
          ),
        }),
      )
      .register(z.globalRegistry, { description: 'Rows not taken, in row order, each with its reason' }),
  })
  .register(z.globalRegistry, {
    id: 'RegisterImportReport',
    description: 'What an import of the association register did, row by row',
  });
export type RegisterImportReport = z.infer<typeof RegisterImportReport>;

export const AssociationSuggestionsQuery = z
  .strictObject({
    q: z.string().check(z.minLength(1), z.maxLength(100)).register(z.globalRegistry, {
      description: 'Part of the name (spaces, punctuation and width ignored) or the start of the credit code',
    }),
    limit: z.optional(
      z
        .string()
        .check(z.regex(/^([1-9]|1\d|20)$/, 'a number from 1 to 20'))
        .register(z.globalRegistry, { description: 'How many suggestions at most (1-20, default 10)' }),
    ),
  })
  .register(z.globalRegistry, { id: 'AssociationSuggestionsQuery' });

export const AssociationSuggestion = z
  .object({
    creditCode: CreditCode,
    name: z.string(),
    province: RegulatorProvince,
    level: z.enum(associationLevels),
    status: z.enum(associationStatuses),
  })
  .register(z.globalRegistry, {
    id: 'AssociationSuggestion',
    description: 'A registered association, as the register lists it',
  });
export type AssociationSuggestion = z.infer<typeof AssociationSuggestion>;

export const AssociationSuggestions = z
  .object({ suggestions: z.array(AssociationSuggestion) })
  .register(z.globalRegistry, {
    id: 'AssociationSuggestions',
    description: 'Registered associations matching the text, best first',
  });
