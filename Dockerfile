FROM node:20-bookworm-slim
WORKDIR /app
# The sources first: npm ci runs the postinstall step (npm run vectors), which derives the word vectors with them.
COPY . .
RUN npm ci --omit=dev
ENTRYPOINT ["node", "bin/newsdesk.js"]
CMD ["run"]
