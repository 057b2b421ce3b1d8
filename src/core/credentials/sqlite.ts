export * from '../platforms/apolo/sqlite'; // moved: integrator removes this shim
