#!/usr/bin/env bash
# lifeboat against the stock-tools pipelines, measured in one run on this machine.
#
# Builds a benchmark database in a throwaway PostgreSQL cluster (pgbench at BENCH_SCALE + the
# pagila fixture + a text table), starts S3Proxy on loopback as the store, and measures, with the
# contenders alternating and BENCH_RUNS rounds (medians reported): the dump's own limit, the
# runbooks' pipeline, the pigz and zstd pipelines, lifeboat backup (gzip, zstd), the stock
# streaming restore against lifeboat drill and restore, pg_restore -j against restore --jobs,
# rclone against lifeboat mirror. Prints wall time, CPU time (user+sys of the whole process tree)
# and peak RSS for each, the ratios the project promises, and writes them to
# bench-results/<timestamp>.md and bench-results/latest.md.
#
#   BENCH_SCALE          pgbench scale of the main database (default 100: ~2.1 GB, dump 1.5 GB)
#   BENCH_TEXT_ROWS      rows of the text table (default 4000 * BENCH_SCALE)
#   BENCH_RUNS           rounds (default 3)
#   BENCH_MIRROR_OBJECTS objects for the mirror rows (default 10020, ~191 MB)
#   BENCH_ONLY           space-separated groups to run: backup restore jobs mirror rss (default all)
#   BENCH_WORK           scratch directory (default a new one under /tmp, removed at the end); a given
#                        one is kept, and a cluster already in it is reused (quicker repeated runs)
#   BENCH_RESULTS        where the results go (default bench-results in the checkout)
# Needs: PostgreSQL server binaries, Java 17, Maven (to build), pigz, zstd, gpg, rclone, the AWS
# CLI and GNU time; missing tools are installed with apt-get when possible, else that contender is
# skipped with a note.
set -euo pipefail
export LC_ALL=C
# a CA bundle set for HTTPS elsewhere makes rclone refuse the plain-HTTP loopback store
unset AWS_CA_BUNDLE
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/.." && pwd)"
SCALE="${BENCH_SCALE:-100}"
TEXT_ROWS="${BENCH_TEXT_ROWS:-$((4000 * SCALE))}"
RUNS="${BENCH_RUNS:-3}"
MIRROR_OBJECTS="${BENCH_MIRROR_OBJECTS:-10020}"
ONLY="${BENCH_ONLY:-backup restore jobs mirror rss}"
RESULTS="${BENCH_RESULTS:-$repo/bench-results}"
notes=()
note() { notes+=("$*"); echo "note: $*" >&2; }
say() { echo "== $*" >&2; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }

# ---------------------------------------------------------------- tools
have() { command -v "$1" >/dev/null 2>&1; }
apt_updated=""
install_pkg() { # command package
  have "$1" && return 0
  [ "$(id -u)" = 0 ] && have apt-get || return 1
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 || true
  have "$1"
}
[ -x /usr/bin/time ] || install_pkg /usr/bin/time time || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
for t in pigz:pigz zstd:zstd gpg:gnupg rclone:rclone aws:awscli; do
  install_pkg "${t%%:*}" "${t#*:}" || note "${t%%:*} is not installed and could not be installed: its contenders are skipped"
done
have gpg || { echo "bench: needs gpg" >&2; exit 2; }
pgbin="${PG_BIN_DIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$pgbin/initdb" ] || { echo "bench: no PostgreSQL server binaries (set PG_BIN_DIR)" >&2; exit 2; }
export PATH="$pgbin:$PATH"

# ---------------------------------------------------------------- build
jar="$repo/app/target/lifeboat.jar"
if [ ! -f "$jar" ] || [ ! -f "$repo/app/target/test-classes/dev/lifeboat/harness/S3ServerMain.class" ]; then
  say "building lifeboat"
  (cd "$repo" && mvn -B -q -o package -DskipTests)
fi
cpfile="$repo/app/target/bench-classpath.txt"
if [ ! -s "$cpfile" ] || [ "$repo/app/pom.xml" -nt "$cpfile" ]; then
  (cd "$repo/app" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null)
