# syntax=docker/dockerfile:1
#
# The leakguard GitHub App (`npm start`), as a container: multi-stage, non-root,
# health-checked on Probot's /ping. Embedded mode by default; set REDIS_URL to run
# it as one of N replicas (see compose.yaml and the README's "Deployment").
#
# Untested on the machine it was written on (no Docker engine there); the steps
# are the README's install steps.

# --- build: compile tree-sitter's native binding and the TypeScript --------------
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so that a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts \
 && npm rebuild tree-sitter tree-sitter-python
COPY tsconfig.json tsconfig.build.json app.yml ./
COPY bin ./bin
COPY src ./src
# dist/ for the App, then only the runtime dependencies (their native builds kept).
RUN npm run build \
 && npm prune --omit=dev

# --- runtime ------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    LEAKGUARD_STATE_DIR=/var/lib/leakguard
WORKDIR /app
COPY --from=build /app/package.json /app/app.yml ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded queue's journal (runs a killed container left, run again at start); mount a volume to keep it.
RUN mkdir -p /var/lib/leakguard && chown node:node /var/lib/leakguard
VOLUME /var/lib/leakguard
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs, without npm in between (signals reach Node directly).
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./dist/src/index.js"]
