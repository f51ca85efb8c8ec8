#!/usr/bin/env bash
# Restore, or (with --drill) the weekly restore drill, for cron and the runbook: loads the env
# file and runs `lifeboat restore ...` or `lifeboat drill --all ...`.
#   LIFEBOAT_ENV_FILE  the KEY=VALUE file (default /etc/lifeboat/lifeboat.env); variables already set win
#   restore.sh --drill [drill options]      the weekly proof (database and file bucket)
#   restore.sh --latest --confirm=DBNAME    restore the newest backup into DATABASE_URL
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
env_file="${LIFEBOAT_ENV_FILE:-/etc/lifeboat/lifeboat.env}"
if [ "${1:-}" = "--drill" ]; then
  shift
  exec "$here/lifeboat" --env-file "$env_file" drill --all "$@"
fi
exec "$here/lifeboat" --env-file "$env_file" restore "$@"
