/** nginx-looking pages: what a scanner expects to find behind a login. */
const page = (title: string, body: string) =>
  `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;

export const nginxError = (code: number, text: string, version: string) =>
  `<html>\r\n<head><title>${code} ${text}</title></head>\r\n<body>\r\n<center><h1>${code} ${text}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;

const form = (action: string, user: string, pass: string, note = "") =>
  `<form method="post" action="${action}">\n${note}<p><label>Username <input type="text" name="${user}"></label></p>\n<p><label>Password <input type="password" name="${pass}"></label></p>\n<p><input type="submit" value="Log In"></p>\n</form>`;

const wpLogin = (note = "") =>
  page("Log In &lsaquo; WordPress", `<div id="login"><h1><a href="https://wordpress.org/">Powered by WordPress</a></h1>\n${form("/wp-login.php", "log", "pwd", note)}\n</div>`);
const adminLogin = (note = "") => page("Administration - Sign in", `<h2>Administration</h2>\n${form("/admin/login", "username", "password", note)}`);
const home = (note = "") => page("Sign in", `<h2>Sign in to continue</h2>\n${form("/login", "username", "password", note)}`);

export interface Page {
  status: number;
  type: string;
  body: string;
}

const ADMIN = new Set(["/admin", "/admin/", "/admin/login", "/administrator", "/administrator/", "/phpmyadmin", "/phpmyadmin/", "/manager/html", "/user/login"]);
const HOME = new Set(["/", "/index.html", "/index.php", "/login", "/login.php", "/signin"]);

/** The page for a path; POSTs to a login page get the same page with a refusal in it. */
export function pageFor(method: string, path: string, version: string): Page {
  const failed = method === "POST";
  const p = path.split("?")[0] ?? "/";
  if (p === "/wp-login.php") return { status: 200, type: "text/html; charset=UTF-8", body: wpLogin(failed ? '<div id="login_error"><strong>Error:</strong> The password you entered is incorrect.</div>\n' : "") };
  if (ADMIN.has(p)) return { status: failed ? 401 : 200, type: "text/html", body: adminLogin(failed ? "<p class=\"error\">Invalid username or password.</p>\n" : "") };
  if (HOME.has(p)) return { status: failed ? 401 : 200, type: "text/html", body: home(failed ? "<p class=\"error\">Invalid username or password.</p>\n" : "") };
  if (p === "/robots.txt") return { status: 200, type: "text/plain", body: "User-agent: *\nDisallow: /admin/\nDisallow: /wp-admin/\n" };
  if (p.startsWith("/wp-admin")) return { status: 302, type: "text/html", body: nginxError(302, "Found", version) };
  return { status: 404, type: "text/html", body: nginxError(404, "Not Found", version) };
}
