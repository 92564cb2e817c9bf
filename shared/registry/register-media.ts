/** What an import of the register accepts, in a module of its own: the route table, loaded by every function, needs it. */
export const CSV_MEDIA_TYPE = 'text/csv';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const registerMediaTypes = [CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE] as const;

/**
 * 4 MiB: a synchronous Lambda invocation carries at most 6 MB, and API Gateway hands a binary body
 * over base64-encoded (4/3 larger). 20,000 rows of CSV are about 3 MB, of XLSX well under 1 MB.
 */
export const maxRegisterFileBytes = 4 * 1024 * 1024;
