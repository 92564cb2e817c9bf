/**
 * Sealing contacts on AWS: envelope encryption under a cached KMS data key, with KMS mocked (a data
 * key is random bytes, "encrypted" as a handle the mock maps back), and contacts sealed by KMS Encrypt
 * before envelope encryption still opening.
 */
import { randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsContactSealer } from '#shared/adapters/contact-sealer';

const keyId = 'arn:aws:kms:us-east-1:111122223333:key/contact';
const contact = { name: '张三', phone: '13800000000', email: 'zhang@example.com' };

const kms = mockClient(KMSClient);
/** The mock's data keys: encrypted handle (hex) -> plaintext key. */
const dataKeys = new Map<string, Uint8Array>();

beforeEach(() => {
  kms.reset();
  dataKeys.clear();
  kms.on(GenerateDataKeyCommand).callsFake(() => {
    const plaintext = randomBytes(32);
    const handle = randomBytes(16);
    dataKeys.set(handle.toString('hex'), plaintext);
    return { Plaintext: plaintext, CiphertextBlob: handle, KeyId: keyId };
  });
  kms.on(DecryptCommand).callsFake((input) => ({
    Plaintext: dataKeys.get(Buffer.from(input.CiphertextBlob).toString('hex')),
    KeyId: keyId,
  }));
});

const sealer = (limits = { maxAgeMs: 60_000, maxUses: 1_000 }, now = () => 0) =>
  new KmsContactSealer(new KMSClient({}), keyId, limits, now);

describe('KmsContactSealer', () => {
  it('seals a hundred contacts with one data key and opens each by its complaint id', async () => {
    // Arrange
    const sealing = sealer();
    const ids = Array.from({ length: 100 }, (_, i) => `complaint-${i}`);

    // Act
    const sealed = await Promise.all(ids.map((id) => sealing.seal(contact, id)));
    const opened = await Promise.all(ids.map((id, i) => sealer().open(sealed[i] as string, id)));

    // Assert
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(0);
    expect(opened).toEqual(ids.map(() => contact));
  });

  it('asks KMS for a new data key once the key has sealed its number of contacts', async () => {
    // Arrange
    const sealing = sealer({ maxAgeMs: 60_000, maxUses: 10 });

    // Act
    for (let i = 0; i < 25; i++) await sealing.seal(contact, `complaint-${i}`);

    // Assert
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(3);
  });

  it('asks KMS for a new data key once the key is older than its age limit', async () => {
    // Arrange
    let now = 0;
    const sealing = sealer({ maxAgeMs: 300_000, maxUses: 1_000 }, () => now);
    await sealing.seal(contact, 'complaint-1');

    // Act
    now = 300_001;
    await sealing.seal(contact, 'complaint-2');

    // Assert
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(2);
  });

  it('keeps the contact only as ciphertext, with the data key only as KMS encrypted it', async () => {
    // Act
    const sealed = await sealer().seal(contact, 'complaint-1');

    // Assert
    expect(sealed).toMatch(/^env\./);
    for (const value of Object.values(contact)) expect(sealed).not.toContain(value);
    const [plainKey] = [...dataKeys.values()];
    expect(sealed).not.toContain(Buffer.from(plainKey as Uint8Array).toString('base64url'));
  });

  it('refuses to open a contact under another complaint id', async () => {
    // Arrange
    const sealed = await sealer().seal(contact, 'complaint-1');

    // Act + Assert
    await expect(sealer().open(sealed, 'complaint-2')).rejects.toThrow();
  });

  it('opens a contact sealed by KMS Encrypt before envelope encryption, bound to its complaint id', async () => {
    // Arrange
    kms
      .on(DecryptCommand, { EncryptionContext: { complaintId: 'complaint-old' } })
      .resolves({ Plaintext: Buffer.from(JSON.stringify(contact)), KeyId: keyId });
    const sealed = `kms.${randomBytes(64).toString('base64url')}`;

    // Act
    const opened = await sealer().open(sealed, 'complaint-old');

    // Assert
    expect(opened).toEqual(contact);
    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(0);
  });
});
