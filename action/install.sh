#!/usr/bin/env bash
# Installs leakguard into the action's own checkout ($GITHUB_ACTION_PATH): GitHub runs no `npm ci` for an
# action, so its first step does. Only tree-sitter's two native bindings run install scripts: on a runner
# whose libstdc++ is from GCC 13 or newer (ubuntu-24.04, ubuntu-latest) their prebuilt binaries load;
# elsewhere npm compiles them, which needs g++, make and python3. A checkout that already has dist/ (a
# release build) installs the runtime dependencies only; a plain source checkout also installs the build
# tools and compiles dist/. A second use of the action in the same job finds everything in place.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "::error title=leakguard::leakguard needs Node.js 20.18 or newer and npm on PATH; add actions/setup-node before it"
  exit 2
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 18) ? 0 : 1)'; then
  echo "::error title=leakguard::leakguard needs Node.js 20.18 or newer; found $(node --version). Add actions/setup-node before it"
  exit 2
fi

stamp="node_modules/.leakguard-action-$(node -p 'process.versions.modules + "-" + process.platform + "-" + process.arch')"
if [ -f "$stamp" ] && [ -f dist/src/action/main.js ]; then
  echo "leakguard: already installed"
  exit 0
fi

flags=(--ignore-scripts --no-audit --no-fund --loglevel=error)
if [ -f dist/src/action/main.js ]; then
  npm ci --omit=dev "${flags[@]}"
else
  npm ci "${flags[@]}"
fi
# The two native bindings: a prebuilt binary when it loads here, otherwise compiled (node-gyp-build decides).
npm rebuild tree-sitter tree-sitter-python
if [ ! -f dist/src/action/main.js ]; then
  npm run --silent build
fi
touch "$stamp"
echo "leakguard: installed ($(node --version), $(uname -m))"
