/**
 * Field issues say what is wrong by a code and its parameters, so that every client renders them in
 * its own language without reading the English message.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ComplaintInput, type ComplaintInputBody } from '#shared/domain/complaint';
import { makeCreditCode } from '#shared/domain/credit-code';
import { type FieldIssue, fieldIssueCodes, ValidationError } from '#shared/domain/errors';
import * as z from '#shared/domain/schema';
import { parseWith, toFieldIssues } from '#shared/domain/validation';
import { ReviewDecision } from '#shared/tasks/messages';

// 2026-03-15 20:00 in China.
const NOW = new Date('2026-03-15T12:00:00Z');
const BEIJING_CODE = makeCreditCode('51110000MJ0000000');

const validBody = (): ComplaintInputBody => ({
  association: { name: '北京市XX行业协会', creditCode: BEIJING_CODE },
  fee: {
    name: '年度会费',
    category: 'MEMBERSHIP_DUES',
    amountFen: 500_000,
    chargedOn: '2026-03-01',
    period: 'ANNUAL',
  },
  description: '协会强制要求缴纳年度会费。',
  contact: { name: '张三', phone: '+86 138-0000-0000' },
});

/** The issues `input` fails `schema` with, as a client receives them. */
const issuesOf = (schema: z.ZodMiniType<unknown>, input: unknown): FieldIssue[] => {
  try {
    parseWith(schema, input, 'test');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  return [];
};

/** The parts of a complaint body a test changes. */
type Editable = Record<'association' | 'fee' | 'contact', Record<string, unknown>>;

/** The complaint issues of a valid body changed by `change`. */
const complaintIssues = (change: (body: Editable) => void): FieldIssue[] => {
  const body = structuredClone(validBody()) as unknown as Editable;
  change(body);
  return issuesOf(ComplaintInput, body);
};

const decision = { verdict: 'UNLAWFUL', ruleIds: ['R01'], reason: 'Forced to join', actions: ['ABOLISH'] };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('field issue codes', () => {
  it('calls a field that is absent required', () => {
    // Act
    const issues = complaintIssues((body) => {
      delete body.fee.category;
    });

    // Assert
    expect(issues).toEqual([expect.objectContaining({ path: 'fee.category', code: 'required' })]);
  });

  it('names the type a field of the wrong type should have', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.fee.amountFen = 12.5;
    });

    // Assert
    expect(issues).toEqual([
      expect.objectContaining({ path: 'fee.amountFen', code: 'invalid_type', params: { expected: 'int' } }),
    ]);
  });

  it('reports a value outside an enumeration as invalid_value', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.fee.category = 'LUNCH';
    });

    // Assert
    expect(issues).toEqual([expect.objectContaining({ path: 'fee.category', code: 'invalid_value' })]);
  });

  it('gives the limit of a text that is too long, and of what it is', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.fee.name = '费'.repeat(201);
    });

    // Assert
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'fee.name',
        code: 'too_big',
        params: { origin: 'string', maximum: 200 },
      }),
    ]);
  });

  it('gives the minimum of an amount that is too small', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.fee.amountFen = 0;
    });

    // Assert
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'fee.amountFen',
        code: 'too_small',
        params: { origin: 'number', minimum: 1 },
      }),
    ]);
  });

  it('names the campaign pattern a text fails, not just "regex"', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.contact.phone = 'call me maybe';
    });

    // Assert
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'contact.phone', code: 'invalid_format', params: { format: 'phone' } }),
    );
  });

  it("names zod's own formats as zod does", () => {
    // Act
    const issues = complaintIssues((body) => {
      body.contact.email = 'not an address';
    });

    // Assert
    expect(issues).toEqual([
      expect.objectContaining({ path: 'contact.email', code: 'invalid_format', params: { format: 'email' } }),
    ]);
  });

  it('says which check a well-formed but invalid credit code fails', () => {
    // Arrange
    const wrongCheck = `${BEIJING_CODE.slice(0, 17)}${BEIJING_CODE.endsWith('0') ? '1' : '0'}`;

    // Act
    const issues = complaintIssues((body) => {
      body.association.creditCode = wrongCheck;
    });

    // Assert
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'association.creditCode',
        code: 'invalid_credit_code',
        params: { problem: 'check_character' },
      }),
    ]);
  });

  it('reports an association named by neither code nor province as code_or_province', () => {
    // Act
    const issues = complaintIssues((body) => {
      delete body.association.creditCode;
    });

    // Assert
    expect(issues).toEqual([expect.objectContaining({ path: 'association', code: 'code_or_province' })]);
  });

  it('reports a fee charged after today as future_date', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.fee.chargedOn = '2026-03-16';
    });

    // Assert
    expect(issues).toEqual([expect.objectContaining({ path: 'fee.chargedOn', code: 'future_date' })]);
  });

  it('reports each unknown field as unknown_field', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.fee.color = 'red';
    });

    // Assert
    expect(issues).toEqual([expect.objectContaining({ path: 'fee.color', code: 'unknown_field' })]);
  });

  it('carries the verdict of a decision that orders what its verdict cannot', () => {
    // Act
    const issues = issuesOf(ReviewDecision, { ...decision, verdict: 'DISMISSED' });

    // Assert
    expect(issues).toEqual([
      expect.objectContaining({ path: 'actions', code: 'no_actions', params: { verdict: 'DISMISSED' } }),
    ]);
  });

  it('reports a rule listed twice as not_unique', () => {
    // Act
    const issues = issuesOf(ReviewDecision, { ...decision, ruleIds: ['R01', 'R01'] });

    // Assert
    expect(issues).toEqual([expect.objectContaining({ path: 'ruleIds', code: 'not_unique' })]);
  });

  it('keeps the English message beside the code', () => {
    // Act
    const issues = complaintIssues((body) => {
      body.fee.chargedOn = '2026-03-16';
    });

    // Assert
    expect(issues[0]?.message).toBe('must not be in the future');
  });

  it('reports a refinement without a campaign code as invalid', () => {
    // Arrange
    const schema = z.string().check(z.refine((text) => text === 'yes', 'say yes'));

    // Act
    const issues = issuesOf(schema, 'no');

    // Assert
    expect(issues).toEqual([{ path: '', code: 'invalid', message: 'say yes' }]);
  });

  it('uses only the codes the API documents', () => {
    // Arrange
    const bodies = [
      { ...validBody(), association: {}, fee: { amountFen: -1, chargedOn: 'yesterday' }, extra: 1 },
      { ...validBody(), contact: { name: ' ', phone: '1', email: 'x' }, description: ' ' },
    ];

    // Act
    const codes = bodies.flatMap((body) =>
      toFieldIssues(ComplaintInput.safeParse(body).error?.issues ?? [], body).map((issue) => issue.code),
    );

    // Assert
    expect(codes.length).toBeGreaterThan(5);
    expect(fieldIssueCodes).toEqual(expect.arrayContaining(codes));
  });
});
