// Workflow in Azure: the API as a Flex Consumption Function App (custom handler), its storage (identity-only), its
// telemetry (Entra-authenticated), and the add-in's static hosting. App registrations: infra/register-apps.sh.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(12)
param name string = 'workflow'

@description('Azure region for the API and its storage.')
param location string = resourceGroup().location

@description('Region of the add-in\'s Static Web App (one of the regions that offer it).')
param addinLocation string = 'westeurope'

@description('Client id of the API\'s app registration (register-apps.sh prints it).')
param apiClientId string

@description('Tenants whose users may use the product.')
param allowedTenants array

@description('The single mailbox the weekly digests are sent from (scope its Mail.Send with RBAC for Applications).')
param serviceMailbox string

@description('When the weekly review runs: NCRONTAB, in UTC.')
param weeklyReviewSchedule string = '0 0 6 * * MON'

@description('How often notices that are due are mailed and reminders added: NCRONTAB, in UTC (each run is cheap when nothing is due).')
param notificationsSchedule string = '0 */1 * * * *'

@description('How often roles\' cycles that are due are opened: NCRONTAB, in UTC (each cycle opens once however often it runs).')
param roleCyclesSchedule string = '0 */15 * * * *'

@description('Whether the weekly digest reads calendars with the app\'s own Calendars.ReadBasic (granted and scoped by RBAC for Applications beforehand) to list the meetings held.')
param digestReadsCalendars bool = false

var tags = { app: 'workflow' }
var suffix = uniqueString(resourceGroup().id)
// Names are known before deployment, so modules can address each other's resources by name (What-If stays precise).
var storageName = take('${name}${suffix}', 24)
var insightsName = '${name}-${suffix}-insights'

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: storageName, location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { workspaceName: '${name}-${suffix}-logs', insightsName: insightsName, location: location, tags: tags }
}

module addin 'modules/addin-hosting.bicep' = {
  name: 'addin'
  params: { name: '${name}-addin-${suffix}', location: addinLocation, tags: tags }
}

module api 'modules/functionapp.bicep' = {
  name: 'api'
  params: {
    name: '${name}-api-${suffix}'
    location: location
    tags: tags
    storageAccountName: storageName
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    insightsConnectionString: monitoring.outputs.connectionString
    insightsName: insightsName
    allowedOrigins: [addin.outputs.origin]
    apiSettings: union({
      AzureAd__Instance: environment().authentication.loginEndpoint
      AzureAd__TenantId: 'organizations'
      AzureAd__ClientId: apiClientId
      AzureAd__Audience: 'api://${apiClientId}'
      AzureAd__HomeTenantId: tenant().tenantId
      Graph__Enabled: 'true'
      Graph__ServiceMailbox: serviceMailbox
      Graph__DigestReadsCalendars: string(digestReadsCalendars)
      WeeklyReviewSchedule: weeklyReviewSchedule
      NotificationsSchedule: notificationsSchedule
      RoleCyclesSchedule: roleCyclesSchedule
      Digest__AppBaseUrl: '${addin.outputs.origin}/'
    }, toObject(range(0, length(allowedTenants)), i => 'Access__AllowedTenants__${i}', i => allowedTenants[i]))
  }
}

output apiUrl string = 'https://${api.outputs.hostName}'
output addinOrigin string = addin.outputs.origin
output addinSiteName string = addin.outputs.name
output functionAppName string = api.outputs.name
// The federated identity credential infra/federate-api-identity.sh puts on the API's app registration.
output apiCredentialIssuer string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
output apiCredentialSubject string = api.outputs.credentialPrincipalId
