#!/usr/bin/env bash
# Installs what lifeboat's scripts and tests need when it is missing (as root, with apt-get):
# PostgreSQL (server binaries for throwaway clusters, and the client programs), gpg, zstd,
# Maven and a JDK 17 or newer. Without root or apt-get it says what to install and exits 2.
set -euo pipefail

have_initdb() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null
}

have_jdk17() {
    command -v java >/dev/null && command -v javac >/dev/null || return 1
    local v
    v=$(javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
    [[ "$v" =~ ^[0-9]+$ ]] && ((v >= 17))
}

missing=()
have_initdb || missing+=(postgresql)
command -v gpg >/dev/null || missing+=(gnupg)
command -v zstd >/dev/null || missing+=(zstd)
command -v gzip >/dev/null || missing+=(gzip)
command -v mvn >/dev/null || missing+=(maven)
have_jdk17 || missing+=(openjdk-17-jdk-headless)

if ((${#missing[@]} > 0)); then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "install-deps: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends "${missing[@]}"
    else
        echo "install-deps: missing: ${missing[*]}" >&2
        echo "install them first, e.g.: sudo apt-get install -y ${missing[*]}" >&2
        exit 2
    fi
fi

# Optional: libdeflate makes gzip several times faster; without it lifeboat uses the JDK's zlib.
if ! compgen -G "/usr/lib/*/libdeflate.so.0" >/dev/null && [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends libdeflate0 >/dev/null 2>&1 \
        || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends libdeflate0 >/dev/null 2>&1; } \
        || echo "install-deps: libdeflate0 not installed (optional; gzip falls back to the JDK's zlib)" >&2
fi
