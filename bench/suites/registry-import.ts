/**
 * The association register's import (POST /api/admin/associations/import, the use case and its
 * DynamoDB adapter) on an in-memory DynamoDB Local: a 20,000-row CSV as a provincial register
 * publishes it, imported into an empty register and then again unchanged, against the floor of
 * BatchWriteItem of the same association items at the same concurrency (what any import must write).
 * Floor and import each get a DynamoDB Local of their own: its in-memory store slows as it fills
 * (stream records included), so sharing one would favour whichever runs first.
 * Reported per 1,000 rows. Target: the first import at most 1.5x the floor (parsing, checking and the
 * index cost at most half again the writes), and the unchanged re-import at most 0.25x the floor.
 */
import { registerCsv, registerRows } from '#infra/local/campaign-fixtures';
import { privateCampaignTable } from '#infra/local/create-table';
import { registryEntryItem, TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { batchWrite } from '#shared/adapters/dynamodb/table-io';
import { provinceOfCreditCode } from '#shared/domain/credit-code';
import type { Principal } from '#shared/domain/principal';
import { importRegister } from '#shared/registry/import-register';
import { runSuite } from '../lib/suite.ts';

const rowCount = Number(process.env.BENCH_REGISTRY_ROWS ?? 20_000);
const admin = { role: 'campaign-admin', subject: 'bench-admin' } as Principal;

const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};

runSuite('registry-import', async (context) => {
  const rows = registerRows(rowCount);
  const file = { bytes: Buffer.from(registerCsv(rows)), contentType: 'text/csv' };
  context.detail('fileBytes', file.bytes.length);
  const at = new Date().toISOString();
  const items = rows.map(([name = '', creditCode = '', , registeringAuthority = '']) =>
    registryEntryItem({
      creditCode,
      name,
      level: 'PROVINCIAL',
      registeringAuthority,
      memberCount: 100,
      status: 'ACTIVE',
      province: provinceOfCreditCode(creditCode),
      registeredAt: at,
      updatedAt: at,
    }),
  );

  const floorTable = await privateCampaignTable('registry-floor');
  const floor = await timed(() =>
    batchWrite(
      floorTable.documentClient,
      'registry-floor',
      items.map((Item) => ({ PutRequest: { Item } })),
    ),
  ).finally(floorTable.stop);
  context.log(`floor: ${items.length} items in ${Math.round(floor.ms)} ms`);

  const importTable = await privateCampaignTable('registry-import');
  try {
    const store = new TableAssociationRegistry(importTable.documentClient, 'registry-import');
    const first = await timed(() => importRegister({ store }, admin, file));
    context.log(`import: ${rowCount} rows in ${Math.round(first.ms)} ms`);
    const again = await timed(() => importRegister({ store }, admin, file));
    context.detail('reports', {
      first: { ...first.value, refused: first.value.refused.length },
      again: { ...again.value, refused: again.value.refused.length },
    });
    if (first.value.accepted !== rowCount || again.value.unchanged !== rowCount)
      throw new Error('the import did not take every row, or the second import changed some');

    const perThousand = (ms: number) => (ms * 1000) / rowCount;
    const common = {
      section: 11,
      unit: 'ms/1,000 rows',
      floor: perThousand(floor.ms),
      floorLabel: 'BatchWriteItem of the same items',
    };
    context.row({
      ...common,
      id: 'registry.import',
      benchmark: `register import, ${rowCount.toLocaleString('en-US')} new rows`,
      measured: perThousand(first.ms),
      ratio: first.ms / floor.ms,
      target: { on: 'ratio', op: '<=', value: 1.5 },
      note: `whole file ${(first.ms / 1000).toFixed(1)} s on DynamoDB Local (API Gateway allows 29 s)`,
    });
    context.row({
      ...common,
      id: 'registry.reimport',
      benchmark: `register import again, ${rowCount.toLocaleString('en-US')} unchanged rows`,
      measured: perThousand(again.ms),
      ratio: again.ms / floor.ms,
      target: { on: 'ratio', op: '<=', value: 0.25 },
      note: 'writes nothing: the compact index says every row is unchanged',
    });
  } finally {
    await importTable.stop();
  }
});
