#!/usr/bin/env bash
# Gives the API's app registration its credential for the on-behalf-of flow, without a secret: a federated identity
# credential that trusts tokens the Function App's user-assigned identity gets for api://AzureADTokenExchange (the
# identity infra/modules/functionapp.bicep makes; Entra accepts no system-assigned identity here). scripts/deploy.sh
# runs it with main.bicep's outputs; re-running it updates the credential in place.
# A script rather than Bicep for the same reason as register-apps.sh: the Microsoft Graph Bicep extension is pulled
# from a registry at build time, which the offline build here cannot reach.
# Usage: infra/federate-api-identity.sh <api-client-id> <issuer (apiCredentialIssuer)> <subject (apiCredentialSubject)>
set -euo pipefail
api_client_id="${1:?the client id of the API}"; issuer="${2:?the issuer: https://login.microsoftonline.com/<tenant>/v2.0}"
subject="${3:?the subject: the object (principal) id of the identity}"
name=workflow-api-managed-identity

credential=$(jq -n --arg name "$name" --arg issuer "$issuer" --arg subject "$subject" '{
  name: $name, issuer: $issuer, subject: $subject, audiences: ["api://AzureADTokenExchange"],
  description: "The Workflow Function App signs in as the API with its managed identity (on-behalf-of Graph calls)."
}')
if az ad app federated-credential show --id "$api_client_id" --federated-credential-id "$name" --output none 2>/dev/null; then
  az ad app federated-credential update --id "$api_client_id" --federated-credential-id "$name" --parameters "$credential" --output none
else
  az ad app federated-credential create --id "$api_client_id" --parameters "$credential" --output none
fi
echo "The API app registration trusts $subject (issuer $issuer) as its credential."
