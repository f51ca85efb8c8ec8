#!/usr/bin/env bash
# Hourly database backup, for cron: loads the env file and runs `lifeboat backup`.
#   LIFEBOAT_ENV_FILE  the KEY=VALUE file (default /etc/lifeboat/lifeboat.env); variables already set win
# Extra arguments are passed on (e.g. --remove for mirror, --tag pre-deploy for backup).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
exec "$here/lifeboat" --env-file "${LIFEBOAT_ENV_FILE:-/etc/lifeboat/lifeboat.env}" backup "$@"
