/** Definition checks, run when a state machine is created: it is refused with every problem named. */
import { isObject, type Json } from '#infra/local/step-functions/json';
import { maxTimerMs } from '#infra/local/step-functions/timers';

/** The Task resources that run locally, and how: a plain invoke or a `.waitForTaskToken` callback. */
export const integrations = {
  'arn:aws:states:::lambda:invoke': 'invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken': 'callback',
} as const;
export type TaskKind = (typeof integrations)[keyof typeof integrations];

/** The ARN of the local handler for a FunctionName, if there is one. */
type FunctionArnOf = (functionName: string) => string | undefined;

/** What the engine would not notice (or would run differently from AWS), state by state. */
export const checkDefinition = (definition: unknown, functionArn: FunctionArnOf): string[] => {
  const problems: string[] = [];
  const names = new Set<string>();
  const visit = (scope: unknown, where: string) => {
    if (!isObject(scope) || !isObject(scope.States)) {
      problems.push(`${where}: States must be an object`);
      return;
    }
    if (scope.QueryLanguage === 'JSONata') {
      problems.push(`${where}: JSONata is not supported, use JSONPath`);
    }
    for (const [name, state] of Object.entries(scope.States)) {
      if (!isObject(state)) continue;
      // Overrides are keyed by state name, so names must be unique across branches too (as AWS requires).
      if (names.has(name)) problems.push(`state ${name}: the name is used twice`);
      names.add(name);
      const at = `state ${name}`;
      if (state.QueryLanguage === 'JSONata') problems.push(`${at}: JSONata is not supported, use JSONPath`);
      for (const field of ['Assign', 'Arguments', 'Output']) {
        if (field in state) {
          problems.push(`${at}: ${field} (variables/JSONata) is ignored by the local engine`);
        }
      }
      if (state.Type === 'Wait' && typeof state.Seconds === 'number' && state.Seconds * 1000 > maxTimerMs) {
        problems.push(`${at}: a Wait longer than 24.8 days overflows the local engine's timer`);
      }
      if (state.Type === 'Task') problems.push(...checkTask(at, state, functionArn));
      if (Array.isArray(state.Branches)) {
        for (const [i, branch] of state.Branches.entries()) visit(branch, `${at} branch ${i}`);
      }
      if (state.ItemProcessor ?? state.Iterator) {
        visit(state.ItemProcessor ?? state.Iterator, `${at} iterator`);
      }
    }
  };
  visit(definition, 'definition');
  return problems;
};

const checkTask = (at: string, state: Json, functionArn: FunctionArnOf): string[] => {
  const resource = String(state.Resource);
  if (!Object.hasOwn(integrations, resource)) {
    return [
      `${at}: Resource ${resource} is not supported locally (only ${Object.keys(integrations).join(', ')})`,
    ];
  }
  const parameters = state.Parameters;
  if (!isObject(parameters) || !('FunctionName' in parameters || 'FunctionName.$' in parameters)) {
    return [`${at}: Parameters must name the function (FunctionName)`];
  }
  const problems: string[] = [];
  if (typeof parameters.FunctionName === 'string' && !functionArn(parameters.FunctionName)) {
    problems.push(`${at}: no local handler for function ${parameters.FunctionName}`);
  }
  if ('InvocationType' in parameters && parameters.InvocationType !== 'RequestResponse') {
    problems.push(`${at}: only the RequestResponse invocation type is supported`);
  }
  if (
    integrations[resource as keyof typeof integrations] === 'callback' &&
    !JSON.stringify(parameters).includes('$$.Task.Token')
  ) {
    problems.push(`${at}: a .waitForTaskToken task must pass $$.Task.Token in its Parameters`);
  }
  return problems;
};
