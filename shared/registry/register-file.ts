/**
 * The register as the civil-affairs offices publish it, CSV or XLSX, read into numbered rows of text
 * (docs/associations.md, "Registry"). File-level problems are refused before anything is written:
 * a media type that is neither (415), a file over the limit (413), a workbook that cannot be read (400).
 */
import {
  type FieldIssueCode,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/domain/errors';
import { CSV_MEDIA_TYPE, maxRegisterFileBytes, XLSX_MEDIA_TYPE } from '#shared/registry/register-media';
import { readFirstSheet, type SheetRow, UnreadableWorkbookError } from '#shared/registry/xlsx-sheet';

/**
 * UTF-8 (with or without a byte order mark) when the bytes are valid UTF-8, else GB18030 (of which
 * GBK and GB2312 are subsets), which is what Excel on a Chinese Windows saves "CSV" as.
 */
export const decodeCsvText = (bytes: Uint8Array): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
};

/** RFC 4180 records (quotes, doubled quotes, CRLF, LF or CR), numbered from 1 as a spreadsheet shows them. */
export const parseCsv = (text: string): SheetRow[] => {
  const rows: SheetRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let afterQuote = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    afterQuote = false;
  };
  const endRow = () => {
    endCell();
    rows.push({ row: rows.length + 1, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') cell += char;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else {
        quoted = false;
        afterQuote = true;
      }
    } else if (char === '"' && cell === '' && !afterQuote) quoted = true;
    else if (char === ',') endCell();
    else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0 || quoted) endRow();
  return rows;
};

const mediaTypeOf = (contentType: string | undefined) => contentType?.split(';')[0]?.trim().toLowerCase();

/**
 * The rows of a register file.
 * @throws UnsupportedMediaTypeError for anything but CSV and XLSX (an old `.xls` included),
 *   PayloadTooLargeError over `maxRegisterFileBytes`, ValidationError for an empty or unreadable file.
 */
export const readRegisterFile = (bytes: Buffer, contentType: string | undefined): SheetRow[] => {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType !== CSV_MEDIA_TYPE && mediaType !== XLSX_MEDIA_TYPE)
    throw new UnsupportedMediaTypeError(
      `Send the register as ${CSV_MEDIA_TYPE} or ${XLSX_MEDIA_TYPE} (save an .xls workbook as .xlsx)`,
    );
  if (bytes.length > maxRegisterFileBytes)
    throw new PayloadTooLargeError(
      `The file is ${bytes.length} bytes; at most ${maxRegisterFileBytes} are accepted (split the register by province)`,
    );
  if (bytes.length === 0) throw fileIssue('empty_file', 'The file is empty');
  if (mediaType === CSV_MEDIA_TYPE) return parseCsv(decodeCsvText(bytes).replace(/^\uFEFF/, ''));
  try {
    return readFirstSheet(bytes);
  } catch (cause) {
    if (!(cause instanceof UnreadableWorkbookError)) throw cause;
    throw fileIssue('unreadable_file', `The workbook cannot be read: ${cause.message}`, { cause });
  }
};

export const fileIssue = (
  code: FieldIssueCode,
  message: string,
  options?: { cause?: unknown; params?: Record<string, string | number> },
) =>
  new ValidationError(
    message,
    [{ path: 'file', code, message, ...(options?.params ? { params: options.params } : {}) }],
    options,
  );
