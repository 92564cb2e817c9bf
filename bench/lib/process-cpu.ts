/**
 * CPU time of this process and of the DynamoDB Local it started (Linux /proc; elsewhere the Java side
 * is unknown and only this process is counted).
 */
import { readdirSync, readFileSync } from 'node:fs';

const clockTicksPerSecond = 100;

/** The pid of the DynamoDB Local (LoopbackDynamoDb) child of this process, if /proc shows one. */
export const dynamoLocalPid = (): number | undefined => {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        if (parent !== String(process.pid)) continue;
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('LoopbackDynamoDb')) return Number(entry);
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
};

/** User + system CPU milliseconds of a process so far (all its threads). */
export const processCpuMs = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
};

export interface CpuReading {
  nodeMs: number;
  dynamoMs?: number;
}

export const cpuReader = () => {
  const javaPid = dynamoLocalPid();
  const read = (): CpuReading => {
    const own = process.cpuUsage();
    const dynamoMs = javaPid === undefined ? undefined : processCpuMs(javaPid);
    return { nodeMs: (own.user + own.system) / 1000, ...(dynamoMs === undefined ? {} : { dynamoMs }) };
  };
  return {
    javaPid,
    read,
    since: (start: CpuReading): CpuReading => {
      const now = read();
      return {
        nodeMs: now.nodeMs - start.nodeMs,
        ...(now.dynamoMs !== undefined && start.dynamoMs !== undefined
          ? { dynamoMs: now.dynamoMs - start.dynamoMs }
          : {}),
      };
    },
  };
};