fi
lifeboat="$repo/scripts/lifeboat"
export LIFEBOAT_JAR="$jar"
export LIFEBOAT_CDS_DIR="${LIFEBOAT_CDS_DIR:-}"

# ---------------------------------------------------------------- scratch, cluster, store
work="${BENCH_WORK:-$(mktemp -d /tmp/lifeboat-bench.XXXXXX)}"
mkdir -p "$work/log"
chmod 755 "$work"
[ -n "$LIFEBOAT_CDS_DIR" ] || export LIFEBOAT_CDS_DIR="$work/cds"
pids=()
asdb() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [ -d "$work/pg/data" ] && asdb "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1
  [ -d "$work/gnupg" ] && GNUPGHOME="$work/gnupg" gpgconf --kill gpg-agent >/dev/null 2>&1
  [ -z "${BENCH_WORK:-}" ] && rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "starting PostgreSQL ($pgbin) in $work/pg"
rm -rf "$work/s3" "$work/gnupg" "$work/s3.out"
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
reuse=""
if [ -f "$work/pg/data/PG_VERSION" ]; then reuse=1; else
  asdb "$pgbin/initdb" -D "$work/pg/data" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
fi
export PGHOST=127.0.0.1 PGPORT="$(free_port)" PGUSER=postgres
asdb "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -t 60 \
  -o "-p $PGPORT -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB" start >/dev/null

say "starting S3Proxy on loopback"
export S3_ACCESS_KEY="AK$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
export S3_SECRET_KEY="$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')"
java -Xmx1g -cp "$repo/app/target/test-classes:$(cat "$cpfile")" dev.lifeboat.harness.S3ServerMain "$work/s3" \
  >"$work/s3.out" 2>"$work/log/s3proxy.log" &
pids+=($!)
for _ in $(seq 1 300); do grep -q '^port=' "$work/s3.out" 2>/dev/null && break; sleep 0.1; done
s3port="$(sed -n 's/^port=//p' "$work/s3.out")"
[ -n "$s3port" ] || { echo "bench: S3Proxy did not start (see $work/log/s3proxy.log)" >&2; exit 3; }
endpoint="http://127.0.0.1:$s3port"
export AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" AWS_DEFAULT_REGION=us-east-1
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
s3() { aws --endpoint-url "$endpoint" s3 "$@"; }
have aws || { echo "bench: needs the AWS CLI to set up the store" >&2; exit 2; }
s3 mb s3://bench >/dev/null

# lifeboat's environment: one store, one source per contender
export BACKUP_S3_ENDPOINT="$endpoint" BACKUP_S3_REGION=us-east-1 BACKUP_S3_BUCKET=bench
export BACKUP_S3_ACCESS_KEY="$S3_ACCESS_KEY" BACKUP_S3_SECRET_KEY="$S3_SECRET_KEY"
export BACKUP_LOCK_DIR="$work/locks"

say "generating an OpenPGP key"
export GNUPGHOME="$work/gnupg"
mkdir -m 700 -p "$GNUPGHOME"
gpg --batch -q --passphrase '' --pinentry-mode loopback --quick-gen-key 'lifeboat bench <bench@lifeboat.invalid>' rsa3072 sign,cert never 2>/dev/null
fpr="$(gpg --batch --with-colons --list-keys bench@lifeboat.invalid | awk -F: '/^fpr/ {print $10; exit}')"
gpg --batch -q --passphrase '' --pinentry-mode loopback --quick-add-key "$fpr" rsa3072 encr never 2>/dev/null
gpg --batch -q --armor --export-secret-keys "$fpr" >"$work/secret.asc"
export BACKUP_GPG_RECIPIENT="$fpr" BACKUP_GPG_SECRET_KEY="$work/secret.asc"
gpge="gpg --batch -q --trust-model always -e -r $fpr"

