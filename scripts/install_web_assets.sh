#!/usr/bin/env sh
# Install the offline JavaScript libraries of the sitrep web page (cytoscape, leaflet,
# topojson-client, world-atlas) into src/sitrep/web/node_modules from the pinned
# package-lock.json.  The page works without them (plain fallbacks), but looks better with.
set -eu
cd "$(dirname "$0")/../src/sitrep/web"
if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: install Node.js (>= 18) to get the interactive graph and map; the page falls back to simple drawings" >&2
    exit 1
fi
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
else
    npm install --no-audit --no-fund
fi
echo "web assets installed in $(pwd)/node_modules"
