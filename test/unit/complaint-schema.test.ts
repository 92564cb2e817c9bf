import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ComplaintInput, type ComplaintInputBody, todayInChina } from '#shared/domain/complaint';
import { makeCreditCode } from '#shared/domain/credit-code';
import { ValidationError } from '#shared/domain/errors';
import * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';

// 2026-03-15 20:00 in China.
const NOW = new Date('2026-03-15T12:00:00Z');
const BEIJING_CODE = makeCreditCode('51110000MJ0000000');

function validBody(): ComplaintInputBody {
  return {
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
  };
}

/** A copy of `body` with `key` set to `value` in the object at `path` (created when absent). */
function withField(body: ComplaintInputBody, path: string[], key: string, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let target = copy;
  for (const segment of path) {
    target[segment] ??= {};
    target = target[segment] as Record<string, unknown>;
  }
  target[key] = value;
  return copy;
}

/** The dotted paths of the issues a body fails with (empty when it parses). */
function failingPaths(body: unknown): string[] {
  const result = ComplaintInput.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ComplaintInput', () => {
  it('accepts a complete valid complaint', () => {
    // Arrange
    const body = validBody();

    // Act
    const result = ComplaintInput.safeParse(body);

    // Assert
    expect(result.success).toBe(true);
  });

  it('defaults facts to {} and discloseIdentityToAssociation to false', () => {
    // Arrange
    const body = validBody();

    // Act
    const complaint = ComplaintInput.parse(body);

    // Assert
    expect(complaint.facts).toEqual({});
    expect(complaint.discloseIdentityToAssociation).toBe(false);
  });

  it('keeps strings as given (no trimming)', () => {
    // Arrange
    const body = { ...validBody(), description: '  收费过高  ' };

    // Act
    const complaint = ComplaintInput.parse(body);

    // Assert
    expect(complaint.description).toBe('  收费过高  ');
  });

  describe('unknown fields', () => {
    it.each([
      ['the body', []],
      ['association', ['association']],
      ['fee', ['fee']],
      ['facts', ['facts']],
      ['contact', ['contact']],
    ])('are rejected in %s', (_level, path: string[]) => {
      // Arrange
      const body = withField(validBody(), path, 'extra', 1);

      // Act
      const result = ComplaintInput.safeParse(body);

      // Assert
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ code: 'unrecognized_keys', keys: ['extra'], path }),
      ]);
    });
  });

  describe('names and description', () => {
    it.each([
      ['association.name', (b: ComplaintInputBody, v: string) => Object.assign(b.association, { name: v })],
      ['fee.name', (b: ComplaintInputBody, v: string) => Object.assign(b.fee, { name: v })],
      ['contact.name', (b: ComplaintInputBody, v: string) => Object.assign(b.contact, { name: v })],
    ])('%s accepts 200 characters', (_path, set) => {
      // Arrange
      const body = validBody();
      set(body, '协'.repeat(200));

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it.each([
      ['association.name', (b: ComplaintInputBody, v: string) => Object.assign(b.association, { name: v })],
      ['fee.name', (b: ComplaintInputBody, v: string) => Object.assign(b.fee, { name: v })],
      ['contact.name', (b: ComplaintInputBody, v: string) => Object.assign(b.contact, { name: v })],
    ])('%s rejects 201 characters', (path, set) => {
      // Arrange
      const body = validBody();
      set(body, '协'.repeat(201));

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([path]);
    });

    it.each(['', '   ', '\u3000\u3000', '——'])('rejects the fee name %j', (name) => {
      // Arrange
      const body = validBody();
      body.fee.name = name;

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toContain('fee.name');
    });

    it('rejects a whitespace-only association name with a message saying so', () => {
      // Arrange
      const body = validBody();
      body.association.name = '   ';

      // Act
      const result = ComplaintInput.safeParse(body);

      // Assert
      expect(result.error?.issues[0]?.message).toMatch(/not only spaces or punctuation/);
    });

    it('accepts a description of 4000 characters', () => {
      // Arrange
      const body = { ...validBody(), description: '费'.repeat(4000) };

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it('rejects a description of 4001 characters', () => {
      // Arrange
      const body = { ...validBody(), description: '费'.repeat(4001) };

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['description']);
    });

    it.each(['', ' \n\t '])('rejects the description %j', (description) => {
      // Arrange
      const body = { ...validBody(), description };

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toContain('description');
    });
  });

  describe('amounts', () => {
    it.each([1, 1_000_000_000_000])('accepts amountFen %i', (amountFen) => {
      // Arrange
      const body = validBody();
      body.fee.amountFen = amountFen;

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it.each([0, -100, 1_000_000_000_001, 10.5, Number.NaN, Number.POSITIVE_INFINITY])(
      'rejects amountFen %s',
      (amountFen) => {
        // Arrange
        const body = validBody();
        body.fee.amountFen = amountFen;

        // Act
        const paths = failingPaths(body);

        // Assert
        expect(paths).toEqual(['fee.amountFen']);
      },
    );

    it('rejects an amount sent as a string', () => {
      // Arrange
      const body = withField(validBody(), ['fee'], 'amountFen', '500000');

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['fee.amountFen']);
    });

    it('rejects a fractional published standard', () => {
      // Arrange
      const body = validBody();
      body.fee.publishedStandardFen = 100.25;

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['fee.publishedStandardFen']);
    });
  });

  describe('chargedOn', () => {
    it('accepts today in China', () => {
      // Arrange
      const body = validBody();
      body.fee.chargedOn = '2026-03-15';

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it('accepts a China date that is still tomorrow in UTC', () => {
      // Arrange: 00:30 on 16 March in China is 16:30 on 15 March in UTC.
      vi.setSystemTime(new Date('2026-03-15T16:30:00Z'));
      const body = validBody();
      body.fee.chargedOn = '2026-03-16';

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it('rejects tomorrow in China', () => {
      // Arrange
      const body = validBody();
      body.fee.chargedOn = '2026-03-16';

      // Act
      const result = ComplaintInput.safeParse(body);

      // Assert
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ path: ['fee', 'chargedOn'], message: 'must not be in the future' }),
      ]);
    });

    it.each(['2025-02-29', '2026-04-31', '2026/03/01', '20260301', '2026-3-1'])('rejects %s', (chargedOn) => {
      // Arrange
      const body = validBody();
      body.fee.chargedOn = chargedOn;

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['fee.chargedOn']);
    });

    it('accepts 29 February of a leap year', () => {
      // Arrange
      const body = validBody();
      body.fee.chargedOn = '2024-02-29';

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });
  });

  describe('association', () => {
    it('accepts a province without a credit code', () => {
      // Arrange
      const body = validBody();
      body.association = { name: '上海市XX协会', province: '31' };

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it('accepts a credit code and the matching province', () => {
      // Arrange
      const body = validBody();
      body.association.province = '11';

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it('rejects neither credit code nor province', () => {
      // Arrange
      const body = validBody();
      body.association = { name: '某协会' };

      // Act
      const result = ComplaintInput.safeParse(body);

      // Assert
      expect(result.error?.issues).toEqual([
        expect.objectContaining({
          path: ['association'],
          message: expect.stringMatching(/credit code or its province/),
        }),
      ]);
    });

    it("rejects a province that differs from the credit code's", () => {
      // Arrange
      const body = validBody();
      body.association.province = '44';

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['association.province']);
    });

    it('rejects a credit code with a wrong check character, also when a province is given', () => {
      // Arrange
      const body = validBody();
      const wrongCheck = BEIJING_CODE.endsWith('0') ? '1' : '0';
      body.association = {
        name: '某协会',
        creditCode: BEIJING_CODE.slice(0, 17) + wrongCheck,
        province: '11',
      };

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['association.creditCode']);
    });

    it('rejects the national level 00 as a province', () => {
      // Arrange
      const body = withField(validBody(), ['association'], 'province', '00');

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['association.province']);
    });
  });

  describe('contact', () => {
    it.each(['010-12345678', '+86 138 0000 0000', '13800000000', '1234567'])(
      'accepts the phone %s',
      (phone) => {
        // Arrange
        const body = validBody();
        body.contact.phone = phone;

        // Act
        const paths = failingPaths(body);

        // Assert
        expect(paths).toEqual([]);
      },
    );

    it.each(['123456', '1'.repeat(21), '138-0000-000x', '+++ --- ++++', '(010)1234567'])(
      'rejects the phone %j',
      (phone) => {
        // Arrange
        const body = validBody();
        body.contact.phone = phone;

        // Act
        const paths = failingPaths(body);

        // Assert
        expect(paths).toContain('contact.phone');
      },
    );

    it('accepts an email address', () => {
      // Arrange
      const body = validBody();
      body.contact.email = 'zhang.san@example.cn';

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it('rejects something that is not an email address', () => {
      // Arrange
      const body = validBody();
      body.contact.email = 'zhang.san';

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['contact.email']);
    });

    it('rejects an email address over 254 characters', () => {
      // Arrange
      const body = validBody();
      body.contact.email = `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.cn`;

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toContain('contact.email');
    });
  });

  describe('facts', () => {
    it('accepts every fact', () => {
      // Arrange
      const body = validBody();
      body.facts = {
        compulsory: true,
        forcedMembership: false,
        governmentLinked: false,
        serviceProvided: 'PARTIAL',
        duplicateCharge: false,
        chargedByBranch: false,
        kickback: false,
        duesAdoptedByAssembly: true,
        duesTiers: 6,
        floatingDues: false,
        chargedAsNonMember: false,
        standardPublished: true,
        monopolyService: false,
      };

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual([]);
    });

    it.each([0, 101, 2.5])('rejects duesTiers %s', (duesTiers) => {
      // Arrange
      const body = validBody();
      body.facts = { duesTiers };

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['facts.duesTiers']);
    });

    it('rejects a serviceProvided outside YES, PARTIAL, NO', () => {
      // Arrange
      const body = withField(validBody(), ['facts'], 'serviceProvided', 'MAYBE');

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['facts.serviceProvided']);
    });

    it('rejects a boolean fact given as a string', () => {
      // Arrange
      const body = withField(validBody(), ['facts'], 'compulsory', 'true');

      // Act
      const paths = failingPaths(body);

      // Assert
      expect(paths).toEqual(['facts.compulsory']);
    });
  });

  describe('JSON Schema', () => {
    it('converts to JSON Schema for OpenAPI without throwing', () => {
      // Arrange / Act
      const schema = z.toJSONSchema(ComplaintInput, { io: 'input', unrepresentable: 'any' });

      // Assert
      expect(schema.$defs?.ComplaintInput).toMatchObject({
        type: 'object',
        additionalProperties: false,
        required: ['association', 'fee', 'description', 'contact'],
      });
    });

    it('publishes the bounds of amounts', () => {
      // Arrange / Act
      const schema = z.toJSONSchema(ComplaintInput, { io: 'input', unrepresentable: 'any' });

      // Assert
      expect(schema.$defs?.Fee).toMatchObject({
        properties: { amountFen: { type: 'integer', minimum: 1, maximum: 1_000_000_000_000 } },
      });
    });
  });
});

