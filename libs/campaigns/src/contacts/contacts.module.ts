import { Module } from '@nestjs/common';
import { ContactsImportService } from './contacts-import.service';

/** Contact lists of partner and community campaigns. AuditService comes from the global AuditModule. */
@Module({
  providers: [ContactsImportService],
  exports: [ContactsImportService],
})
export class ContactsModule {}
