/** The API's messages as the OpenAPI document declares them (generated types only: nothing is bundled). */
import type { components, operations } from '#shared/http/api-types';

type Schemas = components['schemas'];

export type AttachmentView = Schemas['Attachment'];
export type CampaignMetrics = Schemas['CampaignMetrics'];
export type CaseView = Schemas['CaseView'];
export type ComplaintDetail = Schemas['ComplaintDetail'];
export type TaskList = Schemas['TaskList'];
export type TaskView = Schemas['Task'];

/** The JSON body an operation takes. */
export type BodyOf<Operation extends keyof operations> = NonNullable<
  operations[Operation]['requestBody']
>['content']['application/json'];

/** The query parameters an operation declares. */
export type QueryOf<Operation extends keyof operations> = NonNullable<
  operations[Operation]['parameters']['query']
>;
