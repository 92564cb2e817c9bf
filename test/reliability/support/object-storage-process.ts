/**
 * The local evidence bucket in a process of its own, for the test that kills it: starts on the
 * folder `OBJECT_STORAGE_DIR` as the runtime does (handing unscreened uploads to the screener again,
 * which lists them), then prints `ready <endpoint>`.
 */
import { startLoopbackObjectStorage } from '#test/support/object-storage';

const directory = process.env.OBJECT_STORAGE_DIR;
if (!directory) throw new Error('set OBJECT_STORAGE_DIR');
const local = await startLoopbackObjectStorage({
  bucket: 'evidence-durability',
  credentials: { accessKeyId: 'durability-key', secretAccessKey: 'durability-secret' },
  region: 'us-east-1',
  directory,
});
const unscreened = await local.storage.redeliverUnscreened();
process.stdout.write(`unscreened ${unscreened}\nready ${local.endpoint}\n`);
