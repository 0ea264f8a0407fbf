export * from './contact-fields';
export * from './contacts-file';
export * from './contacts-import.service';
export * from './contacts.module';
