/**
 * The evidence picker (docs/evidence.md): a file button and a drop zone, which is the input's label so
 * keyboards and screen readers use the input itself. Chosen files are checked first (type, 10 MB, how
 * many); each then gets its upload form from the API, is posted straight to storage with its progress
 * shown, and is followed through screening until CLEAN or REFUSED. A form names the CLEAN files in
 * `attachments`; its submit button waits, saying why, while a file is on its way.
 */
import {
  type EvidenceContentType,
  type EvidencePurpose,
  evidenceContentTypes,
  evidenceExtensions,
  MAX_ATTACHMENTS,
  MAX_EVIDENCE_FILE_BYTES,
  type ScreeningRefusal,
} from '#shared/domain/evidence';
import type { components } from '#shared/http/api-types';
import { ApiError, api, bodyOf } from './api.ts';
import { typeLabel } from './attachments.ts';
import { h, uid } from './dom.ts';
import { issueText } from './i18n/issues.ts';
import { formatFileSize, formatNumber, joinList, type MessageKey, t, tx } from './i18n.ts';

/** How long screening is followed before the picker offers to look again. */
const CHECK_PATIENCE_MS = 60_000;

type Stage = 'UPLOADING' | 'CHECKING' | 'CLEAN' | 'REFUSED' | 'SLOW' | 'FAILED';

interface Entry {
  file: File;
  contentType: EvidenceContentType;
  stage: Stage;
  /** Share of the file sent to storage, 0 to 1. */
  sent: number;
  uploadId?: string;
  reason?: ScreeningRefusal;
  /** What the API refused about the upload, in words (a file name too long, say). */
  problem?: string;
  /** Stops what is under way: the form being posted, screening being followed. */
  stop?: () => void;
}

/**
 * A picker's files, kept apart from its elements: a page drawn again (a language switch) finds them by
 * the id its hidden input gets back, and shows the uploads still under way.
 */
interface Files {
  route: string;
  entries: Entry[];
  changed: (entry: Entry) => void;
}
const pickers = new Map<string, Files>();

// --- before anything is sent ---------------------------------------------------------------------

export interface ChosenFiles {
  accepted: { file: File; contentType: EvidenceContentType }[];
  /** Why each other file was left out, in the page's language. */
  problems: string[];
}

const typeByName = (name: string): EvidenceContentType | undefined => {
  const lower = name.toLowerCase();
  return evidenceContentTypes.find((type) =>
    evidenceExtensions[type].some((ending) => lower.endsWith(ending)),
  );
};

/** The chosen files that may be uploaded (by type, size and `room` left), and why the others may not. */
export const checkChosenFiles = (files: readonly File[], room: number): ChosenFiles => {
  const chosen: ChosenFiles = { accepted: [], problems: [] };
  const refuse = (key: MessageKey, file: File) =>
    chosen.problems.push(t(key, { name: file.name, max: MAX_ATTACHMENTS }));
  for (const file of files) {
    const contentType = typeByName(file.name);
    if (!contentType) refuse('evidenceWrongType', file);
    // The browser's own type, when it is one of ours, must be the one the name says.
    else if ((evidenceContentTypes as readonly string[]).includes(file.type) && file.type !== contentType)
      refuse('evidenceNameMismatch', file);
    else if (file.size === 0) refuse('evidenceEmpty', file);
    else if (file.size > MAX_EVIDENCE_FILE_BYTES) refuse('evidenceTooLarge', file);
    else if (chosen.accepted.length >= room) refuse('evidenceTooMany', file);
    else chosen.accepted.push({ file, contentType });
  }
  return chosen;
};

// --- upload and screening ------------------------------------------------------------------------

type UploadTicket = components['schemas']['UploadTicket'];

