/**
 * What of a case's audit trail its complainants see: the events that tell them where their complaint
 * stands, each as its type and the few values it shows (the verdict, the days to rectify). Clients
 * render these in their own language; the server writes no sentence for them.
 */

/** The events a complainant's timeline shows, and which of each event's data it shows. */
const shownData = {
  CASE_OPENED: [],
  COMPLAINT_JOINED: [],
  INFORMATION_ADDED: [],
  CLASSIFIED: [],
  TASK_OPENED: ['kind'],
  REVIEW_DECIDED: ['verdict'],
  ORDER_ISSUED: ['rectificationDays', 'dueAt'],
  RECTIFICATION_REPORTED: [],
  RECTIFICATION_ACCEPTED: [],
  RECTIFICATION_REJECTED: [],
  INFO_PROVIDED: [],
  CASE_CLOSED: ['outcome'],
  VERIFICATION_REOPENED: [],
  /** 转交 X 办理: the receiving office, never who transferred it or why. */
  CASE_TRANSFERRED: ['agency', 'province'],
} as const satisfies Record<string, readonly string[]>;

export type TimelineEventType = keyof typeof shownData;
export const timelineEventTypes = Object.keys(shownData) as TimelineEventType[];

export const isTimelineEvent = (type: string): type is TimelineEventType => Object.hasOwn(shownData, type);

/**
 * How an event reaches the complainant's timeline, if at all. A decision under four eyes becomes the
 * decision when a second regulator confirms it, so the confirmation is shown as the decision with its
 * verdict; the proposal and a refusal are the regulators' own deliberation.
 */
export const timelineEventOf = (event: {
  type: string;
  data?: Readonly<Record<string, unknown>> | undefined;
}): { type: TimelineEventType; data?: Readonly<Record<string, unknown>> | undefined } | undefined => {
  if (event.type === 'SECOND_REVIEW_DECIDED')
    return event.data?.confirmed === true ? { type: 'REVIEW_DECIDED', data: event.data } : undefined;
  return isTimelineEvent(event.type) ? { type: event.type, data: event.data } : undefined;
};

/** The values of an event that its timeline entry shows: the same for events old and new. */
export const timelineParams = (
  type: TimelineEventType,
  data: Readonly<Record<string, unknown>> | undefined,
): Record<string, string | number> => {
  const params: Record<string, string | number> = {};
  for (const name of shownData[type] as readonly string[]) {
    const value = data?.[name];
    if (typeof value === 'string' || typeof value === 'number') params[name] = value;
  }
  return params;
};
