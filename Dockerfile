# The README's steps in two stages: install and build (widget, console, server) with the dev
# dependencies, then run `node server/dist/main.js` on the production dependencies only.
# Tested with Node 20 (node:20-bookworm-slim; package.json asks for >= 20.19).
#   docker build -t support-chat . && docker run -p 3000:3000 -e SECRET_KEY=… -v chat-data:/data support-chat
# compose.yaml adds Postgres and Redis: `SECRET_KEY=… docker compose up --build`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@12.21.0
# Manifests and lockfile first: the install is a cached layer until one of them changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY protocol/package.json protocol/
COPY server/package.json server/
COPY widget/package.json widget/
COPY console/package.json console/
# The postinstall (Prisma client generation) needs the schema, so it runs once the sources are in.
RUN pnpm install --frozen-lockfile --ignore-scripts
COPY . .
RUN pnpm run postinstall && pnpm build \
 && pnpm --filter @support-chat/server deploy --prod /out/server \
 && cp -r prisma demo-site dist /out/

FROM node:20-bookworm-slim
# tini as PID 1 passes SIGTERM on to node and reaps zombies (the same as `docker run --init`).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# server/ (dist, data, production node_modules) beside prisma/, dist/, demo-site/: the paths the
# server computes from its own location, as in the repository.
COPY --from=build /out ./
RUN mkdir /data && chown node:node /data
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
USER node
VOLUME /data
EXPOSE 3000
# The slim image has no curl; Node 20 has fetch. /health answers 503 while the database is down.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains within 10 s; give `docker stop` a little more (`-t 15`, compose: stop_grace_period).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server/dist/main.js"]
