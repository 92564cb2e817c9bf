/** JSON as executions, tasks and the API pass it, within Step Functions' payload limit. */
import type { StateMachine } from 'aws-local-stepfunctions';

export type JsonValue = Parameters<StateMachine['run']>[0];
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const maxPayloadBytes = 256 * 1024;
export const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
