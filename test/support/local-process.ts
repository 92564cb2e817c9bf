/**
 * `npm start` as a real process, as a user runs it: for the tests that kill it and start it again.
 * It runs in its own process group, so a kill reaches npm, Node and the Java process alike.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

export interface LocalProcess {
  url: string;
  output: () => string;
  /**
   * SIGKILL to the whole group: a crash, with no chance to clean up. Answers `false` when the
   * process had already exited on its own (then its output says why).
   */
  crash(): Promise<boolean>;
  /** SIGINT, as Ctrl-C. */
  interrupt(): Promise<number | null>;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

export const startLocalProcess = async (
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<LocalProcess> => {
  const child = spawn('npm', ['start', '--silent'], {
    // Tests and scripts mint identities through /local/token (docs/accounts.md).
    env: { ...process.env, LOCAL_DEV_TOKENS: '1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = () => {
      const ready = /^ready (http:\/\/\S+)$/m.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  const group = -(child.pid as number);
  return {
    url,
    output: () => output,
    crash: async () => {
      const running = child.exitCode === null && child.signalCode === null;
      try {
        process.kill(group, 'SIGKILL');
      } catch (error) {
        // Nothing left in the group: the runtime had exited by itself.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
      await exited(child);
      return running;
    },
    interrupt: async () => {
      process.kill(group, 'SIGINT');
      return exited(child);
    },
  };
};
