/**
 * The audit anchors on S3, against a small S3 on loopback that answers as S3 does for the three calls
 * the ledger makes (conditional put, get, list v2), and the Signature Version 4 they are signed with,
 * checked against AWS's own published example.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AnchorLedger } from '#shared/adapters/anchor-ledger';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { S3Bucket, signS3Request } from '#shared/adapters/s3-bucket';
import { anchorChainHeads } from '#shared/audit-anchors/anchor-chain-heads';
import { type ChainHead, verifyAnchors } from '#shared/domain/audit-anchor';

describe('signS3Request', () => {
  it('signs as AWS documents it (GET Object example of the S3 Signature Version 4 reference)', () => {
    const headers = signS3Request(
      {
        method: 'GET',
        host: 'examplebucket.s3.amazonaws.com',
        path: '/test.txt',
        query: {},
        headers: { range: 'bytes=0-9' },
        body: '',
      },
      'us-east-1',
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      new Date('2013-05-24T00:00:00Z'),
    );

    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

/** What S3 keeps and what it was asked, for one bucket. */
const objects = new Map<string, string>();
const requests: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
let server: Server;
let endpoint: string;

const body = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

beforeAll(async () => {
  server = createServer(async (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const key = decodeURIComponent(url.pathname.replace(/^\/anchors-bucket\/?/, ''));
    const text = await body(req);
    if (!String(req.headers.authorization).startsWith('AWS4-HMAC-SHA256 Credential=AKIDTEST/')) {
      res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    if (req.method === 'PUT') {
      if (req.headers['content-md5'] !== createHash('md5').update(text).digest('base64')) {
        res.writeHead(400).end('<Error><Code>InvalidDigest</Code></Error>');
        return;
      }
      if (req.headers['if-none-match'] === '*' && objects.has(key)) {
        res.writeHead(412).end('<Error><Code>PreconditionFailed</Code></Error>');
        return;
      }
      objects.set(key, text);
      res.writeHead(200).end();
      return;
    }
    if (url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const max = Number(url.searchParams.get('max-keys') ?? 1000);
      const after = url.searchParams.get('continuation-token') ?? '';
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = keys.slice(0, max);
      const next =
        keys.length > max
          ? `<NextContinuationToken>${escapeXml(page.at(-1) ?? '')}</NextContinuationToken>`
          : '';
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<ListBucketResult>${page.map((k) => `<Contents><Key>${escapeXml(k)}</Key></Contents>`).join('')}<IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${next}</ListBucketResult>`,
      );
      return;
    }
    const found = objects.get(key);
    if (found === undefined) res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
    else res.writeHead(200).end(found);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

const ledger = () =>
  new S3AnchorLedger(
    new S3Bucket({
      bucket: 'anchors-bucket',
      region: async () => 'eu-west-1',
      credentials: async () => ({
        accessKeyId: 'AKIDTEST',
        secretAccessKey: 'secret',
        sessionToken: 'session',
      }),
      endpoint,
    }),
  );
const seal = new LocalKeyAuditSeal(Buffer.alloc(32, 3).toString('base64'));
const markers = (heads: ChainHead[]) => ({
  list: async () => heads,
  markAnchored: async () => undefined,
});

describe('S3AnchorLedger', () => {
  it('appends chained anchors, newest listed first, and reads them all back in order', async () => {
    // Arrange
    const anchors = ledger();

    // Act
    for (let seq = 1; seq <= 3; seq++) {
      await anchorChainHeads({
        chains: markers([{ caseId: 'case-a', seq, link: 'a'.repeat(64) }]),
        ledger: anchors,
        seal,
      });
    }

    // Assert
    expect((await anchors.latest())?.anchorSeq).toBe(3);
    const all = await anchors.all();
    expect(all.map((anchor) => anchor.anchorSeq)).toEqual([1, 2, 3]);
    expect(await verifyAnchors(all, seal)).toEqual({ intact: true, anchors: 3 });
  });

  it('keeps the latest head of each case for the case view, and nothing for a case never anchored', async () => {
    const anchors = ledger();

    const head = await anchors.latestHeadOf('case-a');
    const none = await anchors.latestHeadOf('case-never-anchored');

    expect(head).toEqual({ caseId: 'case-a', seq: 3, link: 'a'.repeat(64), anchorSeq: 3 });
    expect(none).toBeUndefined();
  });

  it('refuses to write an anchor in a place already taken, without overwriting it', async () => {
    const anchors = ledger();
    const latest = await anchors.latest();

    const taken = await anchors.append({ ...(latest as NonNullable<typeof latest>), heads: [] });

    expect(taken).toBe(false);
    expect((await anchors.latest())?.heads).toHaveLength(1);
  });

  it('signs every request, with the session token and an integrity header on writes', () => {
    const puts = requests.filter((request) => request.method === 'PUT');

    expect(puts.length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(request.headers['x-amz-security-token']).toBe('session');
      expect(request.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(request.headers.authorization).toMatch(
        /SignedHeaders=[a-z0-9-;]*host[a-z0-9-;]*, Signature=[0-9a-f]{64}$/,
      );
    }
    for (const put of puts) expect(put.headers['content-md5']).toBeDefined();
    expect(
      puts
        .filter((put) => put.url.includes('/anchors/'))
        .every((put) => put.headers['if-none-match'] === '*'),
    ).toBe(true);
  });

  it('lists past a page of a thousand keys', async () => {
    for (let i = 0; i < 1_005; i++) objects.set(`heads/bulk-${String(i).padStart(4, '0')}.json`, '{}');
    const bucket = new S3Bucket({
      bucket: 'anchors-bucket',
      region: async () => 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }),
      endpoint,
    });

    const keys = await bucket.list('heads/bulk-');

    expect(keys).toHaveLength(1_005);
  });
});