# ---------------------------------------------------------------- the database
make_db() { # name scale textrows
  local db=$1 scale=$2 rows=$3
  say "building database $db: pgbench scale $scale + pagila + $rows text rows"
  createdb "$db"
  pgbench -i -q -s "$scale" "$db" >"$work/log/pgbench-$db.log" 2>&1
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$repo/app/src/test/resources/fixtures/pagila.sql" >"$work/log/pagila-$db.log" 2>&1
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
CREATE TABLE bench_text (id bigint PRIMARY KEY, created timestamptz NOT NULL, body text NOT NULL);
INSERT INTO bench_text
SELECT g, timestamptz '2024-01-01' + g * interval '37 seconds',
       (SELECT string_agg(md5((g * 41 + i)::text), ' ') FROM generate_series(1, 38) i)
FROM generate_series(1, $rows) g;
VACUUM ANALYZE;
SQL
}
db=bench
[ -n "$reuse" ] && psql -X -At -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
  || make_db "$db" "$SCALE" "$TEXT_ROWS"
dburl="postgresql://postgres@127.0.0.1:$PGPORT/$db"
dbsize="$(psql -X -At -d "$db" -c "SELECT pg_size_pretty(pg_database_size('$db'))")"
dumpsize="$(pg_dump -Fc -Z0 "$db" | wc -c)"
say "database $db: $dbsize, pg_dump -Fc -Z0: $((dumpsize / 1000000)) MB"

# ---------------------------------------------------------------- measuring
results="$work/results.tsv"   # name run wall cpu rss_kib stolen
: >"$results"
loads=()
# measure NAME COMMAND: runs COMMAND under bash with pipefail, timed by GNU time
# Each contender starts from a quiet machine: the server's dirty buffers written (CHECKPOINT) and
# the kernel's (sync). Without it the writes left by one contender (a restore's 2 GB, a dropped
# database) land on whichever runs next: the dump's own limit measured 5.3 s at the start of one
# round and 9.0 s at the start of the next, after the restores.
settle() {
  psql -X -q -d postgres -c CHECKPOINT >/dev/null 2>&1 || true
  sync
}

# CPU time the hypervisor gave to other guests while this one wanted it (the "steal" column of
# /proc/stat), in seconds: on a shared host it is what makes one round slower than another
stolen() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f", $9 / hz}' /proc/stat; }
measure() {
  local name=$1 cmd=$2 tf="$work/time.txt" rc=0 st0
  settle
  st0="$(stolen)"
  /usr/bin/time -f '%e %U %S %M' -o "$tf" bash -c "set -euo pipefail; $cmd" >"$work/log/$name.$run.out" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    note "$name failed in round $run (exit $rc): $(tail -3 "$work/log/$name.$run.out" | tr '\n' ' ')"
    return 0
  fi
  read -r wall user sys rss < <(tail -1 "$tf")
  local st; st="$(awk -v a="$st0" -v b="$(stolen)" 'BEGIN {printf "%.2f", b - a}')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$st" >>"$results"
  printf '   %-22s %7.2f s wall %7.2f s cpu %7d MiB %6.2f s stolen\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$st" >&2
}
lb() { echo "BACKUP_SOURCE_NAME=$1 DATABASE_URL=$dburl $lifeboat ${*:2}"; }
clear_prefix() { s3 rm --recursive --quiet "s3://bench/$1" >/dev/null 2>&1 || true; }
dropdb_quiet() { dropdb --if-exists "$1" >/dev/null 2>&1 || true; }

backup_round() {
  measure dump_limit "pg_dump -Fc -Z0 $db > /dev/null"
  measure runbooks "pg_dump -Fc $db | gzip | $gpge | aws --endpoint-url $endpoint s3 cp - s3://bench/stock/runbooks.dump.gz.gpg"
  clear_prefix stock/
  measure lifeboat_gzip "$(lb bench-gzip backup)"
  clear_prefix pg/bench-gzip/
  if have pigz; then
    measure pigz "pg_dump -Fc -Z0 $db | pigz -6 | $gpge -z0 | aws --endpoint-url $endpoint s3 cp - s3://bench/stock/pigz.dump.gz.gpg"
    clear_prefix stock/
  fi
  # the pair whose ratio has the tightest margin runs in either order, by round
  if [ $((run % 2)) = 1 ]; then zstd_lifeboat; zstd_stock; else zstd_stock; zstd_lifeboat; fi
}
zstd_lifeboat() {
  measure lifeboat_zstd "BACKUP_COMPRESSION=zstd $(lb bench-zstd backup)"
  clear_prefix pg/bench-zstd/
}
zstd_stock() {
  measure zstd "pg_dump -Fc -Z0 $db | zstd -q -3 -T2 | $gpge -z0 | aws --endpoint-url $endpoint s3 cp - s3://bench/stock/zstd.dump.zst.gpg"
  clear_prefix stock/
}

