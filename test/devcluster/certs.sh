#!/usr/bin/env bash
# Makes the cluster's PKI and kubeconfigs under $STATE/pki and $STATE/kubeconfigs, once.
# They are kept across down/up so a user's kubeconfig stays valid; delete $STATE/pki to renew.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKI="$STATE/pki"
DAYS=3650

# ca NAME CN: a self-signed CA
ca() {
  [ -s "$PKI/$1.crt" ] && return 0
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$1.key" 2>/dev/null
  openssl req -x509 -new -key "$PKI/$1.key" -subj "/CN=$2" -days "$DAYS" -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$PKI/$1.crt" 2>/dev/null
}

# cert NAME CA SUBJECT KIND [SANS]: a leaf certificate (KIND is client, server or both)
cert() {
  local name="$1" caname="$2" subj="$3" kind="$4" sans="${5:-}"
  [ -s "$PKI/$name.crt" ] && return 0
  local eku
  case "$kind" in client) eku=clientAuth;; server) eku=serverAuth;; both) eku=serverAuth,clientAuth;; esac
  local ext; ext=$(mktemp)
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [ -n "$sans" ] && echo "subjectAltName=$sans"
  } > "$ext"
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$name.key" 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$caname.crt" -CAkey "$PKI/$caname.key" -CAcreateserial \
    -days "$DAYS" -sha256 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$ext" "$PKI/$name.csr"
}

# kubeconfig FILE USER-CERT-NAME CONTEXT
kubeconfig() {
  local file="$1" name="$2" ctx="$3"
  local ca crt key
  ca=$(base64 -w0 < "$PKI/ca.crt"); crt=$(base64 -w0 < "$PKI/$name.crt"); key=$(base64 -w0 < "$PKI/$name.key")
  cat > "$file.tmp" <<EOF2
apiVersion: v1
kind: Config
clusters:
- name: $ctx
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $ca
users:
- name: $ctx-$name
  user:
    client-certificate-data: $crt
    client-key-data: $key
contexts:
- name: $ctx
  context:
    cluster: $ctx
    user: $ctx-$name
current-context: $ctx
preferences: {}
EOF2
  chmod 600 "$file.tmp"; mv "$file.tmp" "$file"
}

main() {
  mkdir -p "$PKI" "$STATE/kubeconfigs"; chmod 700 "$PKI"
  ca ca funcdeck-dev-ca
  ca front-proxy-ca funcdeck-dev-front-proxy-ca
  local sans="DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:$NODE_NAME,IP:127.0.0.1,IP:$KUBERNETES_SVC_IP,IP:$API_ADVERTISE_IP"
  cert apiserver ca "/CN=kube-apiserver" server "$sans"
  cert apiserver-kubelet-client ca "/O=system:masters/CN=kube-apiserver-kubelet-client" client
  cert front-proxy-client front-proxy-ca "/CN=front-proxy-client" client
  cert admin ca "/O=system:masters/CN=funcdeck-admin" client
  cert kube-controller-manager ca "/CN=system:kube-controller-manager" client
  cert kube-scheduler ca "/CN=system:kube-scheduler" client
  cert kube-proxy ca "/CN=system:kube-proxy" client
  cert kubelet-client ca "/O=system:nodes/CN=system:node:$NODE_NAME" client
  cert kubelet ca "/CN=$NODE_NAME" server "DNS:$NODE_NAME,DNS:localhost,IP:127.0.0.1,IP:$API_ADVERTISE_IP"
  if [ ! -s "$PKI/sa.key" ]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  chmod 600 "$PKI"/*.key
  kubeconfig "$KUBECONFIG_FILE" admin "$CONTEXT"
  local c
  for c in kube-controller-manager kube-scheduler kube-proxy; do
    kubeconfig "$STATE/kubeconfigs/$c.kubeconfig" "$c" "$CONTEXT"
  done
  kubeconfig "$STATE/kubeconfigs/kubelet.kubeconfig" kubelet-client "$CONTEXT"
}
main "$@"
