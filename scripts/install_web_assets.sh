#!/usr/bin/env sh
# Install the offline JavaScript libraries of the sitrep web page into src/sitrep/web/node_modules
# from the pinned package-lock.json (no CDN: the server serves them under /static/vendor/):
#   cytoscape + cytoscape-fcose (with cose-base and layout-base): the network, laid out without overlaps;
#   leaflet + leaflet.markercluster: the map, dense markers grouped;
#   topojson-client + world-atlas: an offline world outline.
# The page works without them (its own plain drawings), but looks better with.
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
