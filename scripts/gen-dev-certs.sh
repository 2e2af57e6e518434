#!/usr/bin/env bash
# Makes a development CA and certificates signed by it. Not for production:
# use your own CA there.
#   scripts/gen-dev-certs.sh DIR [NAME...]          a server certificate
#   scripts/gen-dev-certs.sh --nodes DIR NODE...    one certificate per node
# The CA (DIR/ca.pem, DIR/ca-key.pem) is made once and reused. Keys are mode
# 0600.
# Server: DIR/server.pem and DIR/server-key.pem for http.tls, valid for
# localhost, 127.0.0.1, ::1 and the NAMEs:
#   http: {tls: {cert: DIR/server.pem, key: DIR/server-key.pem, ca: DIR/ca.pem}}
# Nodes (issue 11): DIR/NODE.pem and DIR/NODE-key.pem with CN=NODE and a DNS
# subjectAltName NODE, for client and server use. An edge agent's NODE is its
# site name (the hub checks it); the hub's may be any name, e.g. "hub":
#   nodes: {tls: {cert: DIR/edge1.pem, key: DIR/edge1-key.pem, ca: DIR/ca.pem}}
set -euo pipefail
nodes=0
if [[ "${1:-}" == "--nodes" ]]; then
  nodes=1
  shift
fi
dir="${1:?usage: scripts/gen-dev-certs.sh [--nodes] DIR [NAME...]}"
shift
mkdir -p "$dir"
umask 077
if [[ ! -f "$dir/ca.pem" || ! -f "$dir/ca-key.pem" ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=o2hub development CA" \
    -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  chmod 0644 "$dir/ca.pem"
fi

# sign NAME CN SAN EKU: DIR/NAME.pem and DIR/NAME-key.pem
sign() {
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" \
    -keyout "$dir/$1-key.pem" -out "$dir/$1.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' \
    "$3" "$4" >"$dir/$1.ext"
  openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -CAcreateserial -days 825 -extfile "$dir/$1.ext" -out "$dir/$1.pem" 2>/dev/null
  rm -f "$dir/$1.csr" "$dir/$1.ext" "$dir/ca.srl"
  chmod 0644 "$dir/$1.pem"
}

if ((nodes)); then
  (($# > 0)) || { echo "gen-dev-certs: --nodes needs at least one node name" >&2; exit 2; }
  for node in "$@"; do
    [[ "$node" =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || { echo "gen-dev-certs: bad node name '$node'" >&2; exit 2; }
    sign "$node" "$node" "DNS:$node" "serverAuth,clientAuth"
    echo "gen-dev-certs: $dir/$node.pem (CN=$node), signed by $dir/ca.pem"
  done
  exit 0
fi
san="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then san+=",IP:$name"; else san+=",DNS:$name"; fi
done
sign server localhost "$san" serverAuth
echo "gen-dev-certs: $dir/server.pem ($san), signed by $dir/ca.pem"
