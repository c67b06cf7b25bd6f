#!/usr/bin/env bash
# Fails when dist/ (or another generated, committed file) is not exactly what synth produces.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent synth
changes=$(git status --porcelain -- dist docs/security.md docs/reachability.md dist.inventory.txt 2>/dev/null || true)
if [ -n "$changes" ]; then
  echo "Generated files differ from what is committed (run 'npm run synth', review, commit):" >&2
  echo "$changes" >&2
  git --no-pager diff --stat -- dist >&2 || true
  # Objects added (+) and removed (-): a removed object is pruned by ArgoCD, so it must be a reviewed line.
  git --no-pager diff -U0 -- dist.inventory.txt >&2 || true
  exit 1
fi
echo "dist/ is fresh"
node build/scripts/check-reviews.js
