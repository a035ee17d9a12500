import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure, bootstrap, changes, entity, rpc, setTransport, toFailure } from '../src/lib/api';
import type { EntityDetail } from '../src/lib/bindings/EntityDetail';

afterEach(() => {
  setTransport(null);
  vi.unstubAllGlobals();
});

describe('rpc over HTTP', () => {
  it('posts the request and narrows the answer', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ method: 'changes', result: { upserted: [], removed: [], head: 9 } }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const c = await changes(7);
    expect(c.head).toBe(9);
    expect(fetchMock).toHaveBeenCalledWith('api/rpc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"method":"changes","params":{"since":7}}',
    });
  });

  it('turns an ApiError body into an ApiFailure', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ code: 'not_found', message: 'no such team', diagnostics: [] }), { status: 404 }));
    const err = await entity({ kind: 'team', id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).code).toBe('not_found');
    expect(String(err)).toBe('not_found: no such team');
  });

  it('reports a non-JSON error page as http.<status>', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(bootstrap()).rejects.toMatchObject({ code: 'http.502' });
  });
});

describe('rpc over a custom transport (Tauri invoke)', () => {
  it('maps a rejected ApiError object', async () => {
    setTransport(async () => {
      throw { code: 'store.sqlite', message: 'disk full', diagnostics: [] };
    });
    await expect(rpc({ method: 'layers' })).rejects.toMatchObject({ code: 'store.sqlite', message: 'disk full' });
  });

  it('returns the generated EntityDetail shape for entity()', async () => {
    const detail: EntityDetail = {
      record: { entity: { kind: 'shelter', id: 's1' }, fields: { name: '一号避难所', capacity: 400 }, balances: { occupancy: 120 }, updated: 42 },
      derived: { free: 280 },
      stock: [],
    };
    setTransport(async () => ({ method: 'entity', result: detail }));
    const d: EntityDetail = await entity({ kind: 'shelter', id: 's1' });
    expect(d.record.entity).toEqual({ kind: 'shelter', id: 's1' });
    expect(d.record.balances['occupancy']).toBe(120);
    expect(d.derived['free']).toBe(280);
  });

  it('rejects an answer for another method', async () => {
    setTransport(async () => ({ method: 'layers', result: { features: [], head: 0 } }));
    await expect(rpc({ method: 'bootstrap' })).rejects.toMatchObject({ code: 'protocol' });
  });

  it('maps plain strings and errors', () => {
    expect(toFailure('boom')).toMatchObject({ code: 'transport', message: 'boom' });
    expect(toFailure(new Error('x'))).toMatchObject({ code: 'transport', message: 'x' });
  });
});
