/**
 * Self-inspection against DynamoDB Local: a suspect fee's case opens exactly once however often its
 * opening is retried (a crash before the declaration was written), a fee with an open case keeps it,
 * two declarations racing for one year never share a version, and two racing for one file never both
 * attach it.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { associationCode } from '#infra/local/campaign-fixtures';
import { pendingCaseEventEntity } from '#shared/adapters/dynamodb/case-journal';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoSelfInspectionStore } from '#shared/adapters/dynamodb/self-inspection-store';
import { ConflictError } from '#shared/domain/errors';
import { type Declaration, SelfInspectionInput } from '#shared/domain/self-inspection';
import { planAttachment } from '#shared/evidence/attach';
import { openSelfInspectionCase } from '#shared/self-inspection/open-case';
import { givenCleanUpload } from '#test/support/evidence';
import { registeredAssociation, suspectAward } from '#test/support/self-inspection';
import { useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();
const store = new DynamoSelfInspectionStore(documentClient, tableName);
const [fee] = SelfInspectionInput.parse({ year: 2026, fees: [suspectAward] }).fees;
let serial = 9_500_000;
/** An association of its own for each test. */
const nextAssociationCode = () => {
  serial += 1;
  return associationCode('44', serial);
};

const suspectOf = (creditCode: string, version: number) => {
  if (!fee) throw new Error('no fee parsed');
  return { association: registeredAssociation(creditCode), fee, year: 2026, version, declaredAt: new Date() };
};

const caseItems = async (caseId: string) =>
  (
    await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
      }),
    )
  ).Items ?? [];

describe('opening a self-inspection case', () => {
  it('opens one case with one pending opening event however often it is retried', async () => {
    // Arrange
    const code = nextAssociationCode();

    // Act
    const ids = await Promise.all(
      [1, 2, 3].map(() => openSelfInspectionCase({ cases: store }, suspectOf(code, 1))),
    );

    // Assert
    expect(new Set(ids).size).toBe(1);
    const items = await caseItems(ids[0] as string);
    expect(items.filter((item) => item.entity === 'FeeCase')).toHaveLength(1);
    // The case journal links it into the audit chain and starts the workflow from the stream.
    expect(items.filter((item) => item.entity === pendingCaseEventEntity)).toHaveLength(1);
  });

  it("names the fee's open case when a later version declares the fee again", async () => {
    // Arrange
    const code = nextAssociationCode();
    const first = await openSelfInspectionCase({ cases: store }, suspectOf(code, 1));

    // Act
    const again = await openSelfInspectionCase({ cases: store }, suspectOf(code, 2));

    // Assert
    expect(again).toBe(first);
  });
});

/** A first version of the association's declaration for `year`, with no fees. */
const firstVersion = (creditCode: string, requestHash: string, year = 2026): Declaration => ({
  creditCode,
  associationName: 'Widget Industry Association',
  year,
  version: 1,
  declaredAt: new Date().toISOString(),
  declaredBy: 'local:association',
  requestHash,
  rulebookVersion: '2026.1',
  fees: [],
});

describe('recording declaration versions', () => {
  it('gives a version number to one of two declarations racing for it, and moves the other', async () => {
    // Arrange
    const code = nextAssociationCode();
    const version = (requestHash: string) => firstVersion(code, requestHash);

    // Act
    const outcomes = await Promise.all([store.record(version('a')), store.record(version('b'))]);

    // Assert
    expect(outcomes.sort()).toEqual(['moved', 'recorded']);
    expect(await store.versions(code, 2026)).toHaveLength(1);
  });
});

describe("attaching a declaration's files", () => {
  it('attaches a file to one of two years racing for it and refuses the other, which records nothing', async () => {
    // Arrange
    const code = nextAssociationCode();
    const uploads = new DynamoEvidenceUploads(documentClient, tableName);
    const charter = await givenCleanUpload(uploads, {
      owner: 'local:association',
      party: 'ASSOCIATION',
      purpose: 'DECLARATION',
    });
    const read = await uploads.getMany([charter.uploadId]);
    const attachmentFor = (year: number) =>
      planAttachment(read, {
        uploadIds: [charter.uploadId],
        owner: 'local:association',
        party: 'ASSOCIATION',
        purpose: 'DECLARATION',
        target: { kind: 'DECLARATION', creditCode: code, year, version: 1 },
      });

    // Act
    const outcomes = await Promise.allSettled(
      [2025, 2026].map((year) => store.record(firstVersion(code, 'a', year), attachmentFor(year))),
    );

    // Assert
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(ConflictError);
    expect((refused[0] as ConflictError).reason).toBe('evidence_attached_elsewhere');
    expect(await store.versions(code)).toHaveLength(1);
    const attachedTo = (await uploads.get(charter.uploadId))?.attachedTo;
    expect(attachedTo).toMatchObject({ kind: 'DECLARATION', creditCode: code, version: 1 });
  });
});
