/**
 * Files attached to a complaint, an answer, a report, a request or a decision, as their readers see
 * them: name, type, size and who gave them, and a download that asks the API for a short-lived link
 * (only for those allowed to read the file) and then follows it; the file comes as an attachment.
 */
import { type EvidenceContentType, evidenceExtensions } from '#shared/domain/evidence';
import { ApiError, api, bodyOf } from './api.ts';
import { type Child, h } from './dom.ts';
import { problemText } from './forms.ts';
import { formatFileSize, t, tx } from './i18n.ts';
import type { AttachmentView } from './types.ts';

/** PDF, JPG, PNG, OFD: the type as its usual file ending names it, the same in both languages. */
export const typeLabel = (contentType: EvidenceContentType): string =>
  (evidenceExtensions[contentType][0] ?? '').slice(1).toUpperCase();

const downloadButton = (file: AttachmentView, item: HTMLElement) => {
  const button: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'link-button',
      onclick: async () => {
        item.querySelector('.attachment-error')?.remove();
        button.disabled = true;
        try {
          const link = await bodyOf(api.GET('/api/files/{id}', { params: { path: { id: file.fileId } } }));
          // The link answers with Content-Disposition: attachment, so the page stays where it is.
          window.location.assign(link.url);
        } catch (error) {
          const text =
            error instanceof ApiError && error.status === 404 ? t('attachmentForbidden') : problemText(error);
          item.append(h('p', { class: 'field-error attachment-error', role: 'alert' }, text));
        } finally {
          button.disabled = false;
        }
      },
    },
    t('attachmentDownload'),
    h('span', { class: 'visually-hidden' }, ` ${file.fileName}`),
  );
  return button;
};

export const attachmentList = (files: readonly AttachmentView[]): HTMLElement =>
  h(
    'ul',
    { class: 'attachment-list' },
    files.map((file) => {
      const item = h(
        'li',
        null,
        h('span', { class: 'attachment-name' }, file.fileName),
        h(
          'span',
          { class: 'attachment-meta' },
          [
            typeLabel(file.contentType),
            formatFileSize(file.size),
            t('attachmentFrom', { party: tx('party', file.party) }),
          ].join(' · '),
        ),
      );
      item.append(downloadButton(file, item));
      return item;
    }),
  );

/** The files under a heading, or nothing when there are none. */
export const attachmentsBlock = (title: string, files: readonly AttachmentView[] | undefined): Child =>
  files && files.length > 0 ? [h('h3', null, title), attachmentList(files)] : null;
