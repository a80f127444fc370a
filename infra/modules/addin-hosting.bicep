@description('Name of the Static Web App serving the task pane.')
param name string

@description('Azure region (Static Web Apps run in a few regions only).')
param location string

@description('Tags applied to every resource.')
param tags object

// The task pane must be served over HTTPS from a stable origin; a Static Web App gives both, with its own certificate.
resource site 'Microsoft.Web/staticSites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Free', tier: 'Free' }
  properties: {}
}

output origin string = 'https://${site.properties.defaultHostname}'
output name string = site.name
