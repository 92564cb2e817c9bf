/**
 * Sealing complainant contact details at rest, with AES-256-GCM bound to the complaint id (its
 * additional data). On AWS the key is a data key of the data stack's KMS key (envelope encryption):
 * KMS GenerateDataKey gives one for a few minutes or a number of contacts, whichever ends first (the
 * AWS Encryption SDK's caching approach), so a filing seals without calling KMS, and the sealed contact
 * carries the data key encrypted by KMS, which only readers with kms:Decrypt can open. Contacts sealed
 * before this (one KMS Encrypt each, `kms.`) still open. The local runtime uses a key it keeps under its
 * data folder. Either way the table only ever holds ciphertext.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { callDependency } from '#shared/adapters/aws-errors';
import { kmsClient } from '#shared/adapters/kms-client';
import type { Contact } from '#shared/domain/complaint';
import type { ContactSealer } from '#shared/ports/complaints';

const encode = (contact: Contact) => Buffer.from(JSON.stringify(contact), 'utf8');
const decode = (plain: Uint8Array) => JSON.parse(Buffer.from(plain).toString('utf8')) as Contact;
const text = (part: Uint8Array) => Buffer.from(part).toString('base64url');
const bytes = (part: string | undefined) => Buffer.from(part ?? '', 'base64url');

/** `iv.tag.body` of the contact under `key`, bound to the complaint. */
/** Keys are KeyObjects, made once: a raw key would be turned into one on every call, which costs most of a seal. */
const gcmSeal = (key: KeyObject, contact: Contact, complaintId: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(complaintId));
  const body = Buffer.concat([cipher.update(encode(contact)), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map(text).join('.');
};

const gcmOpen = (key: KeyObject, [iv, tag, body]: readonly string[], complaintId: string): Contact => {
  const decipher = createDecipheriv('aes-256-gcm', key, bytes(iv));
  decipher.setAAD(Buffer.from(complaintId));
  decipher.setAuthTag(bytes(tag));
  return decode(Buffer.concat([decipher.update(bytes(body)), decipher.final()]));
};

/** What a data key is for, bound to it by KMS: a data key of another purpose does not open contacts. */
const dataKeyContext = { purpose: 'complainant-contact' };

export interface DataKeyLimits {
  /** How long one data key seals contacts. */
  maxAgeMs: number;
  /** How many contacts one data key seals. */
  maxUses: number;
}

/** A few minutes and well under the 2^32 random IVs NIST allows one GCM key. */
const defaultLimits: DataKeyLimits = { maxAgeMs: 5 * 60_000, maxUses: 10_000 };
/** Data keys a reader keeps opened: contacts of one period share a key, so few are needed. */
const openedKeysKept = 64;

export class KmsContactSealer implements ContactSealer {
  private dataKey: { plain: KeyObject; encrypted: string; until: number; usesLeft: number } | undefined;
  private generating: Promise<void> | undefined;
  private readonly openedKeys = new Map<string, Promise<KeyObject>>();

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
    private readonly limits: DataKeyLimits = defaultLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async seal(contact: Contact, complaintId: string): Promise<string> {
    for (;;) {
      const key = this.dataKey;
      if (key && key.usesLeft > 0 && this.now() < key.until) {
        key.usesLeft -= 1;
        return `env.${key.encrypted}.${gcmSeal(key.plain, contact, complaintId)}`;
      }
      // One GenerateDataKey at a time, however many filings arrive as the key runs out.
      this.generating ??= this.generateDataKey().finally(() => {
        this.generating = undefined;
      });
      await this.generating;
    }
  }

  async open(sealed: string, complaintId: string): Promise<Contact> {
    if (sealed.startsWith('kms.')) return this.openDirect(sealed, complaintId);
    const [, encrypted, ...parts] = sealed.split('.');
    return gcmOpen(await this.openDataKey(encrypted ?? ''), parts, complaintId);
  }

  private async generateDataKey(): Promise<void> {
    const { Plaintext, CiphertextBlob } = await callDependency('KMS', () =>
      this.kms.send(
        new GenerateDataKeyCommand({
          KeyId: this.keyId,
          KeySpec: 'AES_256',
          EncryptionContext: dataKeyContext,
        }),
      ),
    );
    if (!Plaintext || !CiphertextBlob) throw new Error('KMS GenerateDataKey answered without a key');
    this.dataKey = {
      plain: createSecretKey(Plaintext),
      encrypted: text(CiphertextBlob),
      until: this.now() + this.limits.maxAgeMs,
      usesLeft: this.limits.maxUses,
    };
  }

  private openDataKey(encrypted: string): Promise<KeyObject> {
    let opened = this.openedKeys.get(encrypted);
    if (!opened) {
      opened = callDependency('KMS', () =>
        this.kms.send(
          new DecryptCommand({
            CiphertextBlob: bytes(encrypted),
            KeyId: this.keyId,
            EncryptionContext: dataKeyContext,
          }),
        ),
      ).then(({ Plaintext }) => createSecretKey(Plaintext ?? new Uint8Array()));
      // A failed opening is not kept: the next reader asks KMS again.
      opened.catch(() => this.openedKeys.delete(encrypted));
      this.openedKeys.set(encrypted, opened);
      // The oldest opened key goes first (a Map keeps insertion order).
      if (this.openedKeys.size > openedKeysKept) {
        const [oldest] = this.openedKeys.keys();
        if (oldest !== undefined) this.openedKeys.delete(oldest);
      }
    }
    return opened;
  }

  /** A contact sealed by KMS Encrypt itself, as intake sealed them before envelope encryption. */
  private async openDirect(sealed: string, complaintId: string): Promise<Contact> {
    const blob = bytes(sealed.slice('kms.'.length));
    const { Plaintext } = await callDependency('KMS', () =>
      this.kms.send(
        new DecryptCommand({ CiphertextBlob: blob, KeyId: this.keyId, EncryptionContext: { complaintId } }),
      ),
    );
    return decode(Plaintext ?? new Uint8Array());
  }
}

export class LocalKeyContactSealer implements ContactSealer {
  private readonly key: KeyObject;

  constructor(base64Key: string) {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32) throw new Error('LOCAL_CONTACT_KEY must be 32 bytes, base64-encoded');
    this.key = createSecretKey(key);
  }

  async seal(contact: Contact, complaintId: string): Promise<string> {
    return `local.${gcmSeal(this.key, contact, complaintId)}`;
  }

  async open(sealed: string, complaintId: string): Promise<Contact> {
    return gcmOpen(this.key, sealed.split('.').slice(1), complaintId);
  }
}

export const contactSealerFor = (config: {
  CONTACT_KEY_ID?: string | undefined;
  LOCAL_CONTACT_KEY?: string | undefined;
}): ContactSealer =>
  config.CONTACT_KEY_ID
    ? new KmsContactSealer(kmsClient, config.CONTACT_KEY_ID)
    : new LocalKeyContactSealer(config.LOCAL_CONTACT_KEY ?? '');
