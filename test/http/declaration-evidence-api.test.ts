/**
 * A declaration's files over HTTP, on the local runtime: the association uploads the documents a fee
 * rests on (purpose DECLARATION), names them on the fee, and they are attached once with the version;
 * a replay or a correction naming them again changes nothing; files that may not be named are 409s
 * that record nothing; the association, regulators and admins download them, officials on the record.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, claimsOf } from '#infra/local/campaign-fixtures';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { declarationsPartition } from '#shared/adapters/dynamodb/keys';
import { type EvidenceUpload, MAX_EVIDENCE_FILE_BYTES } from '#shared/domain/evidence';
import { newScenario, type Scenario } from '#test/support/campaign-actors';
import { givenCleanUpload, uploadRecord } from '#test/support/evidence';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import { declarationBody, lawfulDues, registerAssociations } from '#test/support/self-inspection';

let harness: TestRuntime;
let uploads: DynamoEvidenceUploads;
let scenario: Scenario;
let subject: string;

beforeAll(async () => {
  harness = await startTestRuntime();
  uploads = new DynamoEvidenceUploads(harness.documentClient, harness.tableName);
  scenario = await newScenario(harness, 'SAMR', '11');
  subject = `local:association:${scenario.associationCode}`;
  await registerAssociations(harness, [scenario.associationCode], { name: '北京市示范行业协会' });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

const declare = (body: unknown, token = scenario.association) =>
  harness.request('POST', '/api/self-inspections', { token, body });

const versionsOf = async (year: number) =>
  (await harness.request('GET', `/api/self-inspections?year=${year}`, { token: scenario.association })).body
    .items as { version: number }[];

/** A CLEAN upload of the association's, for its declarations unless `overrides` say otherwise. */
const cleanFile = (overrides: Partial<EvidenceUpload> = {}) =>
  givenCleanUpload(uploads, {
    owner: subject,
    party: 'ASSOCIATION',
    purpose: 'DECLARATION',
    fileName: '第三届会员大会第二次会议决议.pdf',
    ...overrides,
  });

/** Dues resting on the documents named, under a name of their own (so fees of one body differ). */
const duesWith = (name: string, attachments: readonly string[]) => ({ ...lawfulDues, name, attachments });

describe('POST /api/uploads for a declaration', () => {
  it('gives the association an upload form for a declaration file', async () => {
    // Act
    const asked = await harness.request('POST', '/api/uploads', {
      token: scenario.association,
      body: { purpose: 'DECLARATION', fileName: '章程.pdf', contentType: 'application/pdf', size: 2048 },
    });

    // Assert
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.uploadId).toEqual(expect.any(String));
  });

  it('refuses an enterprise: only associations declare fees', async () => {
    // Act
    const asked = await harness.request('POST', '/api/uploads', {
      token: scenario.enterprise,
      body: { purpose: 'DECLARATION', fileName: '章程.pdf', contentType: 'application/pdf', size: 2048 },
    });

    // Assert
    expect(asked.status).toBe(403);
  });
});

