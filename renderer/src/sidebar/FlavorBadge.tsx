import type { ClusterFlavor } from '../../../shared/contract';

const LABELS: Record<ClusterFlavor, string | null> = { kind: 'kind', minikube: 'minikube', 'funcdeck-dev': 'dev', other: null };

export function FlavorBadge({ flavor }: { flavor: ClusterFlavor }) {
  const label = LABELS[flavor];
  if (!label) return null;
  return <span className={`flavor-badge flavor-${flavor}`}>{label}</span>;
}
