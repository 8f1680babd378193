import { CopyCommand } from './CopyCommand';

/** The three ways to get a local cluster, as commands to copy. */
export function CreateClusterHelp() {
  return (
    <div className="help-block">
      <h3>Create a local cluster</h3>
      <ul className="cmd-list">
        <li>
          <span>kind (needs Docker or Podman):</span> <CopyCommand command="kind create cluster" />
        </li>
        <li>
          <span>minikube:</span> <CopyCommand command="minikube start" />
        </li>
        <li>
          <span>Funcdeck's dev cluster (Linux, as root):</span> <CopyCommand command="npm run cluster:up" />, then{' '}
          <CopyCommand command="export KUBECONFIG=~/.cache/funcdeck/devcluster/kubeconfig" />
        </li>
      </ul>
      <p className="muted">Funcdeck picks up new contexts on its own when the kubeconfig changes; otherwise press Check again.</p>
    </div>
  );
}
