#!/usr/bin/env bash
# Creates corpora/tools/.venv-korean with kiwipiepy (Kiwi) and konlpy (Okt; needs a Java runtime,
# e.g. Debian's default-jre-headless) for the `command` tokenizer recipes kiwi_tokenize.py and
# okt_tokenize.py, and prints the venv's python. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
VENV="$PWD/.venv-korean"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import kiwipiepy, konlpy" 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q kiwipiepy konlpy >&2
fi
echo "$VENV/bin/python"
