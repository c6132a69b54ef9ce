#!/bin/bash
# Commit build/student (made by `make student`) as the top level of the local branch `student`, without
# touching the working tree, the index or the current branch. Each run adds one commit (none when nothing
# changed). Then publish it: git push origin student. Used by `make student-branch`; docs/hub/README.md.
set -euo pipefail
src=${1:-build/student}
branch=${2:-student}
[ -f "$src/00_start_here.ipynb" ] || { echo "error: $src has no notebooks: run make student first" >&2; exit 2; }
index=$(mktemp)
trap 'rm -f "$index"' EXIT
rm -f "$index"
GIT_INDEX_FILE=$index git --work-tree="$src" add -A .
tree=$(GIT_INDEX_FILE=$index git write-tree)
parent=$(git rev-parse -q --verify "refs/heads/$branch" || true)
if [ -n "$parent" ] && [ "$(git rev-parse "$parent^{tree}")" = "$tree" ]; then
  echo "$branch is up to date ($(git rev-parse --short "$parent"))"
  exit 0
fi
commit=$(git commit-tree "$tree" ${parent:+-p "$parent"} -m "Student copy of $(git rev-parse --short HEAD) (make student)")
git update-ref "refs/heads/$branch" "$commit"
echo "$branch -> $(git rev-parse --short "$commit"); publish with: git push origin $branch"
