// Only the Fluent UI components the pane uses are defined, to keep the bundle small. The theme is a style sheet made
// at build time (vite.config.ts), so no token data is shipped or applied from script before the first render.
import "@fluentui/web-components/badge/define.js";
import "@fluentui/web-components/button/define.js";
import "@fluentui/web-components/message-bar/define.js";
import "@fluentui/web-components/spinner/define.js";
import "virtual:fluent-theme.css";
