/**
 * What a running local runtime leaves in its data folder for the tools beside it: `runtime.json`
 * names its URL, its DynamoDB Local endpoint (a free port by default) and its table,
 * `post-office.json` the ports of its post office, and the audit anchors go to
 * `audit-anchors.jsonl`. Only the folder's owner can read them (0700 folder, 0600 files), as only
 * they can read the keys and passwords in `secrets.json`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RuntimeRecord {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
}

export const runtimeRecordFile = (dataDir: string) => join(dataDir, 'runtime.json');
export const auditAnchorsFile = (dataDir: string) => join(dataDir, 'audit-anchors.jsonl');
export const secretsFile = (dataDir: string) => join(dataDir, 'secrets.json');
/** The post office's ports, kept so its inbox URL stays the same across restarts. */
export const postOfficeFile = (dataDir: string) => join(dataDir, 'post-office.json');

/** The record of the runtime that last started on this data folder, if any. */
export const readRuntimeRecord = async (dataDir: string): Promise<RuntimeRecord | undefined> =>
  readFile(runtimeRecordFile(dataDir), 'utf8').then(
    (text) => JSON.parse(text) as RuntimeRecord,
    () => undefined,
  );
