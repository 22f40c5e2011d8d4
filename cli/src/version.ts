import pkg from "../../package.json" with { type: "json" };

/** The release version (package.json), compiled into the executable. */
export const VERSION: string = pkg.version;
