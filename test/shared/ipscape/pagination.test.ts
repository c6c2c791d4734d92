import { describe, expect, it } from 'vitest';
import { PaginationError, walkCursorPages, walkNumberedPages, type CursorPageResult } from '../../../shared/ipscape/pagination';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

const resolve = (nextUri: string) => `https://h${nextUri}`;

function cursorServer(pages: Record<string, CursorPageResult<number>>) {
  const asked: string[] = [];
  return {
    asked,
    fetchPage: async (url: string) => {
      asked.push(url);
      const page = pages[url];
      if (!page) throw new Error(`unexpected ${url}`);
      return page;
    },
  };
}

describe('walkCursorPages', () => {
  it('follows nextUri until it is null, absent or empty', async () => {
    for (const last of [{ items: [5] }, { items: [5], nextUri: null }, { items: [5], nextUri: '' }]) {
      const server = cursorServer({
        'https://h/first': { items: [1, 2], nextUri: '/p2' },
        'https://h/p2': { items: [3, 4], nextUri: '/p3' },
        'https://h/p3': last,
      });
      const pages = await collect(walkCursorPages({ firstUrl: 'https://h/first', fetchPage: server.fetchPage, resolveNextUri: resolve }));
      expect(pages.flatMap((p) => p.items)).toEqual([1, 2, 3, 4, 5]);
      expect(server.asked).toEqual(['https://h/first', 'https://h/p2', 'https://h/p3']);
    }
  });

  it('stops at an empty page even when it carries a nextUri', async () => {
    const server = cursorServer({
      'https://h/first': { items: [1], nextUri: '/p2' },
      'https://h/p2': { items: [], nextUri: '/p3' },
    });
    const pages = await collect(walkCursorPages({ firstUrl: 'https://h/first', fetchPage: server.fetchPage, resolveNextUri: resolve }));
    expect(pages).toHaveLength(2);
    expect(server.asked).toHaveLength(2);
  });

  it('refuses to loop on a repeated cursor', async () => {
    const server = cursorServer({
      'https://h/first': { items: [1], nextUri: '/p2' },
      'https://h/p2': { items: [2], nextUri: '/first' },
    });
    await expect(collect(walkCursorPages({ firstUrl: 'https://h/first', fetchPage: server.fetchPage, resolveNextUri: resolve }))).rejects.toThrow(
      PaginationError,
    );
  });

  it('fetches lazily: breaking early asks for no more pages', async () => {
    const server = cursorServer({
      'https://h/first': { items: [1], nextUri: '/p2' },
      'https://h/p2': { items: [2], nextUri: '/p3' },
    });
    for await (const page of walkCursorPages({ firstUrl: 'https://h/first', fetchPage: server.fetchPage, resolveNextUri: resolve })) {
      expect(page.items).toEqual([1]);
      break;
    }
    expect(server.asked).toEqual(['https://h/first']);
  });
});

describe('walkNumberedPages', () => {
  const pageOf = (pageNo: number, count: number, perPage = 3) => ({ pageNo, perPage, inPage: count, data: Array.from({ length: count }, (_, i) => pageNo * 10 + i) });

  it('asks pageNo 0, 1, ... until a short page', async () => {
    const asked: number[] = [];
    const pages = await collect(
      walkNumberedPages(async (pageNo) => {
        asked.push(pageNo);
        return pageOf(pageNo, pageNo < 2 ? 3 : 1);
      }),
    );
    expect(asked).toEqual([0, 1, 2]);
    expect(pages.flatMap((p) => p.data)).toEqual([0, 1, 2, 10, 11, 12, 20]);
  });

  it('stops at an empty page after full ones', async () => {
    const asked: number[] = [];
    await collect(
      walkNumberedPages(async (pageNo) => {
        asked.push(pageNo);
        return pageOf(pageNo, pageNo < 2 ? 3 : 0);
      }),
    );
    expect(asked).toEqual([0, 1, 2]);
  });

  it('stops when the server ignores pageNo instead of reading page 0 forever', async () => {
    await expect(collect(walkNumberedPages(async () => pageOf(0, 3)))).rejects.toThrow(PaginationError);
  });

  it('does not loop on a nonsensical perPage', async () => {
    const pages = await collect(walkNumberedPages(async (pageNo) => pageOf(pageNo, 2, 0)));
    expect(pages).toHaveLength(1);
  });
});
