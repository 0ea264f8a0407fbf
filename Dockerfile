# One image for api, worker and the one-shot migrate job.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json /app/nest-cli.json ./
COPY --from=build /app/bin ./bin
# The shared upload volume takes this directory's owner when first created.
RUN mkdir -p /srv/imports /srv/state && chown node:node /srv/imports /srv/state
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
