import { describe, expect, it } from 'vitest';
import { FEED_ENTRIES, typicalCasesFeed, xmlText } from '#shared/typical-cases/read-typical-cases';
import { aTypicalCase, InMemoryTypicalCaseStore } from '#test/support/fakes/typical-cases';

const now = new Date('2026-12-01T00:00:00.000Z');

const storeOf = (...typicalCases: ReturnType<typeof aTypicalCase>[]) => {
  const store = new InMemoryTypicalCaseStore();
  for (const typicalCase of typicalCases) store.typicalCases.set(typicalCase.typicalCaseId, typicalCase);
  return store;
};

describe('xmlText', () => {
  it('escapes markup and leaves out characters XML 1.0 cannot hold', () => {
    // Act
    const text = xmlText('会费 & <评比> "费" \'案\'\u0000\u0008\ud800 ok');

    // Assert
    expect(text).toBe('会费 &amp; &lt;评比&gt; &quot;费&quot; &apos;案&apos; ok');
  });

  it('keeps characters outside the basic plane, whose surrogates come in pairs', () => {
    // Act
    const text = xmlText('𠀀 案');

    // Assert
    expect(text).toBe('𠀀 案');
  });
});

describe('typicalCasesFeed', () => {
  it('is updated when the newest entry was published, newest entry first', async () => {
    // Arrange
    const store = storeOf(
      aTypicalCase({ typicalCaseId: 'a', publishedAt: '2026-11-02T08:00:00.000Z' }),
      aTypicalCase({ typicalCaseId: 'b', publishedAt: '2026-11-05T08:00:00.000Z' }),
    );

    // Act
    const feed = await typicalCasesFeed(store, now);

    // Assert
    expect(feed).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/,
    );
    expect(feed).toContain('<updated>2026-11-05T08:00:00.000Z</updated><author>');
    expect(feed.indexOf('urn:uuid:b')).toBeLessThan(feed.indexOf('urn:uuid:a'));
  });

  it('gives an empty feed the time it was asked for as its update', async () => {
    // Act
    const feed = await typicalCasesFeed(storeOf(), now);

    // Assert
    expect(feed).toContain(`<updated>${now.toISOString()}</updated>`);
    expect(feed).not.toContain('<entry>');
  });

  it('leaves drafts and withdrawn typical cases out', async () => {
    // Arrange
    const store = storeOf(
      aTypicalCase({ typicalCaseId: 'draft', status: 'DRAFT' }),
      aTypicalCase({ typicalCaseId: 'withdrawn', status: 'WITHDRAWN' }),
    );

    // Act
    const feed = await typicalCasesFeed(store, now);

    // Assert
    expect(feed).not.toMatch(/urn:uuid:(draft|withdrawn)/);
  });

  it(`holds at most the ${FEED_ENTRIES} newest`, async () => {
    // Arrange
    const many = Array.from({ length: FEED_ENTRIES + 5 }, (_, i) =>
      aTypicalCase({
        typicalCaseId: `t${i}`,
        publishedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      }),
    );

    // Act
    const feed = await typicalCasesFeed(storeOf(...many), now);

    // Assert
    expect(feed.match(/<entry>/g)).toHaveLength(FEED_ENTRIES);
    expect(feed).not.toContain('urn:uuid:t0<');
  });

  it('puts the summary and lessons in the entry as text content, escaped', async () => {
    // Arrange
    const store = storeOf(aTypicalCase({ summary: '退还 <2800> 元 & 取消', lessons: '不得挂钩' }));

    // Act
    const feed = await typicalCasesFeed(store, now);

    // Assert
    expect(feed).toContain('<content type="text">退还 &lt;2800&gt; 元 &amp; 取消\n\n不得挂钩</content>');
  });
});
