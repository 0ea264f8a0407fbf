export * from './calling-window';
