#!/usr/bin/env bash
# Registers the two Entra applications with the Azure CLI (signed in to the home tenant, as an app administrator):
#   - the API: identifier URI api://<client-id>, delegated scope access_as_user, Graph delegated permissions it uses
#     on behalf of users (Mail.ReadWrite, Calendars.ReadWrite, MailboxSettings.ReadWrite) and User.ReadBasic.All
#     (application) for binding parties by email;
#   - the add-in: a single-page app with the Nested App Authentication redirect brk-multihub://<add-in origin>; for
#     hosts without it, MSAL's redirect page <add-in origin>/<authRedirect>; and the web app's own page
#     <add-in origin>/<page>, where a full-page (redirect) sign-in in a plain browser tab returns (all from
#     addin/config/pane.json, the file the pane's build and its MSAL configuration read too), allowed to ask for the
#     API's scope.
# The API's credential (a federated identity credential on the Function App's managed identity) needs the deployment
# first: scripts/deploy.sh makes it with infra/federate-api-identity.sh.
# A script rather than Bicep: the Microsoft Graph Bicep extension is pulled from a registry at build time, which the
# offline build here cannot reach, and app registrations live in the tenant, not in a resource group.
# Usage: infra/register-apps.sh <add-in origin, e.g. https://workflow-addin-xyz.azurestaticapps.net>
set -euo pipefail
origin="${1:?the add-in origin (https://...) is required}"
origin="${origin%/}"
graph=00000003-0000-0000-c000-000000000000
auth_redirect=$(jq -r .authRedirect "$(dirname "$0")/../addin/config/pane.json")
page=$(jq -r .page "$(dirname "$0")/../addin/config/pane.json")

api_id=$(az ad app create --display-name "Workflow API" --sign-in-audience AzureADMultipleOrgs --query appId -o tsv)
scope_id=$(cat /proc/sys/kernel/random/uuid)
# The second identifier URI is the one Teams' single sign-on asks a token for (the manifest's webApplicationInfo
# resource, api://<add-in host>/<API client id>): where Teams offers no Nested App Authentication, the tab signs in so.
az ad app update --id "$api_id" --identifier-uris "api://$api_id" "api://${origin#https://}/$api_id" --set api="{
  \"requestedAccessTokenVersion\": 2,
  \"oauth2PermissionScopes\": [{ \"id\": \"$scope_id\", \"value\": \"access_as_user\", \"type\": \"User\", \"isEnabled\": true,
    \"adminConsentDisplayName\": \"Use Workflow as you\", \"adminConsentDescription\": \"Lets the Workflow add-in call the Workflow API as the signed-in user.\",
    \"userConsentDisplayName\": \"Use Workflow as you\", \"userConsentDescription\": \"Lets the Workflow add-in call the Workflow API as you.\" }]
}"
# Delegated: Mail.ReadWrite, Calendars.ReadWrite, MailboxSettings.ReadWrite. Application: User.ReadBasic.All.
az ad app permission add --id "$api_id" --api "$graph" --api-permissions \
  e383f46e-2787-4529-855e-0e479a3ffac0=Scope 1ec239c2-d7c9-4623-a91a-a9775856bb36=Scope 818c620a-27a9-40bd-a6a5-d96f7d610b4b=Scope \
  97235f07-e226-4f63-ace3-39588e11d3a1=Role
# Delegated OnlineMeetings.Read: a Teams meeting whose join URL is one of Teams' short links (teams.microsoft.com/meet/…)
# carries no chat thread; its online meeting names it, so Outlook and the Teams tab find the same record (ADR 0012).
online_meetings=$(az ad sp show --id "$graph" --query "oauth2PermissionScopes[?value=='OnlineMeetings.Read'].id" -o tsv)
az ad app permission add --id "$api_id" --api "$graph" --api-permissions "$online_meetings=Scope"
az ad sp create --id "$api_id" >/dev/null

addin_id=$(az ad app create --display-name "Workflow add-in" --sign-in-audience AzureADMultipleOrgs \
  --enable-access-token-issuance false --query appId -o tsv)
az ad app update --id "$addin_id" --set spa="{\"redirectUris\": [\"brk-multihub://${origin#https://}\", \"$origin/$auth_redirect\", \"$origin/$page\"]}"
az ad app permission add --id "$addin_id" --api "$api_id" --api-permissions "$scope_id=Scope"
az ad sp create --id "$addin_id" >/dev/null
# The add-in is a known client of the API, so consenting to the add-in covers the API's scope; so are Teams' desktop and
# mobile client and Teams on the web, which ask for the token in Teams' single sign-on.
teams_clients="1fec8e78-bce4-4aaf-ab1b-5451cc387264 5e3ce6c0-2b1f-4285-8d4b-75ee78787346"
pre_authorized=$(for client in "$addin_id" $teams_clients; do printf '{"appId": "%s", "delegatedPermissionIds": ["%s"]},' "$client" "$scope_id"; done)
az ad app update --id "$api_id" --set api.preAuthorizedApplications="[${pre_authorized%,}]"

echo "API client id:    $api_id   (main.bicep parameter apiClientId)"
echo "Add-in client id: $addin_id (the add-in's build configuration)"
echo "Next: an admin of each allowed tenant consents: https://login.microsoftonline.com/<tenant>/adminconsent?client_id=$api_id"
