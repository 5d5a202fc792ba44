# The shipcheck image: one image, two roles (API: "serve", jobs: "worker").
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
# With dev dependencies (TypeScript compiles dist/ below), pruned after the build. --ignore-scripts: the
# sources are not here yet for the prepare step.
RUN npm ci --include=dev --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY scripts/build.ts ./scripts/build.ts
COPY migrations ./migrations
COPY prompts ./prompts
COPY fixtures ./fixtures
COPY tsconfig.json tsconfig.build.json ./
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8787
ENTRYPOINT ["node", "bin/shipcheck.js"]
CMD ["serve", "--host", "0.0.0.0"]
