// Deployment settings for the pages, read before the app starts. Replace this one file per environment;
// on AWS the CDK app writes it (infra/site.ts) with the API URL and the hosted UI below.
//
// apiUrl:  the HTTP API's base URL; '' means the pages are served by the API's own origin (npm start).
// cognito: on AWS, the user pool's hosted UI. When set, "Sign in" goes there instead of /dev/token:
//   { domain: 'https://<prefix>.auth.<region>.amazoncognito.com', clientId: '<app client id>',
//     redirectUri: 'https://<site>/app/signin', logoutUri: 'https://<site>/app/' }
//   The app client needs the implicit grant with scopes openid and email; the id token (which carries
//   email and cognito:groups) is sent as the bearer token.
window.SPARRAUS_CONFIG = {
  apiUrl: '',
  // cognito: { domain: '', clientId: '', redirectUri: '', logoutUri: '' },
};
