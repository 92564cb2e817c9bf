/**
 * The identity provider's storage in the campaign table (DynamoDB Local): what oidc-provider stores
 * comes back until it expires, a session by its uid, a consumed code as consumed, and revoking a grant
 * deletes every artifact issued under it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TableOidcAdapter } from '#infra/local/identity-provider/table-adapter';
import { type TestTable, useTestTable } from '#test/support/table';

let table: TestTable;
const adapter = (model: string) => new TableOidcAdapter(table.documentClient, table.tableName, model);

beforeAll(async () => {
  table = await useTestTable();
});

describe('the identity provider table adapter', () => {
  it('finds what it stored until it expires', async () => {
    const codes = adapter('AuthorizationCode');
    await codes.upsert('live', { accountId: 'a-1', kind: 'AuthorizationCode' }, 60);
    await codes.upsert('gone', { accountId: 'a-1', kind: 'AuthorizationCode' }, -1);

    expect(await codes.find('live')).toMatchObject({ accountId: 'a-1' });
    expect(await codes.find('gone')).toBeUndefined();
  });

  it('finds a session by its uid', async () => {
    const sessions = adapter('Session');
    await sessions.upsert('session-1', { uid: 'uid-1', accountId: 'a-2', kind: 'Session' }, 60);

    expect(await sessions.findByUid('uid-1')).toMatchObject({ accountId: 'a-2' });
  });

  it('marks a consumed artifact as consumed', async () => {
    const codes = adapter('AuthorizationCode');
    await codes.upsert('used', { accountId: 'a-3', kind: 'AuthorizationCode' }, 60);

    await codes.consume('used');

    expect((await codes.find('used'))?.consumed).toEqual(expect.any(Number));
  });

  it('deletes every artifact of a revoked grant, and only those', async () => {
    const refreshTokens = adapter('RefreshToken');
    const accessTokens = adapter('AccessToken');
    await refreshTokens.upsert('rt-1', { grantId: 'grant-1', kind: 'RefreshToken' }, 60);
    await accessTokens.upsert('at-1', { grantId: 'grant-1', kind: 'AccessToken' }, 60);
    await accessTokens.upsert('at-2', { grantId: 'grant-2', kind: 'AccessToken' }, 60);

    await refreshTokens.revokeByGrantId('grant-1');

    expect(await refreshTokens.find('rt-1')).toBeUndefined();
    expect(await accessTokens.find('at-1')).toBeUndefined();
    expect(await accessTokens.find('at-2')).toMatchObject({ grantId: 'grant-2' });
  });

  it('forgets a destroyed session and its uid', async () => {
    const sessions = adapter('Session');
    await sessions.upsert('session-2', { uid: 'uid-2', accountId: 'a-4', kind: 'Session' }, 60);

    await sessions.destroy('session-2');

    expect(await sessions.find('session-2')).toBeUndefined();
    expect(await sessions.findByUid('uid-2')).toBeUndefined();
  });
});
