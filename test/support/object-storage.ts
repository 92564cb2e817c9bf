/**
 * The local runtime's S3-compatible storage (s3rver behind the gateway that checks signatures, forms
 * and presigned links as S3 does) on a loopback port of its own, for tests of S3 adapters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { type ObjectStorage, objectStoragePath, startObjectStorage } from '#infra/local/object-storage';
import type { SigningCredentials } from '#infra/local/signature-v4';

export interface LoopbackObjectStorage {
  storage: ObjectStorage;
  /** The gateway's S3 endpoint, for `S3ObjectReader`. */
  endpoint: string;
  /** An SDK client of the gateway with the storage's credentials. */
  s3: S3Client;
  stop(): Promise<void>;
}

export const startLoopbackObjectStorage = async (options: {
  bucket: string;
  credentials: SigningCredentials;
  region: string;
  /** Kept when given (a restart reopens it); otherwise a fresh folder, removed at stop. */
  directory?: string;
}): Promise<LoopbackObjectStorage> => {
  // The storage is told the server's origin, so the server listens first; no request comes before both.
  let storage: ObjectStorage | undefined;
  const server = createServer((req, res) => {
    void (storage?.handle(req, res) ?? Promise.resolve(false)).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'object-storage-')));
  const started = await startObjectStorage({
    directory,
    bucket: options.bucket,
    credentials: options.credentials,
    origin,
    screeningPrefix: 'incoming/',
    screen: async () => undefined,
    log: () => undefined,
  });
  storage = started;
  const endpoint = `${origin}${objectStoragePath}`;
  const s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: options.region,
    credentials: options.credentials,
    // s3rver cannot read the checksum trailers the SDK adds by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    storage: started,
    endpoint,
    s3,
    stop: async () => {
      s3.destroy();
      await started.stop();
      await new Promise((closed) => server.close(closed));
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
};
