import { Injectable } from '@nestjs/common';
import { JobHandlerRegistry } from '@recall/queue';
import { ImportRunner } from './pipeline/import-runner';

@Injectable()
export class ImportJobs {
  constructor(registry: JobHandlerRegistry, runner: ImportRunner) {
    registry.register('imports.run', async ({ importId }) => {
      const result = await runner.run(importId);
      return { status: result.status };
    });
  }
}
