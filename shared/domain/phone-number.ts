/**
 * Phone numbers as SMS gateways take them (E.164). Complainants type theirs freely (spaces, dashes, a
 * bare mainland mobile number); a number that cannot be read as E.164 gets no SMS rather than a guess.
 */
export const e164PhoneNumber = (typed: string): string | undefined => {
  const compact = typed.replace(/[\s-]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  if (/^1[3-9]\d{9}$/.test(compact)) return `+86${compact}`;
  if (/^0086(1[3-9]\d{9})$/.test(compact)) return `+${compact.slice(2)}`;
  return undefined;
};
