# Build: the full install compiles the TypeScript to dist/ and derives the word vectors (npm ci's
# prepare step), then the development packages (TypeScript, tsx, the test tools) are removed.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund && rm -rf dist/.tsbuildinfo

# Run: compiled JavaScript on Node, no compiler in the image.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
ENTRYPOINT ["node", "bin/newsdesk.js"]
CMD ["run"]
