#!/usr/bin/env bash
# Provisions Workflow in Azure and deploys it: infra/main.bicep into a resource group, then the Function App package
# (scripts/package.sh) and the add-in's static files, and gives the API's app registration its federated credential
# (infra/federate-api-identity.sh). Needs the Azure CLI, signed in (az login) as someone who may update that app
# registration, jq, and the API's client id from infra/register-apps.sh. Re-running it updates in place.
# Usage: scripts/deploy.sh <resource-group> <location> <api-client-id> <add-in-client-id> <allowed-tenant-ids, comma-separated> <service-mailbox>
# Set WORKFLOW_ADDIN_APP_ID to a GUID of your own to keep the add-in's manifest id stable across deployments.
set -euo pipefail
cd "$(dirname "$0")/.."
group="${1:?resource group}"; location="${2:?location}"; api_client_id="${3:?API client id}"; addin_client_id="${4:?add-in client id}"
tenants="${5:?allowed tenant ids, comma-separated}"; mailbox="${6:?service mailbox}"

az group create --name "$group" --location "$location" --output none
tenant_array="[$(printf '"%s",' ${tenants//,/ } | sed 's/,$//')]"
outputs=$(az deployment group create --resource-group "$group" --template-file infra/main.bicep \
  --parameters apiClientId="$api_client_id" allowedTenants="$tenant_array" serviceMailbox="$mailbox" \
  --query properties.outputs --output json)
app=$(jq -r .functionAppName.value <<<"$outputs")
api_url=$(jq -r .apiUrl.value <<<"$outputs")
origin=$(jq -r .addinOrigin.value <<<"$outputs")
site=$(jq -r .addinSiteName.value <<<"$outputs")

echo "==> The API's credential: a federated identity credential on its managed identity (no secret)"
infra/federate-api-identity.sh "$api_client_id" "$(jq -r .apiCredentialIssuer.value <<<"$outputs")" "$(jq -r .apiCredentialSubject.value <<<"$outputs")"

echo "==> The API"
scripts/package.sh
az functionapp deployment source config-zip --resource-group "$group" --name "$app" --src artifacts/workflow-functions.zip

echo "==> The add-in, built for this API and origin, and its production manifest"
(cd addin && npm ci --no-audit --no-fund --loglevel=error \
  && VITE_CLIENT_ID="$addin_client_id" VITE_API_SCOPE="api://$api_client_id/access_as_user" VITE_API_BASE_URL="$api_url" npm run build \
  && WORKFLOW_ADDIN_BASE_URL="$origin" WORKFLOW_API_CLIENT_ID="$api_client_id" node scripts/write-manifest.mjs prod)
token=$(az staticwebapp secrets list --name "$site" --resource-group "$group" --query properties.apiKey -o tsv)
npx --yes @azure/static-web-apps-cli@2 deploy addin/dist --deployment-token "$token" --env production

echo "API:      $api_url"
echo "Add-in:   $origin"
echo "Manifest: addin/manifest.prod.json — sideload it in Outlook on the web (README, Deploying)"
