/**
 * The complaint reads' question "did this enterprise complain on this case?" (which decides who reads an
 * official's decision file), answered from intake's marker through the real adapters on DynamoDB Local.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { LocalKeyContactSealer } from '#shared/adapters/contact-sealer';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { fileComplaint } from '#shared/file-complaint/file-complaint';
import { useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();

const intake = {
  store: new DynamoIntakeStore(documentClient, tableName),
  sealer: new LocalKeyContactSealer(randomBytes(32).toString('base64')),
  calendar: new DynamoCalendarStore(documentClient, tableName),
  uploads: new DynamoEvidenceUploads(documentClient, tableName),
};
const reads = new DynamoComplaintReads(documentClient, tableName);

/** The account of an enterprise that has one. */
const accountOf = (enterpriseCreditCode: string) => `user-of-${enterpriseCreditCode}`;

const file = (
  enterpriseCreditCode: string,
  association: string,
  enterpriseId = accountOf(enterpriseCreditCode),
) =>
  fileComplaint(intake, {
    enterpriseCreditCode,
    enterpriseId,
    subject: enterpriseId,
    body: complaintBody({ associationCode: association }),
  });

describe('DynamoComplaintReads.isComplainant', () => {
  it('says yes for the enterprise that opened the case and for one that joined it', async () => {
    // Arrange
    const association = associationCode('33', 1);
    const [opener, joiner] = [enterpriseCode('33', 1), enterpriseCode('33', 2)];
    const { caseId } = await file(opener, association);
    await file(joiner, association);

    // Act
    const answers = await Promise.all([
      reads.isComplainant(caseId, accountOf(opener)),
      reads.isComplainant(caseId, accountOf(joiner)),
    ]);

    // Assert
    expect(answers).toEqual([true, true]);
  });

  it('says no for an enterprise that complained only about another case', async () => {
    // Arrange
    const [enterprise, elsewhere] = [enterpriseCode('33', 3), enterpriseCode('33', 4)];
    const { caseId } = await file(enterprise, associationCode('33', 2));
    await file(elsewhere, associationCode('33', 3));

    // Act
    const answer = await reads.isComplainant(caseId, accountOf(elsewhere));

    // Assert
    expect(answer).toBe(false);
  });

  it('says no for another account of the same credit code', async () => {
    // Arrange
    const enterprise = enterpriseCode('33', 5);
    const { caseId } = await file(enterprise, associationCode('33', 4), 'first-account');

    // Act
    const answer = await reads.isComplainant(caseId, 'second-account');

    // Assert
    expect(answer).toBe(false);
  });
});
