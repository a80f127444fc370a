// Makes the local HTTPS certificate Outlook needs for the task pane, offline, where office-addin-dev-certs keeps it
// (~/.office-addin-dev-certs). It does not touch the machine's trust store (that needs sudo): to sideload into
// Outlook, trust the CA once on the machine running the browser with `npx office-addin-dev-certs install`.
import { existsSync } from "node:fs";
import { caCertificatePath, localhostCertificatePath, localhostKeyPath } from "office-addin-dev-certs/lib/defaults.js";
import { generateCertificates } from "office-addin-dev-certs/lib/generate.js";

if (existsSync(localhostCertificatePath) && existsSync(localhostKeyPath)) {
  console.log(`Using the local HTTPS certificate in ${localhostCertificatePath}`);
} else {
  await generateCertificates();
  console.log(`Made a local HTTPS certificate: ${localhostCertificatePath} (CA: ${caCertificatePath}; not yet trusted)`);
}
