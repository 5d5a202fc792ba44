# The shipcheck image: one image, two roles (API: "serve", jobs: "worker").
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
COPY prompts ./prompts
COPY fixtures ./fixtures
COPY tsconfig.json ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8787
ENTRYPOINT ["node", "bin/shipcheck.js"]
CMD ["serve", "--host", "0.0.0.0"]
