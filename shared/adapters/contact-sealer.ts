/**
 * Sealing complainant contact details at rest. On AWS the KMS key of the data stack encrypts them
 * (bound to the complaint id through the encryption context); the local runtime uses AES-256-GCM with
 * a key it keeps under its data folder. Either way the table only ever holds ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { callDependency } from '#shared/adapters/aws-errors';
import { kmsClient } from '#shared/adapters/kms-client';
import type { Contact } from '#shared/domain/complaint';
import type { ContactSealer } from '#shared/ports/complaints';

const encode = (contact: Contact) => Buffer.from(JSON.stringify(contact), 'utf8');
const decode = (plain: Uint8Array) => JSON.parse(Buffer.from(plain).toString('utf8')) as Contact;

export class KmsContactSealer implements ContactSealer {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async seal(contact: Contact, complaintId: string): Promise<string> {
    const { CiphertextBlob } = await callDependency('KMS', () =>
      this.kms.send(
        new EncryptCommand({
          KeyId: this.keyId,
          Plaintext: encode(contact),
          EncryptionContext: { complaintId },
        }),
      ),
    );
    return `kms.${Buffer.from(CiphertextBlob ?? new Uint8Array()).toString('base64url')}`;
  }

  async open(sealed: string, complaintId: string): Promise<Contact> {
    const blob = Buffer.from(sealed.replace(/^kms\./, ''), 'base64url');
    const { Plaintext } = await callDependency('KMS', () =>
      this.kms.send(
        new DecryptCommand({ CiphertextBlob: blob, KeyId: this.keyId, EncryptionContext: { complaintId } }),
      ),
    );
    return decode(Plaintext ?? new Uint8Array());
  }
}

export class LocalKeyContactSealer implements ContactSealer {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('LOCAL_CONTACT_KEY must be 32 bytes, base64-encoded');
  }

  async seal(contact: Contact, complaintId: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(complaintId));
    const body = Buffer.concat([cipher.update(encode(contact)), cipher.final()]);
    return ['local', iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  async open(sealed: string, complaintId: string): Promise<Contact> {
    const [, iv, tag, body] = sealed.split('.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv ?? '', 'base64url'));
    decipher.setAAD(Buffer.from(complaintId));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
    return decode(Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]));
  }
}

export const contactSealerFor = (config: {
  CONTACT_KEY_ID?: string | undefined;
  LOCAL_CONTACT_KEY?: string | undefined;
}): ContactSealer =>
  config.CONTACT_KEY_ID
    ? new KmsContactSealer(kmsClient, config.CONTACT_KEY_ID)
    : new LocalKeyContactSealer(config.LOCAL_CONTACT_KEY ?? '');
