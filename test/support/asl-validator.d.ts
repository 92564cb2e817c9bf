/** asl-validator 4 ships no types; this is the part the tests use. It mutates its argument: pass a clone. */
declare module 'asl-validator' {
  export interface AslValidationResult {
    isValid: boolean;
    errors: unknown[];
  }
  export default function aslValidator(definition: unknown): AslValidationResult;
}
