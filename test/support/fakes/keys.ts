/** The real local keys (audit chain, contact sealing) with throwaway key material, and no anchors. */
import { randomBytes } from 'node:crypto';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { LocalKeyContactSealer } from '#shared/adapters/contact-sealer';
import type { AuditSeal } from '#shared/domain/case-event';
import type { AnchoredHeads } from '#shared/ports/anchors';
import type { ContactSealer } from '#shared/ports/complaints';

const freshKey = () => randomBytes(32).toString('base64');

export const testAuditSeal = (): AuditSeal => new LocalKeyAuditSeal(freshKey());

export const testContactSealer = (): ContactSealer => new LocalKeyContactSealer(freshKey());

/** Anchored heads before any anchor was written: no case has one. */
export const noAnchors: AnchoredHeads = { latestHeadOf: async () => undefined };
