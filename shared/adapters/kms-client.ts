/** The one KMS client of a process (contact sealing and the audit chain's key share it). */
import { KMSClient } from '@aws-sdk/client-kms';

export const kmsClient = new KMSClient({});
