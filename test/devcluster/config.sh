#!/usr/bin/env bash
# Writes the configuration files of containerd, CNI, kubelet, kube-proxy and the addons
# into $STATE/config (and the CNI conflist into $STATE/cni/net.d).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$STATE/images.env" 2>/dev/null || true

CONF="$STATE/config"
PKI="$STATE/pki"
CNI_BIN_DIR="${FUNCDECK_CNI_BIN_DIR:-/usr/lib/cni}"
[ -x "$CNI_BIN_DIR/bridge" ] || CNI_BIN_DIR=/opt/cni/bin

mkdir -p "$CONF" "$STATE/cni/net.d" "$STATE/cni/ipam"

cat > "$CONF/containerd.toml" <<EOF2
# containerd for the Funcdeck dev cluster: all state under $STATE, nothing in /etc or /var/lib.
version = 3
root = "$STATE/containerd"
state = "$RUN/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$RUN/containerd/containerd.sock"

[ttrpc]
  address = "$RUN/containerd/containerd.sock.ttrpc"

[debug]
  address = ""

[plugins]
  [plugins.'io.containerd.cri.v1.images']
    snapshotter = 'overlayfs'
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = '$FUNCDECK_IMAGE_PAUSE'
  [plugins.'io.containerd.cri.v1.runtime']
    netns_mounts_under_state_dir = true
    # root here may lack CAP_SYS_RESOURCE (it does in our VMs): never ask runc to lower a
    # container's oom_score_adj below containerd's own, or every sandbox fails to start
    restrict_oom_score_adj = true
    enable_unprivileged_ports = true
    enable_unprivileged_icmp = true
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = 'runc'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
        runtime_type = 'io.containerd.runc.v2'
        runtime_path = '$BIN_CONTAINERD/containerd-shim-runc-v2'
        disable_pause_image_pull = true
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
          BinaryName = '$(command -v runc)'
          Root = '$RUN/runc'
          SystemdCgroup = false
    [plugins.'io.containerd.cri.v1.runtime'.cni]
      bin_dirs = ['$CNI_BIN_DIR']
      conf_dir = '$STATE/cni/net.d'
      max_conf_num = 1
  [plugins.'io.containerd.grpc.v1.cri']
    disable_tcp_service = true
    stream_server_address = '127.0.0.1'
    stream_server_port = '0'
EOF2

# Pods get addresses from POD_CIDR on the bridge; no masquerading (see network.sh for DNS).
cat > "$STATE/cni/net.d/10-$CNI_NETWORK.conflist" <<EOF2
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$API_ADVERTISE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$STATE/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF2

cat > "$CONF/kubelet.yaml" <<EOF2
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This host has a (hybrid) cgroup v1 layout; kubelet >= 1.35 refuses it unless told otherwise.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$RUN/containerd/containerd.sock
address: $API_ADVERTISE_IP
port: 10250
readOnlyPort: 0
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization:
  mode: Webhook
clusterDomain: $CLUSTER_DOMAIN
clusterDNS: [$DNS_IP]
resolvConf: /etc/resolv.conf
podLogsDir: $STATE/pod-logs
failSwapOn: false
rotateCertificates: false
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
maxPods: 110
EOF2

cat > "$CONF/kube-proxy.yaml" <<EOF2
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $STATE/kubeconfigs/kube-proxy.kubeconfig
mode: iptables
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts only on the node IP (the bridge address), not on the machine's other interfaces
nodePortAddresses: ["$API_ADVERTISE_IP/32"]
iptables:
  localhostNodePorts: false
conntrack:
  maxPerCore: 0
EOF2

# CoreDNS as a Deployment in kube-system, from the locally built image.
cat > "$CONF/coredns.yaml" <<EOF2
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects:
- {kind: ServiceAccount, name: coredns, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        errors
        health {
            lameduck 5s
        }
        ready
        kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
            ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
            max_concurrent 1000
        }
        cache 30
        loop
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 1
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      serviceAccountName: coredns
      priorityClassName: system-cluster-critical
      dnsPolicy: Default
      containers:
      - name: coredns
        image: $FUNCDECK_IMAGE_COREDNS
        imagePullPolicy: Never
        args: ["-conf", "/etc/coredns/Corefile"]
        resources:
          requests: {cpu: 50m, memory: 40Mi}
          limits: {memory: 170Mi}
        volumeMounts:
        - {name: config, mountPath: /etc/coredns, readOnly: true}
        ports:
        - {containerPort: 53, name: dns, protocol: UDP}
        - {containerPort: 53, name: dns-tcp, protocol: TCP}
        - {containerPort: 9153, name: metrics, protocol: TCP}
        livenessProbe:
          httpGet: {path: /health, port: 8080}
          initialDelaySeconds: 10
          periodSeconds: 10
        readinessProbe:
          httpGet: {path: /ready, port: 8181}
          periodSeconds: 2
      volumes:
      - name: config
        configMap:
          name: coredns
          items: [{key: Corefile, path: Corefile}]
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: $DNS_IP
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: metrics, port: 9153, protocol: TCP}
EOF2

# The smoke pod `up` waits for: the local node image resolving a cluster name through CoreDNS.
cat > "$CONF/smoke-pod.yaml" <<EOF2
apiVersion: v1
kind: Pod
metadata:
  name: funcdeck-devcluster-smoke
  namespace: default
  labels: {app.kubernetes.io/part-of: funcdeck-devcluster}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 0
  containers:
  - name: smoke
    image: $FUNCDECK_IMAGE_NODE
    imagePullPolicy: Never
    command:
    - node
    - -e
    - |
      const dns = require('dns');
      const name = 'kubernetes.default.svc.$CLUSTER_DOMAIN';
      const tryOnce = () => dns.lookup(name, (err, addr) => {
        if (err) { console.log('lookup failed: ' + err.code); setTimeout(tryOnce, 500); return; }
        console.log('resolved ' + name + ' ' + addr + ' with node ' + process.version);
      });
      tryOnce();
      setInterval(() => {}, 1 << 30);
EOF2
