/**
 * `npm start` as users run it, against DynamoDB Local kept in a data folder: a complaint filed with a
 * development token is read back by its owner, hidden from others, and survives a crash of the whole
 * runtime (SIGKILL), after which its case still runs to its outcome. Its mail inbox and SMS outbox
 * ask for the password in the data folder. The data folder it made is its user's alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { partialSuffix } from '#shared/adapters/whole-file';
import { decisions } from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { freePort, type LocalProcess, startLocalProcess } from '#test/support/local-process';

let env: Record<string, string>;
let running: LocalProcess | undefined;

const call = async (method: string, path: string, token?: string, body?: unknown) => {
  const response = await fetch(`${running?.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};
const token = async (claims: Record<string, string>) =>
  (await call('POST', '/local/token', undefined, claims)).body.token as string;

beforeAll(async () => {
  env = {
    PORT: String(await freePort()),
    // A folder the runtime makes itself, as `.local` on a first start.
    LOCAL_DATA_DIR: join(await mkdtemp(join(tmpdir(), 'campaign-npm-start-')), 'data'),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  running = await startLocalProcess(env);
});
afterAll(async () => {
  await running?.interrupt();
});

describe('npm start', () => {
  it('prints what it started, listening on 127.0.0.1 only', () => {
    expect(running?.url).toBe(`http://127.0.0.1:${env.PORT}`);
    expect(running?.output()).toMatch(/DynamoDB Local\s+http:\/\/127\.0\.0\.1:\d+/);
  });

  it('warns that development tokens are on (LOCAL_DEV_TOKENS=1, as tests start it)', () => {
    expect(running?.output()).toMatch(/^WARNING\s+LOCAL_DEV_TOKENS is on/m);
  });

  it('prints the first admin with a one-time password, and a token for it comes from `npm run token`', async () => {
    const password = /admin@fee-campaign\.localhost one-time password: (\S+)/.exec(
      running?.output() ?? '',
    )?.[1];

    const token = spawnSync(
      'npm',
      ['run', '--silent', 'token', '--', '--user', 'admin@fee-campaign.localhost'],
      {
        env: { ...process.env, PORT: env.PORT, CAMPAIGN_PASSWORD: password },
        encoding: 'utf8',
      },
    );

    expect(password).toBeDefined();
    // A temporary password: the CLI asks for the portal to set a new one first.
    expect(token.stderr).toContain('temporary password');
  });

  it('prints its mail inbox and SMS outbox on loopback, both closed to whoever lacks the password', async () => {
    // Arrange
    const output = running?.output() ?? '';
    const inbox = output.match(/Mail inbox\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const outbox = output.match(/SMS outbox\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const secrets = JSON.parse(await readFile(join(env.LOCAL_DATA_DIR as string, 'secrets.json'), 'utf8'));
    const basic = `Basic ${Buffer.from(`campaign:${secrets.postOfficePassword}`).toString('base64')}`;

    // Act
    const statuses = await Promise.all(
      [`${inbox}/api/email`, `${outbox}/messages`].flatMap((url) => [
        fetch(url).then((response) => response.status),
        fetch(url, { headers: { authorization: basic } }).then((response) => response.status),
      ]),
    );

    // Assert
    expect(statuses).toEqual([401, 200, 401, 200]);
    expect(output).not.toContain(secrets.postOfficePassword);
  });

  it('keeps a complaint and its case through a crash and finishes the case afterwards', async () => {
    const enterprise = await token({ role: 'enterprise', creditCode: enterpriseCode('44', 1) });
    const stranger = await token({ role: 'enterprise', creditCode: enterpriseCode('44', 2) });
    const regulator = await token({ role: 'regulator', agency: 'MCA', province: '44' });
    const association = await token({ role: 'association', creditCode: associationCode('44', 1) });
    const filed = await call(
      'POST',
      '/api/complaints',
      enterprise,
      complaintBody({ associationCode: associationCode('44', 1) }),
    );
    const { complaintId, caseId } = filed.body;
    const review = await eventually(
      async () => (await call('GET', '/api/tasks?kind=REVIEW', regulator)).body.items,
      (items: { caseId: string; taskId: string }[]) => items.some((task) => task.caseId === caseId),
    );
    await call(
      'POST',
      `/api/tasks/${review.find((task) => task.caseId === caseId)?.taskId}/complete`,
      regulator,
      decisions.abolish,
    );
    await eventually(
      async () => (await call('GET', '/api/tasks', association)).body.items,
      (items: { caseId: string; taskId: string }[]) => items.some((task) => task.caseId === caseId),
    );

    await running?.crash();
    running = await startLocalProcess(env);
    const ownView = await call('GET', `/api/complaints/${complaintId}`, enterprise);
    const strangerView = await call('GET', `/api/complaints/${complaintId}`, stranger);
    const order = await eventually(
      async () => (await call('GET', '/api/tasks', association)).body.items,
      (items: { caseId: string; taskId: string }[]) => items.some((task) => task.caseId === caseId),
    );
    await call(
      'POST',
      `/api/tasks/${order.find((task) => task.caseId === caseId)?.taskId}/complete`,
      association,
      decisions.refunded(500_000),
    );
    const verification = await eventually(
      async () => (await call('GET', '/api/tasks?kind=VERIFICATION', regulator)).body.items,
      (items: { caseId: string; taskId: string }[]) => items.some((task) => task.caseId === caseId),
    );
    await call(
      'POST',
      `/api/tasks/${verification.find((task) => task.caseId === caseId)?.taskId}/complete`,
      regulator,
      decisions.accept,
    );
    const closed = await eventually(
      async () => (await call('GET', `/api/complaints/${complaintId}`, enterprise)).body,
      (detail: { case: { stage: string } }) => detail.case.stage === 'CLOSED',
    );

    expect(filed.status).toBe(202);
    expect(ownView.status).toBe(200);
    expect(ownView.body.complaint.contact.name).toBe('Zhang San');
    expect(strangerView.status).toBe(404);
    expect(order).toHaveLength(1);
    expect(closed.case).toMatchObject({ outcome: 'ABOLISHED', refundedFen: 500_000 });
  });

  it('keeps its data folder to its user: folders 0700, every file 0600', async () => {
    // Arrange: the case above ran through the database, the engine and the stream consumers
    const found: { name: string; mode: string; expected: string }[] = [];
    const visit = async (path: string, name: string) => {
      // A file written whole lives under a temporary name for a moment: gone by now is fine.
      const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' && name.endsWith(partialSuffix)) return undefined;
        throw error;
      });
      if (!info) return;
      const expected = info.isDirectory() ? '700' : '600';
      found.push({ name, mode: (info.mode & 0o777).toString(8), expected });
      if (info.isDirectory()) {
        for (const entry of await readdir(path)) await visit(join(path, entry), `${name}/${entry}`);
      }
    };

    // Act
    await visit(env.LOCAL_DATA_DIR as string, '.');

    // Assert
    expect(found.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['.', './secrets.json', './dynamodb', './dynamodb/shared-local-instance.db']),
    );
    expect(found.filter((entry) => entry.mode !== entry.expected)).toEqual([]);
  });
});
