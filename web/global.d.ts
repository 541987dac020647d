// The deployment settings that config.js puts on window before the app starts.
interface SparrausConfig {
  apiUrl?: string;
  cognito?: { domain: string; clientId: string; redirectUri: string; logoutUri?: string };
}
interface Window {
  SPARRAUS_CONFIG?: SparrausConfig;
}
