/** The three ways to get a local cluster, as commands to copy. */
export function CreateClusterHelp() {
  return (
    <div className="help-block">
      <h3>Create a local cluster</h3>
      <ul className="cmd-list">
        <li>
          <span>kind (needs Docker or Podman):</span> <code>kind create cluster</code>
        </li>
        <li>
          <span>minikube:</span> <code>minikube start</code>
        </li>
        <li>
          <span>Funcdeck's dev cluster (Linux, as root):</span> <code>npm run cluster:up</code>, then{' '}
          <code>export KUBECONFIG=~/.cache/funcdeck/devcluster/kubeconfig</code>
        </li>
      </ul>
      <p className="muted">Funcdeck picks up new contexts on its own when the kubeconfig changes; otherwise press Check again.</p>
    </div>
  );
}
