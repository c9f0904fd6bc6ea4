import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { isAdminRequest } from './common/auth.guard.js';
import { JsonLogger } from './common/json-logger.js';
import { TokenService } from './common/token.service.js';
import { requestGate } from './common/request-gate.js';
import { removeDeadSpools } from './common/signed-body.js';
import { INGEST_ROUTE, ingestAdmission } from './ingest/ingest-admission.js';
import { WEBHOOK_ROUTES } from './webhooks/webhook-routes.js';
import { webhookSecrets } from './webhooks/webhook-secrets.js';
import { PrometheusService } from './observability/prometheus.service.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';

const LEVELS: Record<string, LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/**
 * Nest's contexts that print a line per controller and route at start, at its `log` level: forty
 * lines a person has to scroll past at each start. They are kept for LOG_LEVEL=debug.
 */
const ROUTE_MAPPING_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

/** The built web app: web/dist beside the api workspace. */
export function webDistDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // From api/src (tests) or api/dist/api/src (built).
  const candidates = [resolve(here, '../../web/dist'), resolve(here, '../../../../web/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

export async function createApp(
  options: AppModuleOptions & {
    quiet?: boolean;
    /** Where log lines go (tests read them); stdout and stderr otherwise. */
    logSink?: (line: string, level: LogLevel) => void;
  },
): Promise<NestExpressApplication> {
  const logger = new JsonLogger(
    options.quiet ? ['error', 'fatal'] : LEVELS[options.config.logLevel],
    (text) => options.config.secrets.scrub(text),
    options.logSink,
    ROUTE_MAPPING_CONTEXTS,
  );
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bodyParser: false,
    logger,
  });
  // The only body parsers: writes are authenticated before their bodies are read.
  const tokens = app.get(TokenService);
  app.use(
    requestGate({
      isAdmin: (request) => isAdminRequest(request, tokens),
      admitIngest: ingestAdmission(),
      ingestPath: `/${INGEST_ROUTE}`,
      webhooks: {
        routes: WEBHOOK_ROUTES,
        secrets: webhookSecrets(app.get(DataSource), options.config),
      },
    }),
  );
  // Bodies a killed process left while checking their signatures.
  void removeDeadSpools().then((removed) => {
    if (removed > 0)
      logger.log(
        `removed ${removed} webhook bodies a stopped process left in ${tmpdir()}`,
        'webhooks',
      );
  });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
        },
      },
    }),
  );
  const prometheus = app.get(PrometheusService);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const stop = prometheus.requestDuration.startTimer();
    response.on('finish', () => {
      const route =
        (request.route?.path as string | undefined) ??
        (response.statusCode === 404 ? 'unmatched' : 'static');
      stop({ method: request.method, route, status: String(response.statusCode) });
      if (response.statusCode >= 500) prometheus.errors.inc({ where: 'http' });
    });
    next();
  });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  const web = webDistDir();
  if (existsSync(join(web, 'index.html'))) {
    app.useStaticAssets(web, { index: false, maxAge: '1h', immutable: false });
    // The dashboard is a single page: any other GET outside /api answers its index.
    app.use((request: Request, response: Response, next: NextFunction) => {
      if (
        request.method !== 'GET' ||
        request.path.startsWith('/api') ||
        request.path === '/metrics'
      )
        return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(join(web, 'index.html'));
    });
  }
  app.enableShutdownHooks();
  return app;
}
