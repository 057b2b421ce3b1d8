export * from '../platforms/apolo/cliLogins'; // moved: integrator removes this shim
