import { FuncdeckError } from '../../../shared/contract/errors';
import { ApiStatusError, getJson, seg, type ApiConnection } from '../kube/api-connection';
import { isOurs, whyNotOurs, type LabelledObject } from '../deploy/ownership';

/**
 * Before a request is proxied to a Service, it must be a Funcdeck function's (both labels): a
 * person's Service of the same name is never sent anything. The warm path stays fast: a positive
 * answer is remembered per connection for `ttlMs` (a Service replaced by someone else's is seen
 * after at most that long); a negative one is not remembered, so a function deployed just now answers.
 */
export const FUNCTION_CHECK_TTL_MS = 2000;

export class FunctionCheck {
  private readonly confirmed = new WeakMap<ApiConnection, Map<string, number>>();

  constructor(
    private readonly ttlMs = FUNCTION_CHECK_TTL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async ensure(conn: ApiConnection, namespace: string, fn: string, signal?: AbortSignal): Promise<void> {
    const key = `${namespace}\u0000${fn}`;
    let seen = this.confirmed.get(conn);
    if ((seen?.get(key) ?? -Infinity) > this.now()) return;
    let svc: LabelledObject;
    try {
      svc = await getJson<LabelledObject>(conn, `/api/v1/namespaces/${seg(namespace)}/services/${seg(fn)}`, signal);
    } catch (e) {
      if (e instanceof ApiStatusError && e.statusCode === 404) {
        throw new FuncdeckError('NOT_FOUND', `There is no function "${fn}" in namespace "${namespace}" (no Service of that name). Deploy it first, or pick another namespace.`, { status: 404 });
      }
      throw e;
    }
    if (!isOurs(svc, fn)) {
      seen?.delete(key);
      throw new FuncdeckError(
        'NOT_FOUND',
        `There is no function "${fn}" in namespace "${namespace}": the Service "${fn}" there is not a Funcdeck function (${whyNotOurs(svc, fn)}), so Funcdeck sends it nothing. Pick another namespace, or deploy the function under another name.`,
        { notOwned: [{ kind: 'Service', name: fn, namespace }] },
      );
    }
    if (!seen) this.confirmed.set(conn, (seen = new Map()));
    seen.set(key, this.now() + this.ttlMs);
  }
}
