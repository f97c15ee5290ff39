#!/usr/bin/env bash
# Ready when GET /health/ready answers 200; bash's /dev/tcp, so the JRE image needs no curl.
set -euo pipefail
port="${AIOPS_HTTP_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r _ status _ <&3
[ "${status}" = "200" ]
