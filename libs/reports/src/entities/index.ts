export * from './rollups.entity';
