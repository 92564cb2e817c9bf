/**
 * Importing a register of real size (20,000 rows, a large province's) into DynamoDB Local through the
 * use case and its adapter: every association stored with its name lookup and the compact index, and
 * the same file again writes nothing. (The HTTP test imports a smaller file: DynamoDB Local slows as
 * its in-memory store grows, so 20,000 rows may outlast the local gateway's 29 s there; `npm run bench`,
 * "registry-import", measures the time per 1,000 rows against plain batch writes.)
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCsv, registerRows } from '#infra/local/campaign-fixtures';
import { privateCampaignTable } from '#infra/local/create-table';
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { registryEntryKey, registryIndexHeadKey } from '#shared/adapters/dynamodb/keys';
import type { Principal } from '#shared/domain/principal';
import { importRegister } from '#shared/registry/import-register';
import type { RegisterImportReport } from '#shared/registry/messages';

// A DynamoDB Local of its own: 20,000 rows in the shared one slow every other test file.
const table = await privateCampaignTable('registry-import');
const { documentClient, tableName } = table;
const registry = new TableAssociationRegistry(documentClient, tableName);
const admin = { role: 'campaign-admin', subject: 'admin' } as Principal;
const rows = registerRows(20_000);
const file = { bytes: Buffer.from(registerCsv(rows)), contentType: 'text/csv' };

const stored = async (creditCode: string) =>
  (await documentClient.send(new GetCommand({ TableName: tableName, Key: registryEntryKey(creditCode) })))
    .Item;
const indexHead = async () =>
  (await documentClient.send(new GetCommand({ TableName: tableName, Key: registryIndexHeadKey }))).Item;

let first: RegisterImportReport;

beforeAll(async () => {
  first = await importRegister({ store: registry }, admin, file);
}, 600_000);

afterAll(() => table.stop());

describe('importRegister with 20,000 rows', () => {
  it('accepts every row and stores each association with its province and parent', async () => {
    // Arrange
    const [, branchCode = '', , , , parentCode = ''] = rows[11] ?? [];

    // Act
    const branch = await stored(branchCode);

    // Assert
    expect(first).toEqual({ rows: 20_000, accepted: 20_000, changed: 0, unchanged: 0, refused: [] });
    expect(branch).toMatchObject({ parentCreditCode: parentCode, province: '44', level: 'PROVINCIAL' });
  });

  it('indexes the whole register for suggestions and finds an association by its name', async () => {
    // Arrange
    const [name = '', code = ''] = rows[12_345] ?? [];

    // Act
    const [entries, codes] = await Promise.all([registry.entries(), registry.creditCodesNamed(name)]);

    // Assert
    expect(entries).toHaveLength(20_000);
    expect(codes).toEqual([code]);
  });

  it('writes nothing when the same file is imported again', async () => {
    // Arrange
    const head = await indexHead();
    const [, code = ''] = rows[19_999] ?? [];
    const before = await stored(code);

    // Act
    const again = await importRegister({ store: registry }, admin, file);

    // Assert
    expect(again).toEqual({ rows: 20_000, accepted: 0, changed: 0, unchanged: 20_000, refused: [] });
    expect(await indexHead()).toEqual(head);
    expect(await stored(code)).toEqual(before);
  }, 120_000);
});
