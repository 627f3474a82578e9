# Préau's container image. Three stages: build the web app (Vite), install the production
# dependencies, then a slim runtime image that runs as a non-root user.
#
# How it runs, honestly: Préau is TypeScript executed by tsx (esbuild transpiles each file once at
# boot, a second or two; no separate compile step), exactly like `npm start` without its web build.
# tsx is a production dependency in package.json, so `npm ci --omit=dev` installs it.
#
#   docker build -t preau .
#   docker run -p 3000:3000 -e PREAU_SECRET=… -e DATABASE_URL=… preau
#
# Node 22 LTS: Node 20 (the oldest version package.json accepts) left maintenance in April 2026.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY web ./web
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/preau \
    PREAU_DEMO=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY --from=web /app/web/dist ./web/dist
# DATA_DIR: PGlite, the generated secret and local blobs when those are used (a volume in
# production, or nothing at all with DATABASE_URL, PREAU_SECRET and STORAGE=s3).
RUN mkdir -p /var/lib/preau && chown node:node /var/lib/preau
# The `node` user of the official image (uid 1000); Kubernetes' runAsUser says the same.
USER 1000:1000
EXPOSE 3000
# tsx keeps its transpile cache and S3 uploads are spooled in /tmp: give it a writable volume when
# the root file system is read-only (deploy/k8s/deployment.yaml does).
CMD ["node", "--import", "tsx", "src/cli.ts", "start"]
