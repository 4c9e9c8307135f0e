#!/usr/bin/env bash
# Creates bench/.venv-torch with CPU-only PyTorch, numpy and safetensors (idempotent: does nothing when torch already imports).
# Tries the PyTorch CPU wheel index first, then falls back to PyPI's torch.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=bench/.venv-torch
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import torch, numpy, safetensors" 2>/dev/null; then
  "$VENV/bin/python" -c "import torch; print('torch', torch.__version__, 'already in $VENV')"
  exit 0
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if "$VENV/bin/pip" install -q --retries 1 --timeout 20 torch --index-url https://download.pytorch.org/whl/cpu; then
  echo "torch installed from download.pytorch.org/whl/cpu"
else
  echo "download.pytorch.org unreachable or failed; installing torch from PyPI" >&2
  "$VENV/bin/pip" install -q torch
fi
"$VENV/bin/pip" install -q numpy safetensors
"$VENV/bin/python" -c "import torch, numpy; print('torch', torch.__version__, 'numpy', numpy.__version__)"
