# The adstudio engine: `adstudio serve` (the embedded engine behind an HTTP API) in a container.
#
# No RUN steps on purpose: the image must also build on top of a local base made with `docker import`
# (scripts/docker/make-local-base.sh: only node and its libraries, no shell) where no registry is
# reachable. Everything is prepared on the host: `npm run build` makes dist/main, `npm ci` made
# node_modules (Linux, same architecture as the Docker host).
#
#   docker build -t adstudio-engine:dev .                                   # public base (node:20)
#   docker build --build-arg BASE_IMAGE=adstudio-local/node:20.20.2 -t adstudio-engine:dev .
#
# `adstudio engine start --profile adstudio-engine` builds it itself with a smaller context (only the
# production dependencies) and picks the local base when it exists.
#
# Order matters for speed: the classic builder runs every instruction as a step, and on storage
# drivers without copy-on-write (vfs) each step copies the whole file system. The fixed metadata comes
# first (cached after the first build), then the per-build label, then one COPY.
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
ENV NODE_ENV=production ADSTUDIO_IN_CONTAINER=1 ADSTUDIO_PORT=8765 HF_HOME=/models
WORKDIR /app
# Exec form: there is no shell in the local base. The manager also polls /health itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.ADSTUDIO_PORT||8765)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/main/cli.mjs"]
# Inside a container's own network namespace the server listens on all of its interfaces; the manager
# publishes the port on the host's 127.0.0.1 only (or, on the host network, passes --host 127.0.0.1).
CMD ["serve", "--host", "0.0.0.0", "--port", "8765"]
# What went in (bundles, lock file, base): the manager rebuilds when it changes.
ARG ADSTUDIO_SOURCE_HASH=manual
LABEL org.adstudio.managed=true org.adstudio.profile=adstudio-engine org.adstudio.source-hash=${ADSTUDIO_SOURCE_HASH}
# package.json, node_modules (production), dist/main.
COPY . /app/
