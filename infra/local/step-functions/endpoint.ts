/**
 * The Step Functions API over HTTP: answers the real `@aws-sdk/client-sfn` client (AWS JSON 1.0) under
 * `/local/sfn`, and only requests signed (SigV4) with the credentials it was given: anyone else on the
 * machine reaches that port too, and starting or stopping executions moves cases.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mediaTypeOf, readBodyUpTo } from '#infra/local/requests';
import { type SigningCredentials, signatureRefusal } from '#infra/local/signature-v4';
import { StepFunctionsError, type StepFunctionsErrorCode } from '#infra/local/step-functions/api-errors';
import type { ExecutionStatus, LocalStepFunctions } from '#infra/local/step-functions/engine';
import { isObject, type Json, maxPayloadBytes } from '#infra/local/step-functions/json';

/** HTTP status of the errors that are not a 400. */
const statusOf: Partial<Record<StepFunctionsErrorCode, number>> = {
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  RequestEntityTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
};

/** A request is read up to Step Functions' own payload limit, and no further. */
const maxRequestBytes = maxPayloadBytes;
/** The signing name of Step Functions in SigV4 credential scopes. */
const signingService = 'states';

const epochSeconds = (date: Date) => date.getTime() / 1000;

/**
 * Answers `POST /local/sfn` as the Step Functions API (AWS JSON 1.0); false for any other path. The
 * body is read up to 256 KiB, and nothing reaches the engine unless it is signed with `credentials`.
 */
export const answerApiRequest = async (
  engine: LocalStepFunctions,
  credentials: SigningCredentials | undefined,
  log: (line: string) => void,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> => {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (path !== '/local/sfn' && path !== '/local/sfn/') return false;
  const requestId = randomUUID();
  const reply = (status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    });
    res.end(JSON.stringify(body));
  };
  try {
    if (req.method !== 'POST') {
      throw new StepFunctionsError('UnknownOperationException', `${req.method} is not supported: use POST`);
    }
    if (mediaTypeOf(req) !== 'application/x-amz-json-1.0') {
      throw new StepFunctionsError('UnsupportedMediaTypeException', 'Send application/x-amz-json-1.0');
    }
    const raw = await readBodyUpTo(req, res, maxRequestBytes);
    if (raw === undefined) {
      throw new StepFunctionsError(
        'RequestEntityTooLargeException',
        `The request exceeds the maximum size of ${maxRequestBytes} bytes`,
      );
    }
    const refusal = credentials
      ? signatureRefusal(req, raw, credentials, signingService)
      : { code: 'UnrecognizedClientException' as const, message: 'This engine answers no client' };
    if (refusal) throw new StepFunctionsError(refusal.code, refusal.message);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
    reply(200, dispatch(engine, operation, parseRequest(raw)));
  } catch (error) {
    if (error instanceof StepFunctionsError) {
      reply(statusOf[error.code] ?? 400, { __type: error.code, message: error.message }, error.code);
    } else {
      log(`step functions: ${(error as Error).stack ?? String(error)}`);
      reply(500, { __type: 'InternalFailure', message: 'Internal failure' }, 'InternalFailure');
    }
  }
  return true;
};

const dispatch = (engine: LocalStepFunctions, operation: string, body: Json): unknown => {
  const text = (field: string) => {
    const value = body[field];
    if (typeof value !== 'string') {
      throw new StepFunctionsError(
        'ValidationException',
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  };
  const optional = (field: string) => (typeof body[field] === 'string' ? (body[field] as string) : undefined);
  const dates = <T extends { startDate: Date; stopDate?: Date }>(item: T) => ({
    ...item,
    startDate: epochSeconds(item.startDate),
    stopDate: item.stopDate ? epochSeconds(item.stopDate) : undefined,
  });
  switch (operation) {
    case 'StartExecution': {
      const started = engine.startExecution({
        stateMachineArn: text('stateMachineArn'),
        name: optional('name'),
        input: optional('input'),
      });
      return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
    }
    case 'DescribeExecution': {
      const description = engine.describeExecution({ executionArn: text('executionArn') });
      return {
        ...dates(description),
        inputDetails: { included: true },
        ...(description.output === undefined ? {} : { outputDetails: { included: true } }),
      };
    }
    case 'StopExecution': {
      const stopped = engine.stopExecution({
        executionArn: text('executionArn'),
        error: optional('error'),
        cause: optional('cause'),
      });
      return { stopDate: epochSeconds(stopped.stopDate) };
    }
    case 'ListExecutions': {
      const statusFilter = optional('statusFilter') as ExecutionStatus | undefined;
      const listed = engine.listExecutions({ stateMachineArn: text('stateMachineArn'), statusFilter });
      return { executions: listed.executions.map(dates) };
    }
    case 'SendTaskSuccess':
      return engine.sendTaskSuccess({ taskToken: text('taskToken'), output: text('output') });
    case 'SendTaskFailure':
      return engine.sendTaskFailure({
        taskToken: text('taskToken'),
        error: optional('error'),
        cause: optional('cause'),
      });
    case 'SendTaskHeartbeat':
      return engine.sendTaskHeartbeat({ taskToken: text('taskToken') });
    default:
      throw new StepFunctionsError('UnknownOperationException', `Unknown operation '${operation}'`);
  }
};

const parseRequest = (raw: Buffer): Json => {
  const text = raw.toString('utf8');
  try {
    const body: unknown = text ? JSON.parse(text) : {};
    if (isObject(body)) return body;
  } catch {
    // Answered below, as the service answers a body it cannot read.
  }
  throw new StepFunctionsError('SerializationException', 'The request body is not a JSON object');
};
