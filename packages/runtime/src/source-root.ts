import { resolve } from "node:path";

declare const __HONEYMESH_ROOT__: string | undefined;

/**
 * The checkout a service runs from, for files it ships (the BPF object, migrations). A bundled
 * service (`honeymesh up` bundles them) gets it defined at build time, because its own
 * import.meta.dir is then the bundle's folder.
 */
export const SOURCE_ROOT: string = typeof __HONEYMESH_ROOT__ === "string" ? __HONEYMESH_ROOT__ : resolve(import.meta.dir, "..", "..", "..");