restore_setup() {
  say "taking the backup that the restore rows read"
  eval "$(lb bench-restore backup)" >"$work/log/restore-backup.out" 2>&1
  restore_manifest="$(s3 ls --recursive s3://bench/pg/bench-restore/ | awk '/manifest.json$/ {print $4}' | tail -1)"
  restore_stem="${restore_manifest%.manifest.json}"
  restore_obj="$restore_stem.dump.gz.gpg"
  say "restore source: $restore_obj"
}
restore_round() {
  dropdb_quiet stock_restore
  measure stock_restore "createdb stock_restore && aws --endpoint-url $endpoint s3 cp s3://bench/$restore_obj - | gpg --batch -q -d | gunzip | pg_restore -d stock_restore"
  dropdb_quiet stock_restore
  measure lifeboat_drill "$(lb bench-restore drill "$restore_manifest")"
  dropdb_quiet lb_restore
  measure lifeboat_restore "$(lb bench-restore restore --target-url "$dburl" --into lb_restore "$restore_manifest")"
  dropdb_quiet lb_restore
}
jobs_setup() { # the local file an expert restores with -j: written by pg_dump to a file (data offsets in its TOC)
  pg_dump -Fc -f "$work/restore.dump" "$db"
}
jobs_round() {
  dropdb_quiet stock_jobs
  measure pg_restore_j2 "createdb stock_jobs && pg_restore -j 2 -d stock_jobs $work/restore.dump"
  dropdb_quiet stock_jobs
  if "$lifeboat" restore --help 2>/dev/null | grep -q -- '--spool'; then
    dropdb_quiet lb_jobs
    measure lifeboat_restore_j2 "$(lb bench-restore restore --spool --jobs 2 --target-url "$dburl" --into lb_jobs "$restore_manifest")"
    dropdb_quiet lb_jobs
    measure lifeboat_drill_j2 "$(lb bench-restore drill --spool --jobs 2 "$restore_manifest")"
  fi
}

mirror_setup() {
  mirror_ok=""
  if ! "$lifeboat" --help 2>/dev/null | grep -qw mirror; then
    note "lifeboat mirror is not in this build: the mirror rows are skipped"; return
  fi
  if ! have rclone; then note "rclone is missing: the mirror rows are skipped"; return; fi
  say "making $MIRROR_OBJECTS objects for the mirror rows"
  local dir="$work/mirror-src" big=$((MIRROR_OBJECTS / 500)) small
  small=$((MIRROR_OBJECTS - big))
  mkdir -p "$dir"
  python3 - "$dir" "$small" "$big" <<'PY'
import os, random, sys
d, small, big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(7)
for i in range(small):
    sub = os.path.join(d, "uploads", "%03d" % (i % 200))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "file-%05d.bin" % i), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(4_000, 24_000)))
for i in range(big):
    sub = os.path.join(d, "media")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "video-%03d.bin" % i), "wb") as f:
        f.write(rnd.randbytes(2_500_000))
