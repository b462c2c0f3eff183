#!/usr/bin/env bash
# Builds a tiny local base image for the adstudio engine when no registry is reachable: a root file
# system holding this machine's `node` and the glibc / libstdc++ libraries it and our native addons
# (sharp, onnxruntime-node) load, imported with `docker import`. No shell, no package manager: the
# Dockerfile on top of it only COPYs. Takes a few seconds; safe to run again (reuses the image).
#
# Usage: scripts/docker/make-local-base.sh [TAG]      (default adstudio-local/node:<node version>)
#        FORCE=1 scripts/docker/make-local-base.sh     rebuild even if the image exists
# Prints the tag on stdout (last line). Then:
#   docker build --build-arg BASE_IMAGE=<TAG> -t adstudio-engine:dev .
set -euo pipefail

node_bin=$(readlink -f "$(command -v node)") || { echo "make-local-base: node is not on PATH" >&2; exit 1; }
node_version=$("$node_bin" -p process.versions.node)
tag=${1:-adstudio-local/node:$node_version}

if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "make-local-base: the Docker daemon is not reachable (${DOCKER_HOST:-unix:///var/run/docker.sock}); start dockerd first" >&2
  exit 1
fi
if [ "${FORCE:-0}" != 1 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "make-local-base: $tag already exists (FORCE=1 to rebuild)" >&2
  echo "$tag"
  exit 0
fi

old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc" "$root/app" "$root/root"
chmod 1777 "$root/tmp"
# Debug symbols are a tenth of the binary and every container creation copies it (vfs): strip them.
if command -v strip >/dev/null 2>&1; then strip -o "$root/usr/local/bin/node" "$node_bin"; else cp "$node_bin" "$root/usr/local/bin/node"; fi

# What node links against, plus glibc pieces that native addons link or dlopen (resolver, NSS),
# plus the C++ runtime the addons need even if this node is linked statically against it.
libdir=$(dirname "$(ldd "$node_bin" | awk '/libc\.so/ {print $3}')")
libs=$(
  ldd "$node_bin" | awk '/=> \// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}'
  for name in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 \
              libnss_files.so.2 libnss_dns.so.2 libstdc++.so.6 libgcc_s.so.1 libz.so.1; do
    [ -e "$libdir/$name" ] && echo "$libdir/$name"
  done
)
for lib in $(echo "$libs" | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

# Enough /etc for name lookups and for processes that ask who they are.
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000:node:/home/node:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"

# The image gets labels so tests and `docker image prune --filter label=...` can find it.
tar -C "$root" -c . | docker import \
  --change "ENV PATH=/usr/local/bin:/usr/bin:/bin" \
  --change "ENV LD_LIBRARY_PATH=$libdir" \
  --change "LABEL org.adstudio.base=local" \
  --change "LABEL org.adstudio.node-version=$node_version" \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null
# A rebuild leaves the previous image untagged; drop it unless something still uses it.
new_id=$(docker image inspect -f '{{.Id}}' "$tag")
[ -n "$old_id" ] && [ "$old_id" != "$new_id" ] && docker rmi "$old_id" >/dev/null 2>&1 || true
docker run --rm --network none "$tag" node -e 'process.exit(0)' \
  || { echo "make-local-base: the image $tag was built but node does not run in it" >&2; exit 1; }
echo "make-local-base: built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))" >&2
echo "$tag"
