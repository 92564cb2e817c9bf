import { buildCampaignApp } from '#infra/aws/campaign-app';

buildCampaignApp().app.synth();