/** The storage form: its fields first, the file last (S3 reads no field after the file). */
const postForm = (ticket: UploadTicket, entry: Entry, progress: () => void) =>
  new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', ticket.url);
    request.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      entry.sent = event.loaded / event.total;
      progress();
    });
    request.addEventListener('load', () => {
      if (request.status < 200 || request.status >= 300)
        return reject(new Error(`storage answered ${request.status}`));
      entry.sent = 1;
      resolve();
    });
    request.addEventListener('error', () => reject(new Error('network error')));
    request.addEventListener('abort', () => reject(new Error('aborted')));
    const body = new FormData();
    for (const [name, value] of Object.entries(ticket.fields)) body.append(name, value);
    body.append('file', entry.file);
    entry.stop = () => request.abort();
    request.send(body);
  });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks for the screening's result, more slowly as time goes, until it is known or patience ends. */
const followScreening = async (files: Files, entry: Entry, uploadId: string) => {
  let stopped = false;
  entry.stop = () => {
    stopped = true;
  };
  entry.stage = 'CHECKING';
  files.changed(entry);
  const deadline = Date.now() + CHECK_PATIENCE_MS;
  for (let wait = 400; Date.now() < deadline; wait = Math.min(wait * 1.5, 4000)) {
    await pause(wait);
    if (stopped) return;
    try {
      const upload = await bodyOf(api.GET('/api/uploads/{id}', { params: { path: { id: uploadId } } }));
      if (stopped) return;
      if (upload.status !== 'PENDING') {
        entry.stage = upload.status;
        entry.reason = upload.reason;
        files.changed(entry);
        return;
      }
    } catch (error) {
      // Gone (expired) means uploading again; anything else may pass, so keep asking.
      if (error instanceof ApiError && error.status === 404) {
        entry.stage = 'FAILED';
        files.changed(entry);
        return;
      }
    }
  }
  entry.stage = 'SLOW';
  files.changed(entry);
};

const upload = async (files: Files, entry: Entry, purpose: EvidencePurpose) => {
  Object.assign(entry, { stage: 'UPLOADING', sent: 0, problem: undefined, reason: undefined });
  files.changed(entry);
  let uploadId: string;
  try {
    const ticket = await bodyOf(
      api.POST('/api/uploads', {
        body: { purpose, fileName: entry.file.name, contentType: entry.contentType, size: entry.file.size },
      }),
    );
    uploadId = ticket.uploadId;
    // Removed while the form was being asked for: nothing to send.
    if (!files.entries.includes(entry)) return;
    await postForm(ticket, entry, () => files.changed(entry));
  } catch (error) {
    if (!files.entries.includes(entry)) return;
    const issue = error instanceof ApiError ? error.details[0] : undefined;
    Object.assign(entry, { stage: 'FAILED', problem: issue ? issueText(issue) : undefined });
    files.changed(entry);
    return;
  }
  entry.uploadId = uploadId;
  await followScreening(files, entry, uploadId);
};

// --- the picker ----------------------------------------------------------------------------------

export interface PickerOptions {
  purpose: EvidencePurpose;
  /** What the files are, when not evidence in general (a declared fee's basis documents). */
  label?: string;
  /** Where the body names the files, for the issues about them (`attachments` unless given). */
  path?: string;
  /** What to upload, in the words of the form (above the limits). */
  hint?: string;
  /** Files that may still be named (a complaint that already has some). */
  room?: number;
  /** Files are what the form sends (adding to a complaint), not an optional part of it. */
  required?: boolean;
}

export interface EvidencePicker {
  element: HTMLFieldSetElement;
  /** The files that passed screening, to be named in `attachments`. */
  clean(): { uploadId: string; fileName: string }[];
  /** True when no file is on its way; otherwise says why the form waits, with the focus there. */
  ready(): boolean;
}

/** `{ attachments }` of the picker's clean files, nothing when there are none: spread into a body. */
export const attachmentsOf = (picker: EvidencePicker): { attachments?: string[] } => {
  const ids = picker.clean().map((file) => file.uploadId);
  return ids.length > 0 ? { attachments: ids } : {};
};