PY
  export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint"
  export RCLONE_CONFIG_BENCH_ACCESS_KEY_ID="$S3_ACCESS_KEY" RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY="$S3_SECRET_KEY"
  export RCLONE_CONFIG_BENCH_REGION=us-east-1 RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
  s3 mb s3://live >/dev/null
  if ! rclone copy --transfers 8 "$dir" bench:live >"$work/log/mirror-setup.out" 2>&1; then
    note "rclone could not fill the live bucket ($(tail -1 "$work/log/mirror-setup.out")): the mirror rows are skipped"; return
  fi
  say "live bucket: $(rclone size bench:live 2>/dev/null | tr '\n' ' ')"
  # rclone reads the live bucket through a remote of its own, as it would from another server:
  # within one remote it copies server-side (CopyObject), which no mirror between two endpoints can.
  export RCLONE_CONFIG_LIVE_TYPE=s3 RCLONE_CONFIG_LIVE_PROVIDER=Other RCLONE_CONFIG_LIVE_ENDPOINT="$endpoint"
  export RCLONE_CONFIG_LIVE_ACCESS_KEY_ID="$S3_ACCESS_KEY" RCLONE_CONFIG_LIVE_SECRET_ACCESS_KEY="$S3_SECRET_KEY"
  export RCLONE_CONFIG_LIVE_REGION=us-east-1 RCLONE_CONFIG_LIVE_FORCE_PATH_STYLE=true
  export MINIO_ENDPOINT=127.0.0.1 MINIO_PORT="$s3port" MINIO_USE_SSL=false MINIO_BUCKET=live
  export MINIO_ACCESS_KEY="$S3_ACCESS_KEY" MINIO_SECRET_KEY="$S3_SECRET_KEY"
  # an untimed first mirror run writes mirror's class-data archive (see the warm-up below)
  s3 mb s3://lbm-warm >/dev/null 2>&1 || true
  BACKUP_S3_BUCKET=lbm-warm "$lifeboat" mirror --prefix media/ >"$work/log/mirror-warm.out" 2>&1 || true
  BACKUP_S3_BUCKET=lbm-warm "$lifeboat" mirror --prefix media/ >>"$work/log/mirror-warm.out" 2>&1 || true
  s3 rb --force s3://lbm-warm >/dev/null 2>&1 || true
  mirror_ok=1
}
mirror_round() {
  [ -n "$mirror_ok" ] || return 0
  s3 mb s3://rcl >/dev/null 2>&1 || true
  measure rclone_fresh "rclone copy --transfers 8 live:live bench:rcl/minio/live"
  measure rclone_unchanged "rclone sync --checksum --transfers 8 live:live bench:rcl/minio/live"
  s3 rb --force s3://rcl >/dev/null 2>&1 || true
  s3 mb s3://lbm >/dev/null 2>&1 || true
  measure mirror_fresh "BACKUP_S3_BUCKET=lbm $lifeboat mirror"
  measure mirror_unchanged "BACKUP_S3_BUCKET=lbm $lifeboat mirror"
  measure mirror_unchanged_paged "MIRROR_LIST_THREADS=1 BACKUP_S3_BUCKET=lbm $lifeboat mirror"
  s3 rb --force s3://lbm >/dev/null 2>&1 || true
}

rss_round() {
  measure version "$lifeboat --version"
  measure lifeboat_gzip_small "BACKUP_SOURCE_NAME=bench-small DATABASE_URL=${dburl%/*}/bench_small $lifeboat backup"
  clear_prefix pg/bench-small/
}

# Untimed first runs on a small database: lifeboat's first run of each command writes its
# class-data archive (scripts/lifeboat), which later runs map; every measured run is a later run.
say "warming up: one untimed run of each lifeboat command"
if ! psql -X -At -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'bench_warm'" | grep -q 1; then
  createdb bench_warm
  psql -X -q -v ON_ERROR_STOP=1 -d bench_warm -f "$repo/app/src/test/resources/fixtures/pagila.sql" >/dev/null 2>&1
fi
warmurl="postgresql://postgres@127.0.0.1:$PGPORT/bench_warm"
BACKUP_SOURCE_NAME=warm DATABASE_URL="$warmurl" "$lifeboat" backup >"$work/log/warm.out" 2>&1
warm_manifest="$(s3 ls --recursive s3://bench/pg/warm/ | awk '/manifest.json$/ {print $4}' | tail -1)"
BACKUP_SOURCE_NAME=warm DATABASE_URL="$warmurl" "$lifeboat" drill "$warm_manifest" >>"$work/log/warm.out" 2>&1 || true
BACKUP_SOURCE_NAME=warm DATABASE_URL="$warmurl" "$lifeboat" restore --into warm_restored "$warm_manifest" >>"$work/log/warm.out" 2>&1 || true
dropdb_quiet warm_restored
BACKUP_SOURCE_NAME=warm DATABASE_URL="$warmurl" BACKUP_COMPRESSION=zstd "$lifeboat" backup >>"$work/log/warm.out" 2>&1 || true
clear_prefix pg/warm/
clear_prefix drill/warm/

