// CDK entry point (`app` in cdk.json): synthesizes the sparraus stacks under cdk-nag's AWS Solutions checks.
import { buildApp } from './build-app.js';

buildApp().app.synth();
