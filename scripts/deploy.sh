#!/usr/bin/env bash
# Provisions Workflow in Azure and deploys it: infra/main.bicep into a resource group, then the Function App package
# (scripts/package.sh) and the add-in's static files. Needs the Azure CLI, signed in (az login), and the API's client
# id from infra/register-apps.sh. Re-running it updates in place.
# Usage: scripts/deploy.sh <resource-group> <location> <api-client-id> <allowed-tenant-ids, comma-separated> <service-mailbox>
set -euo pipefail
cd "$(dirname "$0")/.."
group="${1:?resource group}"; location="${2:?location}"; api_client_id="${3:?API client id}"
tenants="${4:?allowed tenant ids, comma-separated}"; mailbox="${5:?service mailbox}"

az group create --name "$group" --location "$location" --output none
tenant_array="[$(printf '"%s",' ${tenants//,/ } | sed 's/,$//')]"
outputs=$(az deployment group create --resource-group "$group" --template-file infra/main.bicep \
  --parameters apiClientId="$api_client_id" allowedTenants="$tenant_array" serviceMailbox="$mailbox" \
  --query properties.outputs --output json)
app=$(jq -r .functionAppName.value <<<"$outputs")
origin=$(jq -r .addinOrigin.value <<<"$outputs")

scripts/package.sh
az functionapp deployment source config-zip --resource-group "$group" --name "$app" --src artifacts/workflow-functions.zip

echo "API:    $(jq -r .apiUrl.value <<<"$outputs")"
echo "Add-in: $origin   (build the add-in for this origin and upload it to the Static Web App; see README, Deploying)"
