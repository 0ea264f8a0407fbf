export * from './default-scripts';
export * from './render-script';
export * from './voicemail-check';
