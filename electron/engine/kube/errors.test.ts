import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FuncdeckError } from '../../../shared/contract/errors';
import { isPermanentKubeError, toFuncdeckError } from './errors';

const api = (code: number, message = 'm') => new ApiException(code, 'x', { kind: 'Status', message }, {});

describe('toFuncdeckError', () => {
  it('maps HTTP statuses of ApiException to codes with messages that say what to do', () => {
    const a = { verb: 'create', resource: 'deployments', namespace: 'demo' };
    const unauth = toFuncdeckError(api(401), a);
    expect(unauth.code).toBe('UNAUTHORIZED');
    expect(unauth.message).toMatch(/kind export kubeconfig/);
    const forbidden = toFuncdeckError(api(403, 'deployments.apps is forbidden: User "x" cannot create'), a);
    expect(forbidden.code).toBe('FORBIDDEN');
    expect(forbidden.message).toMatch(/create deployments in namespace "demo"/);
    expect(forbidden.details).toMatchObject({ verb: 'create', resource: 'deployments', namespace: 'demo' });
    expect(toFuncdeckError(api(404), a).code).toBe('NOT_FOUND');
    expect(toFuncdeckError(api(409), a).code).toBe('CONFLICT');
    expect(toFuncdeckError({ statusCode: 403 }, a).code).toBe('FORBIDDEN'); // Watch's error shape
  });

  it('an API server that throttles (429, API Priority and Fairness) is busy, not a bug: try again', () => {
    const busy = toFuncdeckError(api(429, 'Too many requests, please try again later.'), { verb: 'list', resource: 'pods', namespace: 'demo' });
    expect(busy.code).toBe('TIMEOUT');
    expect(busy.message).toMatch(/too busy to list pods in namespace "demo".*try again/i);
    expect(busy.message).not.toMatch(/bug/);
  });

  it('maps network failures, nested causes and timeouts to CLUSTER_UNREACHABLE naming the server', () => {
    const a = { verb: 'list', resource: 'pods', server: 'https://127.0.0.1:1' };
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) }),
      { type: 'request-timeout', message: 'timeout' },
    ]) {
      const f = toFuncdeckError(e, a);
      expect(f.code).toBe('CLUSTER_UNREACHABLE');
      expect(f.message).toMatch(/Cannot reach https:\/\/127\.0\.0\.1:1/);
      expect(f.message).toMatch(/kind get clusters/);
    }
  });

  it('passes FuncdeckErrors through and classifies permanent errors', () => {
    const f = new FuncdeckError('TIMEOUT', 't');
    expect(toFuncdeckError(f, { verb: 'get', resource: 'x' })).toBe(f);
    expect(isPermanentKubeError(api(403))).toBe(true);
    expect(isPermanentKubeError(api(500))).toBe(false);
    expect(isPermanentKubeError(new FuncdeckError('UNAUTHORIZED', 'x'))).toBe(true);
    expect(toFuncdeckError(new Error('weird'), { verb: 'get', resource: 'x' }).code).toBe('INTERNAL');
  });
});
