export * from '../platforms/zenml/cliLogins'; // moved: integrator removes this shim
