/** The registration code: six digits, valid ten minutes, five tries. */
export const registrationCodeRules = { minutes: 10, tries: 5 } as const;