wants restore || wants jobs && restore_setup
wants jobs && jobs_setup
wants mirror && mirror_setup
if wants rss && ! psql -X -At -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'bench_small'" | grep -q 1; then
  make_db bench_small "$(( SCALE / 10 > 0 ? SCALE / 10 : 1 ))" "$(( TEXT_ROWS / 10 ))"; fi
for run in $(seq 1 "$RUNS"); do
  loads+=("round $run: $(cut -d' ' -f1-3 /proc/loadavg)")
  say "round $run of $RUNS (load $(cut -d' ' -f1-3 /proc/loadavg))"
  wants backup && backup_round
  wants restore && restore_round
  wants jobs && jobs_round
  wants mirror && mirror_round
  wants rss && rss_round
done

# ---------------------------------------------------------------- report
median() { # name column -> median or empty
  awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$results" | sort -g | awk '{a[NR]=$1} END {if (NR) print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'
}
wall() { median "$1" 3; }
# the ratio unrounded: a verdict is taken on it, so 0.851 against 0.85 is a miss even though it prints as 0.85
ratio() { local a b; a="$(wall "$1")"; b="$(wall "$2")"; [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN {printf "%.6f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r == "" ? "—" : (r <= t ? "met" : "MISSED"))}'; }
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
out="$RESULTS/$stamp.md"
{
  echo "# lifeboat benchmark, $stamp"
  echo
  echo "Database: pgbench scale $SCALE + pagila + $TEXT_ROWS text rows = $dbsize; \`pg_dump -Fc -Z0\` = $((dumpsize / 1000000)) MB."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); store: S3Proxy on loopback; medians of $RUNS rounds, contenders alternating."
  echo "Load average at the start of each round: $(IFS=';'; echo "${loads[*]}")."
  echo "lifeboat $("$lifeboat" --version 2>/dev/null | head -1), PostgreSQL $(pg_dump --version | awk '{print $3}'), $(java -version 2>&1 | head -1)."
  echo
  echo "Stolen: CPU time the hypervisor gave to other guests during the measurement (median; two cores)."
  echo
  echo "| contender | command | wall s | CPU s | peak RSS MiB | stolen s |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  while IFS='|' read -r name what; do
    [ -n "$(wall "$name")" ] || continue
    printf '| %s | %s | %.2f | %.2f | %d | %.2f |\n' "$name" "$what" "$(wall "$name")" "$(median "$name" 4)" "$(( $(median "$name" 5 | cut -d. -f1) / 1024 ))" "$(median "$name" 6)"
  done <<'ROWS'
dump_limit|`pg_dump -Fc -Z0 > /dev/null`
runbooks|`pg_dump -Fc \| gzip \| gpg -e \| aws s3 cp -`
pigz|`pg_dump -Fc -Z0 \| pigz -6 \| gpg -z0 -e \| aws s3 cp -`
zstd|`pg_dump -Fc -Z0 \| zstd -3 -T2 \| gpg -z0 -e \| aws s3 cp -`
lifeboat_gzip|`lifeboat backup` (gzip 6, OpenPGP to a recipient)
lifeboat_zstd|`lifeboat backup` (zstd 3, OpenPGP to a recipient)
stock_restore|`aws s3 cp - \| gpg -d \| gunzip \| pg_restore -d new`
lifeboat_drill|`lifeboat drill` (restore + full comparison + drop; data loaded and indexes built on 2 connections)
lifeboat_restore|`lifeboat restore --into new` (restore + row check; data loaded and indexes built on 2 connections)
pg_restore_j2|`pg_restore -j 2` from a local decrypted file
lifeboat_restore_j2|`lifeboat restore --spool --jobs 2 --into new`
lifeboat_drill_j2|`lifeboat drill --spool --jobs 2`
rclone_fresh|`rclone copy --transfers 8` between two remotes (BENCH_MIRROR_OBJECTS objects, default 10,020)
mirror_fresh|`lifeboat mirror` (fresh)
rclone_unchanged|`rclone sync --checksum` (nothing changed)
mirror_unchanged|`lifeboat mirror` (nothing changed)
mirror_unchanged_paged|`MIRROR_LIST_THREADS=1 lifeboat mirror` (nothing changed, one recursive paginated listing per side)
version|`lifeboat --version`
lifeboat_gzip_small|`lifeboat backup` of a database 1/10 the size
ROWS
  echo
  echo "| ratio | measured | target | | round by round |"
  echo "| --- | ---: | ---: | --- | --- |"
  # the same ratio within each round (both contenders measured back to back): when the host's
  # speed drifts between rounds, these say more than the ratio of the medians, which is the verdict
  by_round() {
    awk -F'\t' -v a="$1" -v b="$2" '$1 == a {x[$2] = $3} $1 == b {y[$2] = $3}
      END {s = ""; for (r = 1; r <= 99; r++) if ((r in x) && (r in y) && y[r] > 0) s = s (s == "" ? "" : ", ") sprintf("%.2f", x[r] / y[r]); print s}' "$results"
  }
  row() {
    local r shown=""
    r="$(ratio "$2" "$3" || true)"
    [ -n "$r" ] && shown="$(awk -v r="$r" 'BEGIN {printf "%.2f", r}')"
    [ -n "$r" ] && awk -v r="$r" -v t="$4" 'BEGIN {exit !(r > t && sprintf("%.2f", r) + 0 <= t)}' && shown="$shown ($(awk -v r="$r" 'BEGIN {printf "%.3f", r}'))"
    printf '| %s | %s | %s | %s | %s |\n' "$1" "${shown:-—}" "≤ $4" "$(verdict "$r" "$4")" "$(by_round "$2" "$3")"
  }
  row "lifeboat gzip / runbooks" lifeboat_gzip runbooks 0.6
  row "lifeboat gzip / pigz pipeline" lifeboat_gzip pigz 0.9
  row "lifeboat zstd / zstd pipeline" lifeboat_zstd zstd 1.0
  row "lifeboat drill / stock restore" lifeboat_drill stock_restore 1.05
  row "lifeboat restore --into / stock restore" lifeboat_restore stock_restore 1.05
  row "lifeboat restore --into (--jobs 2, the default) / stock restore" lifeboat_restore stock_restore 0.85
  row "lifeboat restore --spool --jobs 2 / stock restore" lifeboat_restore_j2 stock_restore 0.85
  row "lifeboat drill --spool --jobs 2 / stock restore" lifeboat_drill_j2 stock_restore 0.85
  row "lifeboat mirror / rclone copy (fresh)" mirror_fresh rclone_fresh 1.0
  u="$(wall mirror_unchanged)"
  printf '| %s | %s | %s | %s | |\n' "lifeboat mirror, nothing changed (s)" "${u:-—}" "≤ 1.5" "$(verdict "$u" 1.5)"
  u="$(wall mirror_unchanged_paged)"
  [ -z "$u" ] || printf '| %s | %s | %s | %s | |\n' "same with MIRROR_LIST_THREADS=1 (s)" "$u" "≤ 1.5" "$(verdict "$u" 1.5)"
  v="$(median version 5)"
  for pair in "lifeboat_gzip:$db" "lifeboat_gzip_small:bench_small"; do
    m="$(median "${pair%%:*}" 5)"
    if [ -n "$m" ] && [ -n "$v" ]; then
      d=$(( (${m%.*} - ${v%.*}) / 1024 ))
      printf '| %s | %s | %s | %s | |\n' "peak RSS above --version, backup of ${pair#*:} (MiB)" "$d" "≤ 256" "$(verdict "$d" 256)"
    fi
  done
  if [ "${#notes[@]}" -gt 0 ]; then
    echo
    echo "Notes:"
    for n in "${notes[@]}"; do echo "- $n"; done
  fi
} >"$out"
cp "$out" "$RESULTS/latest.md"
cat "$out"
echo >&2
echo "results: $out" >&2
