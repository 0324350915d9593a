#!/usr/bin/env bash
# Regenerates src/domain/common_passwords.txt: the 30 000 most common
# passwords from the zxcvbn package (npm, MIT, © Dan Wheeler and Dropbox),
# lower-cased, de-duplicated and sorted bytewise so the app can binary-search
# the embedded bytes in place.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent zxcvbn@4.4.2 >/dev/null && tar xzf zxcvbn-4.4.2.tgz)
node -e '
const f = require(process.argv[1]);
const words = [...new Set(f.passwords.map(w => w.toLowerCase()))];
words.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
process.stdout.write(words.join("\n") + "\n");
' "$tmp/package/lib/frequency_lists.js" > src/domain/common_passwords.txt
wc -l src/domain/common_passwords.txt
