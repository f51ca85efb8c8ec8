#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (as root, with apt-get),
# then runs `mvn -B test` from the repository root. Extra arguments go to Maven, e.g.
#   scripts/test.sh -Dtest=S3StoreTest
# The tests start their own PostgreSQL cluster (initdb) and S3 server; they need PostgreSQL's
# server binaries, gpg, zstd, Maven and a JDK 17 or newer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh

exec mvn -B test "$@"
