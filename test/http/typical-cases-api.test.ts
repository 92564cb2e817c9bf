/**
 * Typical cases end to end over the local runtime: a campaign admin writes about closed cases, the
 * anonymization check refuses text naming a complainant (and says which kind, never what), only
 * closed cases are accepted, publishing is idempotent, and the public list, page and Atom feed show
 * what was published and nothing about complainants.
 */
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeWithRefund,
  completeTask,
  fileComplaint,
  newScenario,
  openTaskOf,
  type Scenario,
  waitForStage,
} from '#test/support/campaign-actors';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let scenario: Scenario;
let closedCaseId = '';
let dismissedCaseId = '';
let openCaseId = '';
const contact = { name: '赵明远', phone: '+86 137-2222-3333', email: 'zhao.mingyuan@example.com' };

/** Closes a case of its own: abolished and refunded, or dismissed at review. */
const closedCase = async (feeName: string, outcome: 'refunded' | 'dismissed') => {
  const { caseId } = await fileComplaint(harness, scenario, { feeName, contact });
  if (outcome === 'dismissed') {
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'Lawful',
    });
    await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');
  } else await closeWithRefund(harness, scenario, caseId, 280_000);
  return caseId;
};

let written = 0;
/** A fresh, innocent typical case about the closed case (each its own, since the same body is the same case). */
const innocentBody = (overrides: Record<string, unknown> = {}) => {
  written += 1;
  return {
    caseIds: [closedCaseId],
    title: `某行业协会强制入会收取会费案（${written}）`,
    summary:
      '某行业协会以办理行业证书为条件，要求企业入会并缴纳会费2800元。经审查认定违规，协会已取消该收费并全额退还。',
    lessons: '行业协会不得将入会与办理证书挂钩。',
    ...overrides,
  };
};

const create = (body: unknown) =>
  harness.request('POST', '/api/admin/typical-cases', { token: scenario.admin, body });

beforeAll(async () => {
  harness = await startTestRuntime();
  scenario = await newScenario(harness);
  [closedCaseId, dismissedCaseId, openCaseId] = await Promise.all([
    closedCase('会员费（典型案例）', 'refunded'),
    closedCase('评比费（典型案例）', 'dismissed'),
    fileComplaint(harness, scenario, { feeName: '培训费（典型案例）', contact }).then(
      (filed) => filed.caseId,
    ),
  ]);
}, 120_000);
afterAll(() => harness?.stop());

describe('POST /api/admin/typical-cases (the anonymization check)', () => {
  it.each([
    ['summary', 'contact', { summary: '投诉企业联系电话 137 2222 3333，已退费。' }],
    ['summary', 'contact', { summary: '联系邮箱 zhao.mingyuan at example dot com，已退费。' }],
    ['title', 'credit_code', (code: string) => ({ title: `信用代码${code.toLowerCase()}的企业投诉案` })],
    ['lessons', 'complainant_name', { lessons: '感谢投诉人赵 明远的反映。' }],
  ] as const)(
    'refuses with 400 a %s that holds a complainant %s, naming the field and kind only',
    async (field, kind, change) => {
      // Arrange
      const body = innocentBody(typeof change === 'function' ? change(scenario.enterpriseCode) : change);

      // Act
      const response = await create(body);

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([
        { path: field, code: 'identifies_complainant', params: { kind }, message: expect.any(String) },
      ]);
      expect(response.text).not.toMatch(/2222|3333|mingyuan|赵|明远/);
      expect(response.text).not.toContain(scenario.enterpriseCode);
    },
  );

  it('stores nothing it refused', async () => {
    // Arrange
    await create(innocentBody({ summary: '投诉人赵明远反映的收费已退还。', title: '不应保存的案例' }));

    // Act
    const list = await harness.request('GET', '/api/admin/typical-cases?limit=100', {
      token: scenario.admin,
    });

    // Assert
    expect(list.body.items.map((item: { title: string }) => item.title)).not.toContain('不应保存的案例');
  });

  it('refuses a case that is not closed with 409 case_not_closed, and an unknown case with 404', async () => {
    // Act
    const open = await create(innocentBody({ caseIds: [closedCaseId, openCaseId] }));
    const unknown = await create(innocentBody({ caseIds: ['00000000-0000-4000-8000-000000000000'] }));

    // Assert
    expect(open.status).toBe(409);
    expect(open.body.error.reason).toBe('case_not_closed');
    expect(unknown.status).toBe(404);
  });

  it('accepts names, fees and amounts of associations, which are public', async () => {
    // Arrange
    const body = innocentBody({
      caseIds: [closedCaseId, dismissedCaseId],
      summary: 'Widget Industry Association 收取的“会员费（典型案例）”5000元已取消，退还2800元。',
    });

    // Act
    const response = await create(body);

    // Assert
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'DRAFT', title: body.title });
    expect(response.body.cases.map((facts: { caseId: string }) => facts.caseId)).toEqual([
      closedCaseId,
      dismissedCaseId,
    ]);
  });
});

