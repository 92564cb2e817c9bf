/**
 * Cold import of a bundle as Lambda runs it: a fresh `node` process with the deployed environment
 * importing the bundle once, timed in CPU and wall clock.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { functions } from '#infra/system';

const run = promisify(execFile);

/**
 * What a deployed function finds in its environment at init: the construct's variables (Powertools,
 * the table, the key, the state machine) and Lambda's own. No NODE_OPTIONS: stacks are mapped to the
 * sources by the bundle itself, when one is formatted (`source-mapped-stacks.ts`).
 */
export const lambdaEnvironment = (fn: (typeof functions)[number]): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  POWERTOOLS_SERVICE_NAME: 'fee-campaign',
  POWERTOOLS_METRICS_NAMESPACE: 'FeeCampaign',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  TABLE_NAME: 'fee-campaign-bench',
  ...('contactKey' in fn.access && fn.access.contactKey
    ? { CONTACT_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' }
    : {}),
  ...('auditKey' in fn.access && fn.access.auditKey
    ? { AUDIT_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111' }
    : {}),
  ...('auditAnchors' in fn.access && fn.access.auditAnchors
    ? { AUDIT_ANCHORS_BUCKET: 'fee-campaign-audit-anchors-111122223333-us-east-1' }
    : {}),
  ...('workflow' in fn.access && fn.access.workflow
    ? { STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:fee-case' }
    : {}),
  ...('deliveryQueue' in fn.access && fn.access.deliveryQueue
    ? { DELIVERY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/fee-campaign-delivery' }
    : {}),
  ...('messaging' in fn.access && fn.access.messaging
    ? { MAIL_FROM: 'notice@fee-campaign.example.cn', SMS_ORIGINATION_IDENTITY: 'fee-campaign' }
    : {}),
  ...('evidence' in fn.access && fn.access.evidence
    ? {
        EVIDENCE_BUCKET: 'fee-campaign-evidence-111122223333',
        EVIDENCE_KMS_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/22222222-2222-2222-2222-222222222222',
      }
    : {}),
  ...('accounts' in fn.access && fn.access.accounts === 'manage' ? { USER_POOL_ID: 'us-east-1_bench' } : {}),
  ...('environment' in fn ? fn.environment : {}),
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: `bench-${fn.name}`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMiB),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
});

/**
 * Milliseconds a fresh Node process spends in `await import(bundle)`: wall clock, and CPU (all the
 * process's threads: parsing, compiling, running the module bodies, GC). A 512 MB Lambda gets about a
 * third of a vCPU, so its init time follows the CPU time; and on a shared machine CPU time is what
 * stays put while other processes stretch the wall clock.
 */
export const importTime = async (
  file: string,
  env: Record<string, string>,
): Promise<{ wallMs: number; cpuMs: number }> => {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const wallMs = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wallMs, cpuMs: (u.user + u.system) / 1000 }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env,
    timeout: 30_000,
  });
  try {
    return JSON.parse(stdout.trim()) as { wallMs: number; cpuMs: number };
  } catch {
    throw new Error(`import of ${file} printed ${stdout}`);
  }
};

/**
 * Cold imports of `files` in turn, `runs` rounds, each file's times in the order given: interleaved,
 * so a change in the machine's load falls on all of them alike. One untimed round first warms the
 * page cache, as a Lambda's code is on local disk at init.
 */
export const interleavedImportTimes = async (
  files: readonly string[],
  env: Record<string, string>,
  runs: number,
): Promise<{ wallMs: number; cpuMs: number }[][]> => {
  for (const file of files) await importTime(file, env);
  const times = files.map((): { wallMs: number; cpuMs: number }[] => []);
  for (let i = 0; i < runs; i++)
    for (const [n, file] of files.entries()) times[n]?.push(await importTime(file, env));
  return times;
};
