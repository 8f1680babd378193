/**
 * Kubernetes resource quantities ("500m", "1.5", "128Mi", "1G", "2e3"), read the way the API server
 * reads them, so a value checked here is one the cluster takes, and two can be compared.
 */

const QUANTITY = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity's value in base units (cores, bytes), or null when Kubernetes would refuse the text. */
export function parseQuantity(text: string): number | null {
  const m = QUANTITY.exec(text);
  if (!m) return null;
  const number = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return number * BINARY[suffix]!;
  if (suffix in DECIMAL) return number * DECIMAL[suffix]!;
  return number * 10 ** Number(suffix.slice(1));
}

export const QUANTITY_HINT = {
  cpu: 'Give CPU as cores ("0.5", "2") or millicores ("250m").',
  memory: 'Give memory in bytes with a unit, e.g. "128Mi", "1Gi" or "500M".',
} as const;
