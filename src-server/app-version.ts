declare const __APP_VERSION__: string | undefined;

/**
 * The app's version, fixed at build time from package.json (esbuild `define`), so browser mode and the server
 * report the same version as the packaged desktop. Unbundled (in tests) it reads `npm_package_version`.
 */
export const APP_VERSION: string =
  typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : (process.env.npm_package_version ?? '0.0.0-dev');
