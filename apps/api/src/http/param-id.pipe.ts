import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Global pipe: a path parameter named `id` or `…Id` is a UUID, on every route. A malformed
 * one is a 400 that names the parameter, before any handler, pipe or query sees it.
 */
@Injectable()
export class ParamIdPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const name = metadata.data;
    if (metadata.type !== 'param' || typeof name !== 'string' || !/^(id|\w+Id)$/.test(name)) return value;
    if (typeof value !== 'string' || !UUID.test(value))
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${name}: must be a UUID`,
        field: name,
      });
    return value;
  }
}
