import { describe, expect, it } from 'vitest';
import { withoutUnreachableAdvice } from './CopyCommand';

describe('withoutUnreachableAdvice', () => {
  it("keeps what happened and drops the engine's advice, which the screen gives once", () => {
    expect(withoutUnreachableAdvice('Cannot reach https://127.0.0.1:1 (ECONNREFUSED). Is the cluster running? kind: `kind get clusters`, minikube: `minikube status`.')).toBe(
      'Cannot reach https://127.0.0.1:1 (ECONNREFUSED).',
    );
    expect(withoutUnreachableAdvice('The cluster answered 503.')).toBe('The cluster answered 503.');
  });
});
