#!/usr/bin/env bash
# Installs everything pingan needs to build, run and test on Debian 12
# (bookworm). Safe to run again: apt-get skips what is there already.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # libraries (Debian -dev packages, no vendored copies)
  libsqlite3-dev sqlite3 nlohmann-json3-dev libboost1.81-dev libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  libcli11-dev libfmt-dev libspdlog-dev libproj-dev proj-data libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  # sign-in and personal data (issue 17): argon2id and XChaCha20-Poly1305 (libsodium),
  # SM3/SM4 (OpenSSL 3, libssl-dev above), TOTP (liboath)
  libsodium-dev liboath-dev
  # the province store (issue 19): libpq, and Debian's PostgreSQL server, which the tests start
  # in a throwaway cluster of their own (scripts/pg-test-cluster.sh)
  libpq-dev postgresql postgresql-contrib
  # tools the tests and the README call (openssl: a self-signed certificate for a test HTTPS install)
  curl python3 openssl
  # the fuzz targets (scripts/fuzz.sh): clang 14 with libFuzzer and the sanitizer runtimes, llvm-symbolizer
  clang-14 libclang-rt-14-dev llvm-14
  # the web UI's browser tests (web/tests, playwright-core drives Debian's chromium) and CJK fonts,
  # so that pages and screenshots show Chinese rather than boxes
  chromium fonts-noto-cjk
  # ledgers and the registry in Excel (issue 21): .xlsx written with libxlsxwriter, read with
  # minizip (the zip) and expat (the XML); LibreOffice Calc headless and pdftotext read back
  # what pingan writes in the tests, as a bureau's spreadsheet program would
  libxlsxwriter-dev libminizip-dev libexpat1-dev libreoffice-calc-nogui poppler-utils
  # bulletins as .docx (issue 22): LibreOffice Writer converts the printable page
  libreoffice-writer-nogui
)
# Node.js runs the OpenAPI lint (scripts/lint-openapi.sh, @redocly/cli from
# npm). Only when missing: a machine with NodeSource's nodejs already has npm,
# and Debian's npm package conflicts with that nodejs.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_if_needed apt-get update -q
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all Debian packages present"
fi
