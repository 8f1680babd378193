import type { ErrorShape, ProbeResult } from '../../../shared/contract';
import { clockTime } from '../format/time';
import { CopyCommand, WithCode, withoutUnreachableAdvice } from './CopyCommand';
import './screens.css';

export interface ClusterProblemScreenProps {
  context: string;
  probe: ProbeResult | undefined;
  /** A failure from a call or stream (e.g. FORBIDDEN listing functions) when the probe itself passed. */
  error?: ErrorShape | null;
  onRetry(): void;
  /** Leave this screen and edit drafts without the cluster. */
  onOffline(): void;
}

/** The selected context cannot be used: unreachable, rejected credentials, or no permission. */
export function ClusterProblemScreen({ context, probe, error, onRetry, onOffline }: ClusterProblemScreenProps) {
  const problem = error ?? probe?.error ?? null;
  const code = problem?.code ?? 'CLUSTER_UNREACHABLE';
  const noPermission = code === 'FORBIDDEN';
  // A credential plugin that failed or did not answer: the cluster itself may be fine (the message names the plugin).
  const pluginFailed = (problem?.details as { source?: string } | undefined)?.source === 'credentials';
  const badCredentials = code === 'UNAUTHORIZED' || pluginFailed;
  const unreachable = !noPermission && !badCredentials;
  const title = noPermission
    ? `No permission in "${context}"`
    : pluginFailed
      ? `Could not get credentials for "${context}"`
      : badCredentials
        ? `The cluster "${context}" rejected the credentials`
        : `Cannot reach the cluster "${context}"`;
  return (
    <main className="screen" aria-labelledby="problem-title">
      <h1 id="problem-title">{title}</h1>
      {problem && (
        <p className="problem-message" role="alert">
          <WithCode text={unreachable ? withoutUnreachableAdvice(problem.message) : problem.message} />
        </p>
      )}
      {noPermission && (
        <p>
          Your user may not do what Funcdeck needs in this namespace (list and create Deployments, ConfigMaps, Services and Pods,
          read pod logs). Ask a cluster admin for those rights, or pick another namespace or context in the sidebar.
        </p>
      )}
      {badCredentials && (
        <p>
          The credentials in the kubeconfig were refused or have expired. Log in again with your cluster's tool, then check again:
        </p>
      )}
      {badCredentials && (
        <ul className="cmd-list">
          <li>
            <span>kind:</span> <CopyCommand command="kind export kubeconfig" />
          </li>
          <li>
            <span>minikube:</span> <CopyCommand command="minikube update-context" />
          </li>
        </ul>
      )}
      {unreachable && (
        <>
          <p>
            The API server {probe?.checkedAt ? `did not answer when checked at ${clockTime(probe.checkedAt)}` : 'did not answer'}. Is the cluster running?
            Start it with its tool, or pick another context in the sidebar.
          </p>
          <ul className="cmd-list">
            <li>
              <span>kind:</span> <CopyCommand command="docker start kind-control-plane" /> or <CopyCommand command="kind create cluster" />
            </li>
            <li>
              <span>minikube:</span> <CopyCommand command="minikube start" />
            </li>
            <li>
              <span>Funcdeck dev cluster (Linux):</span> <CopyCommand command="npm run cluster:up" />
            </li>
          </ul>
        </>
      )}
      <div className="screen-actions">
        <button type="button" className="primary" onClick={onRetry}>
          Check again
        </button>
        <button type="button" onClick={onOffline}>
          Edit offline
        </button>
      </div>
    </main>
  );
}
