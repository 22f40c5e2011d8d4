import { render } from "preact";
import { App } from "./app.tsx";
import { restore } from "./session/session.ts";
import "./styles.css";

const root = document.getElementById("app")!;
void restore().finally(() => render(<App />, root));