/** The files among what a confirmation says will be sent, or nothing when there are none. */
export const filesFact = (picker: EvidencePicker): readonly [string, string] | null => {
  const names = picker.clean().map((file) => file.fileName);
  return names.length > 0 ? [t('attachmentsTitle'), joinList(names)] : null;
};

const busy = (entry: Entry) => entry.stage === 'UPLOADING' || entry.stage === 'CHECKING';

const statusText = (entry: Entry): string => {
  switch (entry.stage) {
    case 'UPLOADING':
      return t('evidenceUploading', { percent: `${formatNumber(Math.round(entry.sent * 100))}%` });
    case 'CHECKING':
      return t('evidenceChecking');
    case 'CLEAN':
      return `✓ ${t('evidenceClean')}`;
    case 'REFUSED':
      return t('evidenceRefused', { reason: tx('refusal', entry.reason) });
    case 'SLOW':
      return t('evidenceSlow');
    default:
      return entry.problem ?? t('evidenceFailed');
  }
};

export const evidencePicker = (options: PickerOptions): EvidencePicker => {
  const room = options.room ?? MAX_ATTACHMENTS;
  const id = uid('evidence');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const route = window.location.hash;
  // Pickers of pages left behind: what they still do goes nowhere.
  for (const [key, other] of pickers)
    if (other.route !== route) {
      pickers.delete(key);
      for (const entry of other.entries) entry.stop?.();
    }

  const input = h('input', {
    type: 'file',
    id,
    multiple: true,
    class: 'visually-hidden',
    accept: [...Object.values(evidenceExtensions).flat(), ...evidenceContentTypes].join(','),
    'aria-describedby': [options.hint ? `${hintId}-what` : '', hintId, errorId].join(' ').trim(),
  });
  const zone = h(
    'label',
    { for: id, class: 'drop-zone' },
    h('span', { class: 'button' }, t('evidenceChoose')),
    ' ',
    h('span', null, t('evidenceDrop')),
  );
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const list = h('ul', { class: 'evidence-files' });
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });
  const waitNote = h('p', { class: 'hint evidence-wait', tabindex: -1 }, t('evidenceWait'));
  const key = h('input', { type: 'hidden', name: 'evidence-picker', value: id });
  const element = h(
    'fieldset',
    { class: 'field evidence-picker', 'data-path': options.path ?? 'attachments' },
    h(
      'legend',
      null,
      options.label ?? t('evidenceFilesLabel'),
      options.required ? null : h('span', { class: 'optional' }, ` ${t('optional')}`),
    ),
    options.hint ? h('p', { class: 'hint', id: `${hintId}-what` }, options.hint) : null,
    h('p', { class: 'hint', id: hintId }, t('evidenceFilesHint', { max: room })),
    error,
    input,
    zone,
    list,
    announcer,
    key,
  );

  let files: Files = { route, entries: [], changed: () => undefined };
  pickers.set(id, files);
  const rows = new Map<Entry, ReturnType<typeof drawEntry>>();

  /** The form's submit button, held while a file is on its way (and only then released by the picker). */
  let holding = false;
  const holdSubmit = () => {
    const button = element.closest('form')?.querySelector<HTMLButtonElement>('button[type="submit"]');
    const waiting = files.entries.some(busy);
    if (!button || waiting === holding) return;
    holding = waiting;
    button.disabled = waiting;
    if (waiting) (button.closest('.actions') ?? button).before(waitNote);
    else waitNote.remove();
  };

  const remove = (entry: Entry) => {
    entry.stop?.();
    files.entries = files.entries.filter((other) => other !== entry);
    rows.get(entry)?.item.remove();
    rows.delete(entry);
    holdSubmit();
    input.focus();
  };

  function drawEntry(entry: Entry) {
    const status = h('p', { class: 'evidence-status', tabindex: -1 });
    const progress = h('progress', {
      max: 100,
      value: 0,
      'aria-label': t('evidenceProgress', { name: entry.file.name }),
    });
    const retry = h(
      'button',
      {
        type: 'button',
        onclick: () => {
          status.focus();
          if (entry.stage === 'SLOW' && entry.uploadId) void followScreening(files, entry, entry.uploadId);
          else void upload(files, entry, options.purpose);
        },
      },
      t('evidenceRetry'),
      h('span', { class: 'visually-hidden' }, ` ${entry.file.name}`),
    );
    const preview = entry.contentType.startsWith('image/')
      ? h('img', { class: 'evidence-thumb', alt: '', src: URL.createObjectURL(entry.file) })
      : h(
          'span',
          { class: 'evidence-thumb evidence-type', 'aria-hidden': 'true' },
          typeLabel(entry.contentType),
        );
    // The thumbnail keeps its pixels once drawn; the local file's address is not needed after.
    if (preview instanceof HTMLImageElement)
      preview.addEventListener('load', () => URL.revokeObjectURL(preview.src), { once: true });
    const item = h(
      'li',
      { class: 'evidence-file' },
      preview,
      h(
        'div',
        { class: 'evidence-body' },
        h('p', { class: 'evidence-name' }, entry.file.name),
        h('p', { class: 'hint' }, `${typeLabel(entry.contentType)} · ${formatFileSize(entry.file.size)}`),
        progress,
        status,
        h(
          'div',
          { class: 'evidence-actions' },
          retry,
          h(
            'button',
            { type: 'button', onclick: () => remove(entry) },
            t('evidenceRemove'),
            h('span', { class: 'visually-hidden' }, ` ${entry.file.name}`),
          ),
        ),
      ),
    );
    return { item, status, progress, retry };
  }

  const show = (entry: Entry) => {
    const row = rows.get(entry);
    if (!row) return;
    const before = row.item.dataset.stage;
    row.item.dataset.stage = entry.stage;
    row.status.textContent = statusText(entry);
    row.progress.value = Math.round(entry.sent * 100);
    row.progress.hidden = entry.stage !== 'UPLOADING';
    row.retry.hidden = entry.stage !== 'SLOW' && entry.stage !== 'FAILED';
    if (before !== entry.stage && !busy(entry))
      announcer.textContent = t('issueEntry', { label: entry.file.name, message: statusText(entry) });
    holdSubmit();
  };

  const draw = (entry: Entry) => {
    const row = drawEntry(entry);
    rows.set(entry, row);
    list.append(row.item);
    show(entry);
  };

  const adopt = (previous: Files) => {
    pickers.delete(id);
    files = previous;
    files.changed = show;
    for (const entry of files.entries) draw(entry);
  };
  files.changed = show;

  const choose = (chosen: readonly File[]) => {
    if (chosen.length === 0) return;
    const counted = files.entries.filter((entry) => entry.stage !== 'REFUSED').length;
    const { accepted, problems } = checkChosenFiles(chosen, room - counted);
    error.hidden = problems.length === 0;
    error.textContent = problems.join('\n');
    element.classList.toggle('invalid', problems.length > 0);
    if (problems.length > 0) announcer.textContent = error.textContent;
    for (const { file, contentType } of accepted) {
      const entry: Entry = { file, contentType, stage: 'UPLOADING', sent: 0 };
      files.entries.push(entry);
      draw(entry);
      void upload(files, entry, options.purpose);
    }
  };

  input.addEventListener('change', () => {
    choose(Array.from(input.files ?? []));
    // The same file may be chosen again after it was removed; and a page drawn again restores ''.
    input.value = '';
  });
  key.addEventListener('change', () => {
    const previous = pickers.get(key.value);
    if (previous && previous !== files) adopt(previous);
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    choose(Array.from(event.dataTransfer?.files ?? []));
  });

  return {
    element,
    clean: () =>
      files.entries.flatMap((entry) =>
        entry.stage === 'CLEAN' && entry.uploadId
          ? [{ uploadId: entry.uploadId, fileName: entry.file.name }]
          : [],
      ),
    ready: () => {
      if (!files.entries.some(busy)) return true;
      waitNote.focus();
      return false;
    },
  };
};
