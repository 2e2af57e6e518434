#!/usr/bin/env bash
# Makes a development CA and a server certificate signed by it, for
# http.tls (and, later, the nodes' TLS): valid for localhost, 127.0.0.1, ::1
# and the names given. Not for production: use your own CA there.
#   scripts/gen-dev-certs.sh DIR [NAME...]
# Writes DIR/ca.pem, DIR/ca-key.pem, DIR/server.pem, DIR/server-key.pem
# (keys mode 0600). Then in o2hub.yaml:
#   http: {tls: {cert: DIR/server.pem, key: DIR/server-key.pem, ca: DIR/ca.pem}}
set -euo pipefail
dir="${1:?usage: scripts/gen-dev-certs.sh DIR [NAME...]}"
shift
mkdir -p "$dir"
umask 077
san="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then san+=",IP:$name"; else san+=",DNS:$name"; fi
done
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=o2hub development CA" \
  -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$dir/server-key.pem" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
  "$san" >"$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
  -CAcreateserial -days 825 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
rm -f "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl"
chmod 0644 "$dir/ca.pem" "$dir/server.pem"
echo "gen-dev-certs: $dir/server.pem ($san), signed by $dir/ca.pem"
