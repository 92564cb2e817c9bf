/** The API's messages as the OpenAPI document declares them (generated types only: nothing is bundled). */
import type { components, operations } from '#shared/http/api-types';

type Schemas = components['schemas'];

export type AttachmentView = Schemas['Attachment'];
export type CampaignMetrics = Schemas['CampaignMetrics'];
export type CaseView = Schemas['CaseView'];
export type ComplaintDetail = Schemas['ComplaintDetail'];
export type TaskList = Schemas['TaskList'];
export type TaskView = Schemas['Task'];

type JsonContent<Body> = Body extends { content: { 'application/json': infer Json } } ? Json : never;

/** The JSON body an operation takes (never for one that takes a file). */
export type BodyOf<Operation extends keyof operations> = JsonContent<
  NonNullable<operations[Operation]['requestBody']>
>;

/** The query parameters an operation declares. */
export type QueryOf<Operation extends keyof operations> = NonNullable<
  operations[Operation]['parameters']['query']
>;
