import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  mixin,
  NestInterceptor,
  Optional,
  Type,
} from '@nestjs/common';
import { MULTER_MODULE_OPTIONS } from '@nestjs/platform-express/multer/files.constants';
import type { MulterModuleOptions } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import path from 'node:path';
import type { Observable } from 'rxjs';

export interface UploadField {
  /** The multipart field name. */
  name: string;
  /** File name extensions accepted (lower case, without the dot). */
  types: readonly string[];
}

export const CSV_TYPES = ['csv', 'txt', 'tsv', 'tab', 'psv'] as const;

class UploadRefused extends HttpException {
  constructor(status: number, field: string, message: string) {
    super(
      {
        statusCode: status,
        error:
          status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : 'Bad Request',
        message,
        field,
      },
      status,
    );
  }
}

/**
 * Receives the multipart files of a route (one per field) with the app's multer options (disk
 * storage, `UPLOAD_MAX_MB` per file), refusing a file of another type (415) or past the size
 * limit (413) with a message that names the form field, the file and the limit.
 */
export function UploadInterceptor(
  fields: UploadField[],
  options: { single?: boolean } = {},
): Type<NestInterceptor> {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const names = fields.map((f) => `"${f.name}"`).join(', ');

  @Injectable()
  class Interceptor implements NestInterceptor {
    private readonly middleware: ReturnType<multer.Multer['fields']>;
    private readonly maxMb: number | undefined;

    constructor(@Optional() @Inject(MULTER_MODULE_OPTIONS) multerOptions: MulterModuleOptions = {}) {
      const fileSize = multerOptions.limits?.fileSize;
      this.maxMb = fileSize === undefined ? undefined : Math.round(fileSize / (1024 * 1024));
      this.middleware = multer({
        ...(multerOptions as multer.Options),
        limits: { parts: 100, fields: 50, fieldSize: 64 * 1024, ...multerOptions.limits },
        fileFilter: (_req, file, done) => {
          const field = byName.get(file.fieldname);
          if (!field)
            return done(
              new UploadRefused(
                400,
                file.fieldname,
                `${file.fieldname}: not a file field here; send ${names}`,
              ),
            );
          const type = path.extname(file.originalname).slice(1).toLowerCase();
          if (!field.types.includes(type))
            return done(
              new UploadRefused(
                415,
                field.name,
                `${field.name}: ${file.originalname || 'the file'} is not an accepted type (${field.types.map((t) => `.${t}`).join(', ')})`,
              ),
            );
          done(null, true);
        },
      }).fields(fields.map((f) => ({ name: f.name, maxCount: 1 })));
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      const req = http.getRequest<Request>();
      await new Promise<void>((resolve, reject) =>
        this.middleware(req, http.getResponse<Response>(), (err: unknown) =>
          err ? reject(this.refusal(err)) : resolve(),
        ),
      );
      if (options.single) {
        // as multer's single(): the one file on req.file
        const files = req.files as Record<string, Express.Multer.File[]> | undefined;
        req.file = files?.[fields[0].name]?.[0];
        req.files = undefined;
      }
      return next.handle();
    }

    private refusal(err: unknown): unknown {
      if (err instanceof HttpException) return err;
      if (err instanceof MulterError) {
        const field = err.field ?? 'body';
        if (err.code === 'LIMIT_FILE_SIZE')
          return new UploadRefused(
            413,
            field,
            `${field}: the file is larger than the ${this.maxMb} MB limit (UPLOAD_MAX_MB)`,
          );
        if (err.code === 'LIMIT_UNEXPECTED_FILE' && !byName.has(field))
          return new UploadRefused(400, field, `${field}: not a file field here; send ${names}`);
        if (err.code === 'LIMIT_UNEXPECTED_FILE')
          return new UploadRefused(400, field, `${field}: one file at most, in the fields ${names}`);
        return new UploadRefused(400, field, `${field}: ${err.message}`);
      }
      // busboy: a malformed multipart body
      return new UploadRefused(
        400,
        'body',
        `body: not a valid multipart form (${(err as Error)?.message ?? 'unreadable'})`,
      );
    }
  }
  return mixin(Interceptor);
}
