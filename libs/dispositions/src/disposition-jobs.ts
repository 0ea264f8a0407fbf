import { Injectable } from '@nestjs/common';
import { JobHandlerRegistry } from '@recall/queue';
import { DispositionsService } from './dispositions.service';

@Injectable()
export class DispositionJobs {
  constructor(registry: JobHandlerRegistry, dispositions: DispositionsService) {
    registry.register('dispositions.mark-bad-number', ({ practiceId, attemptId }) =>
      dispositions.markNumberOfAttempt(practiceId, attemptId),
    );
  }
}
