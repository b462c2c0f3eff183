# The adstudio engine: `adstudio serve` (the embedded engine behind an HTTP API) in a container.
#
# No RUN steps (except in the opt-in GPU variant at the end) on purpose: the image must also build on
# top of a local base made with `docker import` (scripts/docker/make-local-base.sh: only node and its
# libraries, no shell) where no registry is reachable. Everything is prepared on the host: `npm run
# build` makes dist/main, `npm ci` made node_modules (Linux, same architecture as the Docker host).
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
#
# GPU variant (ORT_CUDA=1, on a machine that can reach api.nuget.org; never built on the offline build
# machines): onnxruntime-node's own install script fetches its CUDA execution provider library, which
# the npm package does not ship (and .npmrc's ignore-scripts skipped), and ADSTUDIO_LAMA_DEVICE=auto
# makes LaMa use it. The base must then be an image with Node 20 and the CUDA 12 + cuDNN 9 runtime
# libraries; without them LaMa logs why and runs on the CPU.
#
#   docker build --build-arg ORT_CUDA=1 --build-arg BASE_IMAGE=<node 20 + CUDA 12/cuDNN 9 image> -t adstudio-engine:gpu .
#
# Off (the default) no RUN step exists in the image's stages: BuildKit skips the unused stage below,
# and `adstudio engine start` builds with --target engine (the classic builder would otherwise run the
# GPU stage too; its step then does nothing, so a hand-run DOCKER_BUILDKIT=0 build still works).
ARG BASE_IMAGE=node:20-bookworm-slim
ARG ORT_CUDA=0
FROM ${BASE_IMAGE} AS engine
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

# The GPU variant's one extra step (exec form: the local base has no shell). The script reads its
# choice from ONNXRUNTIME_NODE_INSTALL and writes the provider libraries next to the binding.
FROM engine AS engine-ort-cuda-1
ARG ORT_CUDA
RUN ["node", "-e", "if (process.env.ORT_CUDA !== '1') process.exit(0); process.env.ONNXRUNTIME_NODE_INSTALL = 'cuda12'; require('/app/node_modules/onnxruntime-node/script/install.js');"]
ENV ADSTUDIO_LAMA_DEVICE=auto

FROM engine AS engine-ort-cuda-0

FROM engine-ort-cuda-${ORT_CUDA}
