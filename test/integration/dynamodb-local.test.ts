import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ensureCampaignTable } from '#infra/local/create-table';
import { PortInUseError, startDynamoDbLocal, temporaryRoot } from '#infra/local/dynamodb-local';
import { campaignTable } from '#infra/system';
import { useTestTable } from '#test/support/table';

// Read before useTestTable() sets it, to prove global setup's environment reaches forked workers.
const endpointInheritedFromGlobalSetup = process.env.AWS_ENDPOINT_URL_DYNAMODB;
const { client, tableName, endpoint } = await useTestTable();

const clientFor = (url: string) =>
  new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** The temporary databases of instances started without dataDir (this file's, and others running). */
const temporaryDatabases = async () =>
  (await readdir(temporaryRoot())).filter((name) => name.startsWith('dynamodb-local-'));

/** Resolves true if a TCP connection to host:port is accepted. */
const canConnect = (host: string, port: number) =>
  new Promise<boolean>((done) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });

const listen = (host: string) =>
  new Promise<net.Server>((done, fail) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', fail);
    server.listen(0, host, () => done(server));
  });

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise<void>((done) => server.close(() => done()));

describe('DynamoDB Local for tests and the local runtime', () => {
  it('hands the endpoint to test files by inject() and by the environment of forked workers', () => {
    expect(endpoint).toBe(inject('dynamoEndpoint'));
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(endpointInheritedFromGlobalSetup).toBe(endpoint);
    expect(process.env.TABLE_NAME).toBe(tableName);
    expect(tableName).toMatch(/^campaign-dynamodb-local-[0-9a-f]{8}$/);
  });

  it('listens on 127.0.0.1 only', async (context) => {
    const port = Number(new URL(endpoint).port);
    expect(await canConnect('127.0.0.1', port)).toBe(true);

    const external = Object.values(networkInterfaces())
      .flatMap((addresses) => addresses ?? [])
      // Link-local IPv6 needs a scope id; a plain global or private address is enough.
      .filter((address) => !address.internal && !address.address.startsWith('fe80:'))
      .map((address) => address.address);
    if (external.length === 0) context.skip('this machine has no non-loopback address to connect from');

    // Control: something listening on every interface is reachable through those addresses here.
    const everywhere = await listen('::');
    const reachable: string[] = [];
    for (const address of external) {
      if (await canConnect(address, portOf(everywhere))) reachable.push(address);
    }
    await close(everywhere);
    if (reachable.length === 0) context.skip(`connections to ${external.join(', ')} fail even when open`);

    for (const address of reachable) {
      expect(await canConnect(address, port), `DynamoDB Local reachable on ${address}:${port}`).toBe(false);
    }
  });

  it('creates the table with its key schema, indexes, stream, TTL and on-demand billing', async () => {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table?.LatestStreamArn).toBeTruthy();

    const indexes = (table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      status: index.IndexStatus,
      keys: index.KeySchema?.map((key) => `${key.AttributeName}:${key.KeyType}`),
      projection: index.Projection?.ProjectionType,
    }));
    expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
      campaignTable.globalSecondaryIndexes.map((index) => ({
        name: index.indexName,
        status: 'ACTIVE',
        keys: [`${index.partitionKey}:HASH`, `${index.sortKey}:RANGE`],
        projection: 'ALL',
      })),
    );
    for (const definition of table?.AttributeDefinitions ?? []) expect(definition.AttributeType).toBe('S');

    const { TimeToLiveDescription: ttl } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    expect(ttl).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('ensureCampaignTable is idempotent', async () => {
    const fresh = `${tableName}-again`;
    expect(await ensureCampaignTable(client, fresh)).toBe('created');
    expect(await ensureCampaignTable(client, fresh)).toBe('existing');
    expect(await ensureCampaignTable(client, tableName)).toBe('existing');
  });

  // An instance of its own: DynamoDB Local backfills added indexes in the background, and on the
  // instance every test file shares that waited behind the whole suite's traffic for over a minute.
  it('adds the indexes the description gained to a table an earlier version made', {
    timeout: 120_000,
  }, async () => {
    const own = await startDynamoDbLocal();
    const db = clientFor(own.endpoint);
    try {
      const earlier = `${tableName}-earlier`;
      const [first, ...later] = campaignTable.globalSecondaryIndexes;
      const keysOf = (index: typeof first) => [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ];
      await db.send(
        new CreateTableCommand({
          TableName: earlier,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: ['pk', 'sk', first.partitionKey, first.sortKey].map((name) => ({
            AttributeName: name,
            AttributeType: 'S' as const,
          })),
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            { IndexName: first.indexName, KeySchema: keysOf(first), Projection: { ProjectionType: 'ALL' } },
          ],
        }),
      );

      const outcome = await ensureCampaignTable(db, earlier);
      const { Table: table } = await db.send(new DescribeTableCommand({ TableName: earlier }));

      expect(later.length).toBeGreaterThan(0);
      expect(outcome).toBe('existing');
      expect(
        (table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.IndexStatus]).sort(),
      ).toEqual(campaignTable.globalSecondaryIndexes.map((index) => [index.indexName, 'ACTIVE']));
    } finally {
      db.destroy();
      await own.stop();
    }
  });

  it('keeps data in dataDir across a stop and a start', { timeout: 90_000 }, async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'dynamodb-local-')), 'created-if-missing');
    try {
      const first = await startDynamoDbLocal({ dataDir });
      try {
        const db = clientFor(first.endpoint);
        expect(await ensureCampaignTable(db, 'persisted')).toBe('created');
        await db.send(
          new PutItemCommand({
            TableName: 'persisted',
            Item: { pk: { S: 'p' }, sk: { S: 's' }, n: { N: '7' } },
          }),
        );
        db.destroy();
      } finally {
        await first.stop();
      }
      expect(await readdir(dataDir)).not.toHaveLength(0);

      const second = await startDynamoDbLocal({ dataDir });
      try {
        const db = clientFor(second.endpoint);
        const { Item: item } = await db.send(
          new GetItemCommand({ TableName: 'persisted', Key: { pk: { S: 'p' }, sk: { S: 's' } } }),
        );
        expect(item?.n).toEqual({ N: '7' });
        expect(await ensureCampaignTable(db, 'persisted')).toBe('existing');
        db.destroy();
      } finally {
        await second.stop();
      }
    } finally {
      await rm(join(dataDir, '..'), { recursive: true, force: true });
    }
  });

  // Without the index every write to a table with a stream scans all stream records of the last 24 hours.
  it('indexes its stream records by stream and sequence number in the database it keeps', {
    timeout: 90_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dynamodb-local-'));
    try {
      const instance = await startDynamoDbLocal({ dataDir });
      await instance.stop();

      const database = new DatabaseSync(join(dataDir, 'shared-local-instance.db'));
      const indexes = database
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'us'")
        .all();
      database.close();
      expect(indexes.map((index) => index.sql)).toContainEqual(
        expect.stringMatching(/ON us \(StreamID, SequenceNumber\)/),
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  // SQLite's default of 2 MiB made DynamoDB Local's CPU per complaint half as much again.
  it('sets a page cache of 65,536 pages in the database it keeps', { timeout: 90_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dynamodb-local-'));
    try {
      const instance = await startDynamoDbLocal({ dataDir });
      await instance.stop();

      const database = new DatabaseSync(join(dataDir, 'shared-local-instance.db'));
      const pragma = database.prepare('PRAGMA default_cache_size').get();
      database.close();

      expect(pragma?.cache_size).toBe(65_536);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('removes, when it starts, the temporary database of a process that died without stopping it', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((exited) => dead.once('exit', exited));
    const abandoned = await mkdtemp(join(temporaryRoot(), 'dynamodb-local-'));
    await writeFile(join(abandoned, 'owner.pid'), String(dead.pid));
    await writeFile(join(abandoned, 'shared-local-instance.db'), '');

    const instance = await startDynamoDbLocal();
    await instance.stop();

    expect(existsSync(abandoned)).toBe(false);
  });

  it('keeps the temporary database of a process still running', async () => {
    const living = await mkdtemp(join(temporaryRoot(), 'dynamodb-local-'));
    await writeFile(join(living, 'owner.pid'), String(process.pid));
    try {
      const instance = await startDynamoDbLocal();
      await instance.stop();

      expect(existsSync(living)).toBe(true);
    } finally {
      await rm(living, { recursive: true, force: true });
    }
  });

  it('keeps an inMemory database nowhere on disk and serves it', async () => {
    const before = new Set(await temporaryDatabases());
    const instance = await startDynamoDbLocal({ inMemory: true });
    const db = clientFor(instance.endpoint);
    try {
      const created = await ensureCampaignTable(db, 'in-memory');

      expect(created).toBe('created');
      expect((await temporaryDatabases()).filter((name) => !before.has(name))).toEqual([]);
    } finally {
      db.destroy();
      await instance.stop();
    }
  });

  it('refuses dataDir together with inMemory', async () => {
    const started = startDynamoDbLocal({ dataDir: tmpdir(), inMemory: true });

    await expect(started).rejects.toThrow(/either dataDir or inMemory/);
  });

  it('removes the temporary database of an instance started without dataDir when it stops', async () => {
    const before = new Set(await temporaryDatabases());
    const instance = await startDynamoDbLocal();
    const own = (await temporaryDatabases()).filter((name) => !before.has(name));

    await instance.stop();

    expect(own).toHaveLength(1);
    expect(await temporaryDatabases()).not.toContain(own[0]);
  });

  it('reports a taken port as PortInUseError naming the port and DYNAMODB_PORT', async () => {
    const holder = await listen('127.0.0.1');
    const port = portOf(holder);
    try {
      const error = await startDynamoDbLocal({ port }).then(
        async (unexpected) => {
          await unexpected.stop();
          throw new Error(`DynamoDB Local started on taken port ${port}`);
        },
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as PortInUseError).port).toBe(port);
      expect((error as Error).message).toContain(String(port));
      expect((error as Error).message).toContain('DYNAMODB_PORT');
    } finally {
      await close(holder);
    }
  });

  it('stop() ends the Java process and frees the port', async () => {
    const db = await startDynamoDbLocal();
    expect(await canConnect('127.0.0.1', db.port)).toBe(true);
    await db.stop();
    await db.stop();
    expect(await canConnect('127.0.0.1', db.port)).toBe(false);
  });

  it('does not leave Java behind when the Node process that started it is killed', {
    timeout: 60_000,
  }, async () => {
    const module = fileURLToPath(new URL('../../infra/local/dynamodb-local.ts', import.meta.url));
    const script = `const { startDynamoDbLocal } = await import(${JSON.stringify(module)});
      const db = await startDynamoDbLocal();
      console.log('port=' + db.port);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    parent.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const port = await new Promise<number>((done, fail) => {
      parent.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /port=(\d+)/.exec(output);
        if (match) done(Number(match[1]));
      });
      parent.once('exit', () => fail(new Error(`parent exited before DynamoDB Local started:\n${output}`)));
    });
    expect(await canConnect('127.0.0.1', port)).toBe(true);

    // SIGKILL runs no exit handlers: only the closed stdin pipe can stop the launcher.
    parent.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while ((await canConnect('127.0.0.1', port)) && Date.now() < deadline) {
      await new Promise((wake) => setTimeout(wake, 200));
    }
    expect(await canConnect('127.0.0.1', port)).toBe(false);
  });
});
