#!/usr/bin/env bash
# Swagger UI and ReDoc, served by the app itself from app/static/ (no CDN: /docs works on a
# closed network). The files are copied from the npm packages pinned in package-lock.json;
# `--check` fails when the committed copies differ from those packages (make docs-assets-check).
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A FILES=(
  [node_modules/swagger-ui-dist/swagger-ui-bundle.js]=app/static/swagger-ui/swagger-ui-bundle.js
  [node_modules/swagger-ui-dist/swagger-ui.css]=app/static/swagger-ui/swagger-ui.css
  [node_modules/swagger-ui-dist/oauth2-redirect.html]=app/static/swagger-ui/oauth2-redirect.html
  [node_modules/swagger-ui-dist/oauth2-redirect.js]=app/static/swagger-ui/oauth2-redirect.js
  [node_modules/swagger-ui-dist/favicon-32x32.png]=app/static/swagger-ui/favicon-32x32.png
  [node_modules/swagger-ui-dist/LICENSE]=app/static/swagger-ui/LICENSE
  [node_modules/redoc/bundles/redoc.standalone.js]=app/static/redoc/redoc.standalone.js
  [node_modules/redoc/LICENSE]=app/static/redoc/LICENSE
)
status=0
for source in "${!FILES[@]}"; do
  target="${FILES[$source]}"
  if [ "${1:-}" = "--check" ]; then
    cmp -s "$source" "$target" || { echo "differs from its npm package: $target"; status=1; }
  else
    mkdir -p "$(dirname "$target")"
    cp "$source" "$target"
  fi
done
versions=""
for package in swagger-ui-dist redoc; do
  versions+="$package $(node -p "require('./node_modules/$package/package.json').version")"$'\n'
done
if [ "${1:-}" = "--check" ]; then
  [ "$versions" = "$(cat app/static/VERSIONS)"$'\n' ] || { echo "app/static/VERSIONS is stale"; status=1; }
else
  printf '%s' "$versions" > app/static/VERSIONS
fi
exit $status
