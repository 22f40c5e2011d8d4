/**
 * The dashboard's public paths: its page and its built assets load without a token (they hold no
 * data; the page then asks for one). Every /v1 route still requires a bearer token.
 */
export function isDashboardPath(path: string): boolean {
  return path === "/" || path === "/index.html" || (path.startsWith("/assets/") && path.length < 200 && !path.includes(".."));
}
