import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@recall/core';
import { ApiModule, ApiModuleOptions } from './app.module';
import { bodyErrorHandler } from './http/body-errors';
import { ParamIdPipe } from './http/param-id.pipe';
import { requestContextMiddleware } from './http/request-context.middleware';

const BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

export const WEB_DIST = path.join(repoRoot(), 'dist/web');

/** Builds the HTTP app (used by main.ts and by the tests, so both run the same stack). */
export async function createApiApp(options: ApiModuleOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  // Nest's boot chatter (one line per module and route) says nothing an operator needs.
  const log = logger.log.bind(logger);
  logger.log = (message: unknown, ...params: unknown[]) =>
    BOOT_CONTEXTS.has(params[params.length - 1] as string) ? undefined : log(message, ...params);
  app.useLogger(logger);
  app.use(requestContextMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
    }),
  );
  // API answers carry patient data: never stored by a browser or a proxy.
  app.use('/api', (_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: `${options.config.env.BODY_MAX_KB}kb` }));
  app.use(bodyErrorHandler(options.config.env.BODY_MAX_KB));
  app.use(cookieParser());
  app.set('trust proxy', 'loopback');
  const origins = options.config.corsOrigins;
  if (origins.length) app.enableCors({ origin: origins, credentials: true });
  app.useGlobalPipes(
    new ParamIdPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );

  const docs = new DocumentBuilder()
    .setTitle('Recall API')
    .setDescription(
      'Outbound patient recall campaigns: imports, campaigns, call queues, dispositions, reports.',
    )
    .setVersion('0.1.0')
    .addCookieAuth('recall_session', { type: 'apiKey', in: 'cookie' }, 'session')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs), {
    jsonDocumentUrl: 'api/docs-json',
  });

  if (existsSync(path.join(WEB_DIST, 'index.html'))) {
    app.useStaticAssets(WEB_DIST, { index: false, maxAge: '1h' });
    // The browser app owns every other GET path (client-side routing).
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path === '/health') return next();
      res.sendFile(path.join(WEB_DIST, 'index.html'));
    });
  }
  return app;
}
