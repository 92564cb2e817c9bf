/**
 * The audit chain's key. On AWS a KMS HMAC key (HMAC_256): writers may only GenerateMac, readers only
 * VerifyMac, and the key never leaves KMS. The local runtime uses HMAC-SHA256 from node:crypto with a
 * key it keeps under its data folder. Both compute the same HMAC-SHA256 (RFC 2104).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  GenerateMacCommand,
  type KMSClient,
  KMSInvalidMacException,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { callDependency } from '#shared/adapters/aws-errors';
import { kmsClient } from '#shared/adapters/kms-client';
import type { AuditSeal } from '#shared/domain/case-event';

const hexMac = /^[0-9a-f]{64}$/;

export class KmsAuditSeal implements AuditSeal {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async mac(bytes: Uint8Array): Promise<string> {
    const { Mac } = await callDependency('KMS', () =>
      this.kms.send(
        new GenerateMacCommand({ KeyId: this.keyId, MacAlgorithm: 'HMAC_SHA_256', Message: bytes }),
      ),
    );
    if (!Mac) throw new Error('KMS GenerateMac answered without a MAC');
    return Buffer.from(Mac).toString('hex');
  }

  async verify(bytes: Uint8Array, mac: string): Promise<boolean> {
    if (!hexMac.test(mac)) return false;
    try {
      const { MacValid } = await callDependency('KMS', () =>
        this.kms.send(
          new VerifyMacCommand({
            KeyId: this.keyId,
            MacAlgorithm: 'HMAC_SHA_256',
            Message: bytes,
            Mac: Buffer.from(mac, 'hex'),
          }),
        ),
      );
      return MacValid === true;
    } catch (error) {
      // KMS answers a MAC that does not verify with this exception rather than MacValid: false.
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}

export class LocalKeyAuditSeal implements AuditSeal {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('LOCAL_AUDIT_KEY must be 32 bytes, base64-encoded');
  }

  async mac(bytes: Uint8Array): Promise<string> {
    return createHmac('sha256', this.key).update(bytes).digest('hex');
  }

  async verify(bytes: Uint8Array, mac: string): Promise<boolean> {
    if (!hexMac.test(mac)) return false;
    return timingSafeEqual(createHmac('sha256', this.key).update(bytes).digest(), Buffer.from(mac, 'hex'));
  }
}

export const auditSealFor = (config: {
  AUDIT_KEY_ID?: string | undefined;
  LOCAL_AUDIT_KEY?: string | undefined;
}): AuditSeal =>
  config.AUDIT_KEY_ID
    ? new KmsAuditSeal(kmsClient, config.AUDIT_KEY_ID)
    : new LocalKeyAuditSeal(config.LOCAL_AUDIT_KEY ?? '');
