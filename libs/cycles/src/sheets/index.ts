export * from './cycle-sheet';
export * from './sheet-rows.sql';
