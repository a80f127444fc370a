@description('Name of the Function App.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('The storage account the app runs on and stores workflows in.')
param storageAccountName string

@description('Blob endpoint of that account (the deployment container lives there).')
param blobEndpoint string

@description('Table endpoint of that account (the API\'s workflows).')
param tableEndpoint string

@description('Application Insights connection string.')
param insightsConnectionString string

@description('The Application Insights component the app writes telemetry to.')
param insightsName string

@description('App settings of the API: identity, tenants, Graph and the weekly review.')
param apiSettings object

@description('Origins allowed to call the API from a browser (the add-in\'s).')
param allowedOrigins array

// Flex Consumption: scale to zero, Linux, any runtime through the custom handler (docs/decisions/0001).
resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

// The API's credential for the on-behalf-of flow, without a secret: its app registration trusts tokens this identity
// gets for api://AzureADTokenExchange (a federated identity credential, made by infra/federate-api-identity.sh from
// the outputs below). Entra accepts only user-assigned identities as such a credential, so this one is kept apart
// from the app's system-assigned identity, which stays the one for storage, telemetry and app-only Graph calls.
resource apiCredential 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${name}-credential'
  location: location
  tags: tags
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { '${apiCredential.id}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}deployments'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'custom', version: '1.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: { allowedOrigins: allowedOrigins, supportCredentials: false }
      appSettings: concat([
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        { name: 'Tables__ServiceUri', value: tableEndpoint }
        // Microsoft.Identity.Web signs the API in with a token of that identity (the audience defaults to
        // api://AzureADTokenExchange, the federated credential's); no secret or certificate is configured anywhere.
        { name: 'AzureAd__ClientCredentials__0__SourceType', value: 'SignedAssertionFromManagedIdentity' }
        { name: 'AzureAd__ClientCredentials__0__ManagedIdentityClientId', value: apiCredential.properties.clientId }
      ], map(items(apiSettings), setting => { name: setting.key, value: string(setting.value) }))
    }
  }
}

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

// The least the app needs: its own storage (host leases, the deployment package, the API's tables) and telemetry.
var storageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner: host leases and the deployment container
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor: the Functions host's internal queues
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor: workflows, indexes, digests
]

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(account.id, app.id, role)
  scope: account
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

// Monitoring Metrics Publisher: Entra-authenticated telemetry (local auth is off).
resource telemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, app.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: insights
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

output name string = app.name
output hostName string = app.properties.defaultHostName
@description('Object (principal) id of the identity the API\'s federated credential trusts: the credential\'s subject.')
output credentialPrincipalId string = apiCredential.properties.principalId
