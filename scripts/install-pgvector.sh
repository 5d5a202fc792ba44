#!/usr/bin/env bash
# Builds pgvector for the machine's native PostgreSQL from Debian's source
# package (bookworm has no binary package; trixie's source builds in seconds).
# Idempotent: exits at once when the extension is already installed.
set -euo pipefail
PGMAJ=${PGMAJ:-$(ls /usr/lib/postgresql | sort -n | tail -1)}
PGC=/usr/lib/postgresql/$PGMAJ/bin/pg_config
[ -f "$($PGC --sharedir)/extension/vector.control" ] && exit 0
uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | grep -v security | head -1 | awk '{print $2}' || true)
[ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | grep -v security | head -1 | awk '{print $2}')
printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
  > /etc/apt/sources.list.d/trixie-src.sources
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$PGMAJ" make gcc >/dev/null
work=$(mktemp -d); cd "$work"
apt-get source --download-only pgvector >/dev/null
tar xzf pgvector_*.orig.tar.gz; cd pgvector-*/
make PG_CONFIG=$PGC OPTFLAGS="" >/dev/null && make install PG_CONFIG=$PGC >/dev/null
echo "pgvector installed for PostgreSQL $PGMAJ"
