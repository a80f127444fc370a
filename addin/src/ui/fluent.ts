// Only the Fluent UI components the pane uses are defined, to keep the bundle small.
import "@fluentui/web-components/badge/define.js";
import "@fluentui/web-components/button/define.js";
import "@fluentui/web-components/message-bar/define.js";
import "@fluentui/web-components/spinner/define.js";
import { setTheme } from "@fluentui/web-components/theme/set-theme.js";
import { webLightTheme } from "@fluentui/tokens";

setTheme(webLightTheme);