describe('publishing', () => {
  it('publishes at once, and the same request again answers the same typical case, published once', async () => {
    // Arrange
    const body = innocentBody({ publish: true });

    // Act
    const first = await create(body);
    const again = await create(body);
    const list = await harness.request('GET', '/api/public/typical-cases?limit=100');

    // Assert
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({ status: 'PUBLISHED', publishedAt: expect.any(String) });
    expect(
      list.body.items.filter(
        (item: { typicalCaseId: string }) => item.typicalCaseId === first.body.typicalCaseId,
      ),
    ).toHaveLength(1);
  });

  it('keeps a draft off the public list until it is published, and takes it off when withdrawn', async () => {
    // Arrange
    const draft = (await create(innocentBody())).body;
    const listed = async () =>
      (await harness.request('GET', '/api/public/typical-cases?limit=100')).body.items.map(
        (item: { typicalCaseId: string }) => item.typicalCaseId,
      );
    const page = () => harness.request('GET', `/api/public/typical-cases/${draft.typicalCaseId}`);
    const act = (action: string) =>
      harness.request('POST', `/api/admin/typical-cases/${draft.typicalCaseId}/${action}`, {
        token: scenario.admin,
      });

    // Act
    const beforePublishing = { listed: await listed(), page: (await page()).status };
    const published = await act('publish');
    const publishedAgain = await act('publish');
    const whilePublished = { listed: await listed(), page: (await page()).status };
    const withdrawn = await act('withdraw');
    const afterWithdrawing = { listed: await listed(), page: (await page()).status };

    // Assert
    expect(beforePublishing).toEqual({
      listed: expect.not.arrayContaining([draft.typicalCaseId]),
      page: 404,
    });
    expect([published.status, publishedAgain.body.publishedAt]).toEqual([200, published.body.publishedAt]);
    expect(whilePublished).toEqual({ listed: expect.arrayContaining([draft.typicalCaseId]), page: 200 });
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect(afterWithdrawing).toEqual({
      listed: expect.not.arrayContaining([draft.typicalCaseId]),
      page: 404,
    });
  });
});

describe('GET /api/public/typical-cases', () => {
  it('lists the newest publication first, with the public facts of its cases', async () => {
    // Arrange
    const older = (await create(innocentBody({ publish: true }))).body;
    const newer = (await create(innocentBody({ publish: true }))).body;

    // Act
    const response = await harness.request('GET', '/api/public/typical-cases?limit=2');

    // Assert
    expect(response.body.items.map((item: { typicalCaseId: string }) => item.typicalCaseId)).toEqual([
      newer.typicalCaseId,
      older.typicalCaseId,
    ]);
    expect(response.body.items[0].cases).toEqual([
      expect.objectContaining({
        association: expect.objectContaining({ name: 'Widget Industry Association' }),
        fee: expect.objectContaining({ name: '会员费（典型案例）', category: 'MEMBERSHIP_DUES' }),
        outcome: 'ABOLISHED',
        refundedFen: 280_000,
        closedAt: expect.any(String),
      }),
    ]);
    expect(response.body.cursor).toEqual(expect.any(String));
  });

  it('says nothing about complainants, in the list, the page or the feed', async () => {
    // Arrange
    const published = (await create(innocentBody({ publish: true }))).body;

    // Act
    const answers = await Promise.all(
      [
        '/api/public/typical-cases?limit=100',
        `/api/public/typical-cases/${published.typicalCaseId}`,
        '/api/public/typical-cases.atom',
      ].map((path) => harness.request('GET', path)),
    );

    // Assert
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toMatch(/赵明远|zhao\.mingyuan|13722223333|137-2222-3333/);
      expect(answer.text).not.toContain(scenario.enterpriseCode);
      expect(answer.text).not.toMatch(/createdBy|publishedBy|sealedContact/);
    }
  });
});

interface XmlElement {
  name: string;
  uri: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/** Parses with a strict, namespace-aware XML parser: anything not well-formed throws. */
const parseXml = (xml: string): XmlElement => {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      name: tag.local ?? tag.name,
      uri: tag.uri ?? '',
      attributes: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local ?? a.name, a.value])),
      text: '',
      children: [],
    };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
};

const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);
const atom = 'http://www.w3.org/2005/Atom';

describe('GET /api/public/typical-cases.atom', () => {
  it('is a well-formed Atom 1.0 feed with the elements RFC 4287 requires, text escaped', async () => {
    // Arrange
    const published = (await create(innocentBody({ publish: true, title: '会费 & 评比费 <合并> 案例' })))
      .body;

    // Act
    const response = await harness.request('GET', '/api/public/typical-cases.atom');
    const feed = parseXml(response.text);

    // Assert
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect([feed.name, feed.uri]).toEqual(['feed', atom]);
    for (const name of ['id', 'title', 'updated', 'author']) expect(child(feed, name), name).toBeDefined();
    const rels = feed.children.filter((c) => c.name === 'link').map((link) => link.attributes.rel);
    expect(rels).toEqual(expect.arrayContaining(['self', 'alternate']));
    const entry = feed.children.find(
      (c) => c.name === 'entry' && child(c, 'id')?.text === `urn:uuid:${published.typicalCaseId}`,
    );
    expect(entry).toBeDefined();
    expect(child(entry as XmlElement, 'title')?.text).toBe('会费 & 评比费 <合并> 案例');
    for (const name of ['updated', 'published', 'content', 'link'])
      expect(child(entry as XmlElement, name), name).toBeDefined();
    expect(child(entry as XmlElement, 'link')?.attributes.href).toBe(
      `/#/typical-cases/${published.typicalCaseId}`,
    );
    expect(Date.parse(child(feed, 'updated')?.text ?? '')).toBeGreaterThanOrEqual(
      Date.parse(published.publishedAt),
    );
  });
});

describe('rate limits', () => {
  it('refuses an address that reads the list more than 60 times a minute with 429', async () => {
    // Arrange
    const statuses: number[] = [];

    // Act
    for (let i = 0; i < 70 && !statuses.includes(429); i++)
      statuses.push((await harness.request('GET', '/api/public/typical-cases?limit=1')).status);

    // Assert
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);
  });
});
