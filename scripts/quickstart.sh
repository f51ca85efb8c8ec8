#!/usr/bin/env bash
# The main job, end to end, on a fresh Debian/Ubuntu host: builds lifeboat, starts a throwaway
# PostgreSQL with the pagila sample database, makes an OpenPGP key, runs a real encrypted
# `lifeboat backup` into a local-directory store, verifies it, proves it with a restore drill,
# and prints where the backup lies and how to restore it by hand.
#
#   scripts/quickstart.sh           everything under ./quickstart/, the server stopped at the end
#   scripts/quickstart.sh --keep    leave the throwaway server running to try the restore commands
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
keep=false
[ "${1:-}" = "--keep" ] && keep=true

bash scripts/install-deps.sh
echo "== building lifeboat"
mvn -B -q package -DskipTests

work="${QUICKSTART_DIR:-$root/quickstart}"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$pgbin" ] || pgbin="$(dirname "$(command -v initdb)")"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -f "$work/pg/data/postmaster.pid" ]; then as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true; fi
rm -rf "$work"
mkdir -p "$work/pg" "$work/store" "$work/keys"
chmod 700 "$work"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$work/pg"; chmod 755 "$work"; fi

port=55432
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
printf '%s\n' "$password" > "$work/pg/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg/pwfile"

echo "== starting a throwaway PostgreSQL on 127.0.0.1:$port"
as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres -A scram-sha-256 --pwfile="$work/pg/pwfile" >/dev/null
rm -f "$work/pg/pwfile"
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
stop_server() { as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true; }
$keep || trap stop_server EXIT

export PGPASSWORD="$password"
"$pgbin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE pagila"
"$pgbin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d pagila -v ON_ERROR_STOP=1 \
    -f app/src/test/resources/fixtures/pagila.sql >/dev/null
unset PGPASSWORD

echo "== making an OpenPGP key (GNUPGHOME=$work/gnupg)"
export GNUPGHOME="$work/gnupg"
mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
uid="lifeboat quickstart <quickstart@localhost>"
gpg --batch --quiet --passphrase '' --quick-gen-key "$uid" ed25519 sign never
fpr="$(gpg --batch --with-colons --list-keys "$uid" | awk -F: '/^fpr/ {print $10; exit}')"
gpg --batch --quiet --passphrase '' --quick-add-key "$fpr" cv25519 encr never
gpg --batch --armor --export "$fpr" > "$work/keys/public.asc"
gpg --batch --armor --pinentry-mode loopback --passphrase '' --export-secret-keys "$fpr" > "$work/keys/secret.asc"
chmod 600 "$work/keys/secret.asc"

cat > "$work/lifeboat.env" <<ENV
DATABASE_URL=postgresql://postgres:$password@127.0.0.1:$port/pagila
BACKUP_DIR=$work/store
BACKUP_GPG_RECIPIENT=$fpr
BACKUP_GPG_PUBLIC_KEY=$work/keys/public.asc
BACKUP_GPG_SECRET_KEY=$work/keys/secret.asc
BACKUP_LOCK_DIR=$work/locks
BACKUP_METRICS_FILE=$work/lifeboat.prom
ENV
chmod 600 "$work/lifeboat.env"
lb() { "$root/scripts/lifeboat" --env-file "$work/lifeboat.env" "$@"; }

echo "== lifeboat backup"
lb backup
echo "== lifeboat list"
lb list
echo "== lifeboat verify --latest --level full"
lb verify --latest --level full
echo "== lifeboat drill (restore into a throwaway database and compare)"
lb drill

dump="$(cd "$work/store" && ls pg/pagila/*/*.dump.gz.gpg | tail -n 1)"
cat <<DONE

The backup lies in $work/store/$dump
(with its .globals.sql.gz.gpg and .manifest.json beside it). Settings: $work/lifeboat.env

Restore it by hand with stock tools (what the runbook does when lifeboat is not at hand):
  createdb -h 127.0.0.1 -p $port -U postgres pagila_by_hand
  set -o pipefail
  GNUPGHOME=$work/gnupg gpg --decrypt $work/store/$dump | gunzip \\
    | pg_restore --exit-on-error -h 127.0.0.1 -p $port -U postgres -d pagila_by_hand

Or with lifeboat, into a new database, or over the live one (the old one is kept):
  scripts/lifeboat --env-file $work/lifeboat.env restore --latest --into pagila_copy
  scripts/lifeboat --env-file $work/lifeboat.env restore --latest --confirm=pagila
DONE
if $keep; then
    echo "The throwaway server keeps running (password in $work/lifeboat.env); stop it with:"
    echo "  $( [ "$(id -u)" -eq 0 ] && echo 'runuser -u postgres -- ')$pgbin/pg_ctl -D $work/pg/data stop"
else
    echo "(The throwaway server is stopped now; run scripts/quickstart.sh --keep to try the commands above.)"
fi
