/**
 * The task tokens of callback waits still pending, kept in the data folder across restarts: one JSON
 * line per change, appended before the engine answers the request that made it, and compacted at each
 * start. The engine's next process continues those waits with the tokens their task items record
 * (infra/local/step-functions/callbacks.ts), so resuming a waiting case writes nothing. A token is a
 * capability to decide a task: the file is the owner's only, as the rest of the data folder.
 */
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { privateFileMode } from '#infra/local/data-dir';
import type { KeptTokens, PendingToken, TokenChange } from '#infra/local/step-functions/callbacks';
import { writeWholeFile } from '#shared/adapters/whole-file';

const isPendingToken = (value: unknown): value is PendingToken => {
  const wait = value as Partial<PendingToken> | null;
  return (
    typeof wait?.token === 'string' &&
    typeof wait.executionArn === 'string' &&
    typeof wait.stateName === 'string' &&
    typeof wait.payloadKey === 'string' &&
    typeof wait.expiresAt === 'number'
  );
};

/** The changes a line records; nothing for a line that is not one (a file from another version). */
const changeOf = (line: string): TokenChange | undefined => {
  try {
    const change = JSON.parse(line) as { opened?: unknown; closed?: unknown };
    if (isPendingToken(change.opened)) return { opened: change.opened };
    if (typeof change.closed === 'string') return { closed: change.closed };
  } catch {
    // Not a change: skipped.
  }
  return undefined;
};

export const keptTaskTokens = async (file: string): Promise<Required<KeptTokens>> => {
  const pending = new Map<string, PendingToken>();
  for (const line of (await readFile(file, 'utf8').catch(() => '')).split('\n')) {
    const change = changeOf(line);
    if (change && 'opened' in change) pending.set(change.opened.token, change.opened);
    else if (change) pending.delete(change.closed);
  }
  const now = Date.now();
  const live = [...pending.values()].filter((wait) => wait.expiresAt > now);
  await writeWholeFile(file, live.map((opened) => `${JSON.stringify({ opened })}\n`).join(''), {
    mode: privateFileMode,
  });
  return {
    pending: live,
    onChange: (change) => appendFileSync(file, `${JSON.stringify(change)}\n`, { mode: privateFileMode }),
  };
};