describe('POST /api/self-inspections with files', () => {
  const year = 2026;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, by the fields they assert on
  let first: { status: number; body: any };
  let resolution: EvidenceUpload;

  it("records each fee's files with the version that names them", async () => {
    // Arrange
    resolution = await cleanFile();
    const body = declarationBody({ year, fees: [duesWith('会费', [resolution.uploadId])] });

    // Act
    first = await declare(body);

    // Assert
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.fees[0].attachments).toEqual([
      expect.objectContaining({
        fileId: resolution.uploadId,
        fileName: '第三届会员大会第二次会议决议.pdf',
        purpose: 'DECLARATION',
        party: 'ASSOCIATION',
      }),
    ]);
    const upload = await harness.request('GET', `/api/uploads/${resolution.uploadId}`, {
      token: scenario.association,
    });
    expect(upload.body).toMatchObject({ status: 'CLEAN', attached: true });
  });

  it('answers a replay with the same version and its files', async () => {
    // Act
    const replay = await declare(declarationBody({ year, fees: [duesWith('会费', [resolution.uploadId])] }));

    // Assert
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(await versionsOf(year)).toHaveLength(1);
  });

  it('lets a correction name the same document again, as version 2', async () => {
    // Arrange
    const charter = await cleanFile({ fileName: '章程.pdf' });

    // Act
    const corrected = await declare(
      declarationBody({
        year,
        fees: [
          duesWith('会费', [resolution.uploadId]),
          duesWith('培训费', [charter.uploadId, resolution.uploadId]),
        ],
      }),
    );

    // Assert
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body.version).toBe(2);
    expect(corrected.body.fees[1].attachments.map((file: { fileName: string }) => file.fileName)).toEqual([
      '章程.pdf',
      '第三届会员大会第二次会议决议.pdf',
    ]);
    const listed = (
      await harness.request('GET', `/api/self-inspections?year=${year}`, {
        token: scenario.association,
      })
    ).body.items;
    expect(
      listed.map((version: { fees: { attachments?: unknown[] }[] }) => version.fees[0]?.attachments?.length),
    ).toEqual([1, 1]);
  });

  /** An upload of the association's, PENDING until `screening` is recorded. */
  const screened = async (screening?: { status: 'REFUSED' }): Promise<EvidenceUpload> => {
    const upload = uploadRecord({ owner: subject, party: 'ASSOCIATION', purpose: 'DECLARATION' });
    await uploads.create(upload);
    if (screening)
      await uploads.recordScreening(upload.uploadId, {
        status: 'REFUSED',
        reason: 'PDF_ACTIVE_CONTENT',
        screenedAt: '2026-12-01T02:00:05.000Z',
      });
    return upload;
  };

  it.each([
    ['evidence_not_screened', () => screened()],
    ['evidence_refused', () => screened({ status: 'REFUSED' })],
    ['evidence_wrong_purpose', () => cleanFile({ purpose: 'RECTIFICATION' })],
    ['evidence_unknown', () => cleanFile({ owner: `local:association:${associationCode('11', 9_222_222)}` })],
  ] as const)('refuses a file with %s and records nothing', async (reason, given) => {
    // Arrange
    const { uploadId } = await given();
    const before = await versionsOf(year);

    // Act
    const refused = await declare(declarationBody({ year, fees: [duesWith('咨询费', [uploadId])] }));

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe(reason);
    expect(await versionsOf(year)).toEqual(before);
  });

  it("refuses a file of another year's declaration as attached elsewhere", async () => {
    // Arrange
    const earlier = await cleanFile();
    expect(
      (await declare(declarationBody({ year: 2025, fees: [duesWith('会费', [earlier.uploadId])] }))).status,
    ).toBe(200);

    // Act
    const refused = await declare(declarationBody({ year, fees: [duesWith('展会费', [earlier.uploadId])] }));

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('evidence_attached_elsewhere');
  });

  it('refuses more than the yearly budget named at once, and records nothing', async () => {
    // Arrange
    const files = await Promise.all(
      Array.from({ length: 11 }, () => cleanFile({ size: MAX_EVIDENCE_FILE_BYTES })),
    );
    const ids = files.map((file) => file.uploadId);

    // Act
    const refused = await declare(
      declarationBody({
        year: 2023,
        fees: [duesWith('会费', ids.slice(0, 6)), duesWith('培训费', ids.slice(6))],
      }),
    );

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('evidence_declaration_limit');
    expect(await versionsOf(2023)).toEqual([]);
  });

  it("refuses a correction whose new files overrun the year's budget with the earlier versions' files", async () => {
    // Arrange
    const files = await Promise.all(
      Array.from({ length: 11 }, () => cleanFile({ size: MAX_EVIDENCE_FILE_BYTES })),
    );
    const ids = files.map((file) => file.uploadId);
    const declared = await declare(
      declarationBody({ year: 2024, fees: [duesWith('会费', ids.slice(0, 6))] }),
    );

    // Act
    const refused = await declare(
      declarationBody({
        year: 2024,
        fees: [duesWith('会费', ids.slice(0, 6)), duesWith('培训费', ids.slice(6))],
      }),
    );

    // Assert
    expect(declared.status).toBe(200);
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('evidence_declaration_limit');
    expect(await versionsOf(2024)).toHaveLength(1);
  });
});

describe('GET /api/files/{fileId} of a declaration', () => {
  let fileId: string;

  beforeAll(async () => {
    fileId = (await cleanFile({ fileName: '收费依据文件.pdf' })).uploadId;
    const declared = await declare(declarationBody({ year: 2022, fees: [duesWith('会费', [fileId])] }));
    if (declared.status !== 200) throw new Error(`declaration: ${declared.status} ${declared.text}`);
  });

  const download = async (claims?: Record<string, string>) =>
    (
      await harness.request(
        'GET',
        `/api/files/${fileId}`,
        claims ? { token: await harness.token(claims) } : {},
      )
    ).status;

  const callers = {
    'the association itself': () => claimsOf.association(scenario.associationCode),
    'a regulator of any office': () => claimsOf.regulator('MCA', '44'),
    'a campaign admin': () => claimsOf.admin(),
    'another association': () => claimsOf.association(associationCode('11', 9_333_333)),
    'an enterprise': () => claimsOf.enterprise(scenario.enterpriseCode),
  };

  it.each([
    ['the association itself', 200],
    ['a regulator of any office', 200],
    ['a campaign admin', 200],
    ['another association', 404],
    ['an enterprise', 404],
  ] as const)('answers %s with %i', async (who, status) => {
    // Act
    const answered = await download(callers[who]());

    // Assert
    expect(answered).toBe(status);
  });

  it("keeps the files out of the association's public fee list, which shows the basis as cited", async () => {
    // Act
    const published = await harness.request('GET', `/api/public/associations/${scenario.associationCode}`);

    // Assert
    expect(published.status).toBe(200);
    expect(published.body.fees[0].basis).toEqual(lawfulDues.basis);
    // The latest declaration (2026, version 2) names files on both its fees.
    expect(published.body.fees.map((fee: { version: number }) => fee.version)).toEqual([2, 2]);
    expect(published.body.fees.filter((fee: object) => 'attachments' in fee)).toEqual([]);
    expect(published.text).not.toContain('.pdf');
  });

  it('does not give the public a link', async () => {
    // Act
    const answered = await download();

    // Assert
    expect([401, 404]).toContain(answered);
  });

  it("records an official's download on the declaration's trail, by file id", async () => {
    // Act
    await download(claimsOf.regulator('SAMR', '11'));

    // Assert
    const { Items } = await harness.documentClient.send(
      new QueryCommand({
        TableName: harness.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :viewed)',
        ExpressionAttributeValues: {
          ':pk': declarationsPartition(scenario.associationCode),
          ':viewed': 'VIEWED#',
        },
      }),
    );
    expect(Items?.filter((item) => item.fileId === fileId).map((item) => item.actor.role)).toEqual(
      expect.arrayContaining(['regulator', 'campaign-admin']),
    );
    expect(JSON.stringify(Items)).not.toContain('收费依据文件');
  });
});
