/**
 * The case view's read of the local runtime's audit anchors after a year of them (one anchor every 15
 * minutes, the anchorer's schedule: 35,040 lines) against a single anchor. Each case view asks the
 * anchor file for one case's anchored head, and the file only grows; the ledger reads only what was
 * appended since its last read. Target: the growth allowed to case search, 1.5x. The first read after
 * a start, which reads the whole file, is reported beside it.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { FileAnchorLedger } from '#shared/adapters/file-anchor-ledger';
import { type AuditAnchor, type ChainHead, sealAnchor } from '#shared/domain/audit-anchor';
import { interleavedRounds, median, since } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const anchorsInAYear = 365 * 24 * 4;
/** Cases whose chains advanced in one quarter of an hour, out of the 10,000 of the case search bench. */
const headsPerAnchor = 8;
const cases = 10_000;
const rounds = 30;
const maxGrowth = 1.5;

runSuite('audit-anchors', async (context) => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-anchors-'));
  try {
    const seal = new LocalKeyAuditSeal(randomBytes(32).toString('base64'));
    const caseIds = Array.from({ length: cases }, (_, n) => `case-${String(n).padStart(5, '0')}`);
    const headOf = (n: number): ChainHead => ({
      caseId: caseIds[n % cases] as string,
      seq: 1 + Math.floor(n / cases),
      link: randomBytes(32).toString('hex'),
    });
    // The year, then one anchor more for each round: the anchorer appends while the views read.
    const lines: string[] = [];
    let previous: AuditAnchor | undefined;
    const start = Date.parse('2025-12-01T00:00:00Z');
    for (let seq = 0; seq < anchorsInAYear + rounds; seq++) {
      const heads = Array.from({ length: headsPerAnchor }, (_, h) => headOf(seq * headsPerAnchor + h));
      previous = await sealAnchor(previous, heads, new Date(start + seq * 15 * 60_000).toISOString(), seal);
      lines.push(JSON.stringify(previous));
    }
    const later = lines.splice(anchorsInAYear);
    const yearFile = join(dir, 'year.jsonl');
    const oneFile = join(dir, 'one.jsonl');
    await writeFile(yearFile, `${lines.join('\n')}\n`);
    await writeFile(oneFile, `${lines.at(-1)}\n`);
    const yearBytes = (await stat(yearFile)).size;

    const year = new FileAnchorLedger(yearFile);
    const one = new FileAnchorLedger(oneFile);
    const firstReadStarted = performance.now();
    await year.latestHeadOf('case-00000');
    const firstReadMs = since(firstReadStarted);
    await one.latestHeadOf('case-00000');

    // Cases of the last anchor (in both files) and of older ones (in the year's only).
    const asked = (i: number) => caseIds[(i * 7919) % cases] as string;
    const contenders = {
      year: (i: number) => year.latestHeadOf(asked(i)),
      one: (i: number) => one.latestHeadOf(asked(i)),
    };
    await interleavedRounds(contenders, { rounds: 3, opsPerRound: 200, deadline: Number.POSITIVE_INFINITY });
    let appended = 0;
    const anchorMore = (file: string) => () => appendFileSync(file, `${later[appended++ % later.length]}\n`);
    const times = await interleavedRounds(contenders, {
      rounds,
      opsPerRound: 500,
      deadline: context.deadline,
      around: { year: { before: anchorMore(yearFile) }, one: { before: anchorMore(oneFile) } },
    });
    const yearUs = median(times.year?.wallUs ?? []);
    const oneUs = median(times.one?.wallUs ?? []);
    const fileMiB = (yearBytes / 1024 / 1024).toFixed(1);
    context.row({
      id: 'anchors.case-view',
      section: 4,
      benchmark: `case view's anchored head, local anchor file after a year (${anchorsInAYear.toLocaleString('en-US')} anchors) vs 1`,
      measured: yearUs,
      unit: 'us',
      floor: oneUs,
      floorLabel: 'same with one anchor',
      ratio: yearUs / oneUs,
      target: { on: 'ratio', op: '<=', value: maxGrowth },
      note: `wall median per read, one anchor appended before each round of 500; CPU ${median(times.year?.cpuUs ?? []).toFixed(1)} vs ${median(times.one?.cpuUs ?? []).toFixed(1)} us; file ${fileMiB} MiB, ${headsPerAnchor} heads per anchor over ${cases.toLocaleString('en-US')} cases`,
    });
    context.row({
      id: 'anchors.first-read',
      section: 4,
      benchmark: 'first case view after a start, local anchor file after a year: read whole',
      measured: firstReadMs,
      unit: 'ms',
      note: `once per process (cases-api's ledger), ${fileMiB} MiB; views arriving meanwhile wait for it; no target in the issue`,
    });
    context.detail('auditAnchors', { yearBytes, firstReadMs, times });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
