export * from './cliFiles'; export * from '../platforms/mosaic/cliLogins'; export * from '../platforms/flyte/cliLogins'; // moved: integrator removes this shim