describe('todayInChina', () => {
  it('is already the next day in China at 16:00 UTC', () => {
    // Arrange
    const instant = new Date('2026-12-31T16:00:00Z');

    // Act
    const today = todayInChina(instant);

    // Assert
    expect(today).toBe('2027-01-01');
  });
});

describe('parseWith', () => {
  it('returns the parsed value', () => {
    // Arrange
    const body = validBody();

    // Act
    const complaint = parseWith(ComplaintInput, body, 'complaint');

    // Assert
    expect(complaint.discloseIdentityToAssociation).toBe(false);
  });

  it('throws a ValidationError naming each failing field by its dotted path', () => {
    // Arrange
    const body = validBody();
    body.fee.amountFen = 0;
    body.contact.phone = 'x';
    let caught: unknown;

    // Act
    try {
      parseWith(ComplaintInput, body, 'complaint');
    } catch (error) {
      caught = error;
    }

    // Assert
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['fee.amountFen', 'contact.phone']),
    );
  });

  it('reports each unknown field at its own path', () => {
    // Arrange
    const body = { ...validBody(), fee: { ...validBody().fee, color: 'red', size: 2 } };

    // Act
    const parse = () => parseWith(ComplaintInput, body, 'complaint');

    // Assert
    expect(parse).toThrow(
      expect.objectContaining({
        issues: [
          { path: 'fee.color', code: 'unknown_field', message: 'unknown field' },
          { path: 'fee.size', code: 'unknown_field', message: 'unknown field' },
        ],
      }),
    );
  });

  it('says what was being parsed in the message', () => {
    // Arrange
    const body = { ...validBody(), description: '' };

    // Act
    const parse = () => parseWith(ComplaintInput, body, 'complaint');

    // Assert
    expect(parse).toThrow(/^Invalid complaint: description: /);
  });

  it('reports a problem with the whole body at the empty path', () => {
    // Arrange
    const body = 'not an object';

    // Act
    const parse = () => parseWith(ComplaintInput, body, 'complaint');

    // Assert
    expect(parse).toThrow(
      expect.objectContaining({
        issues: [
          { path: '', code: 'invalid_type', params: { expected: 'object' }, message: expect.any(String) },
        ],
      }),
    );
  });
});
