/**
 * What the evidence picker decides before anything is sent (type by name and by the browser's type,
 * 10 MB, how many files), and the words it shows: sizes per locale, every screening refusal and every
 * party in both languages. The upload itself runs in Chromium (test/web/evidence-upload.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { conflictReasons } from '#shared/domain/errors';
import { MAX_EVIDENCE_FILE_BYTES, screeningRefusals } from '#shared/domain/evidence';
import { ApiError } from '../../web/src/api.ts';
import { checkChosenFiles } from '../../web/src/evidence-picker.ts';
import { namedRefusal } from '../../web/src/forms.ts';
import * as i18n from '../../web/src/i18n.ts';

const file = (name: string, size: number, type = '') => new File([new Uint8Array(size)], name, { type });

afterEach(() => i18n.setLang('en'));

describe('checkChosenFiles', () => {
  it('takes PDF, JPEG, PNG and OFD files by their ending, whatever its case', () => {
    // Arrange
    const chosen = [
      file('notice.PDF', 10, 'application/pdf'),
      file('photo.jpeg', 10, 'image/jpeg'),
      file('photo.JPG', 10),
      file('receipt.png', 10, 'image/png'),
      file('发票.ofd', 10),
    ];

    // Act
    const { accepted, problems } = checkChosenFiles(chosen, 10);

    // Assert
    expect(accepted.map((entry) => entry.contentType)).toEqual([
      'application/pdf',
      'image/jpeg',
      'image/jpeg',
      'image/png',
      'application/ofd',
    ]);
    expect(problems).toEqual([]);
  });

  it('refuses another type, a name that does not fit the type, an empty file and one over 10 MB, by name', () => {
    // Arrange
    i18n.setLang('zh-CN');
    const chosen = [
      file('合同.docx', 10),
      file('receipt.pdf', 10, 'image/png'),
      file('empty.png', 0, 'image/png'),
      file('scan.pdf', MAX_EVIDENCE_FILE_BYTES + 1, 'application/pdf'),
      file('exactly.pdf', MAX_EVIDENCE_FILE_BYTES, 'application/pdf'),
    ];

    // Act
    const { accepted, problems } = checkChosenFiles(chosen, 10);

    // Assert
    expect(accepted.map((entry) => entry.file.name)).toEqual(['exactly.pdf']);
    expect(problems).toEqual([
      '“合同.docx”不是 PDF、JPG、PNG 或 OFD 格式，未上传。',
      '“receipt.pdf”的扩展名与文件类型不符，未上传。',
      '“empty.png”是空文件，未上传。',
      '“scan.pdf”超过 10MB，未上传。',
    ]);
  });

  it('takes only as many files as there is room for', () => {
    // Arrange
    const chosen = [file('a.pdf', 1), file('b.pdf', 1), file('c.pdf', 1)];

    // Act
    const { accepted, problems } = checkChosenFiles(chosen, 2);

    // Assert
    expect(accepted.map((entry) => entry.file.name)).toEqual(['a.pdf', 'b.pdf']);
    expect(problems).toEqual(['At most 10 files: “c.pdf” was not uploaded.']);
  });
});

describe('evidence texts', () => {
  it('gives a file size in KB below 1 MB and in MB with one decimal above, per locale', () => {
    // Arrange
    const sizes = [1, 1536, 1024 * 1024 - 1, 1024 * 1024, 2.25 * 1024 * 1024, 10 * 1024 * 1024];

    // Act
    const english = sizes.map(i18n.formatFileSize);
    i18n.setLang('zh-CN');
    const chinese = sizes.map(i18n.formatFileSize);

    // Assert
    expect(english).toEqual(['1 KB', '2 KB', '1 MB', '1 MB', '2.3 MB', '10 MB']);
    expect(chinese).toEqual(english);
  });

  it('words every screening refusal and every party in both languages', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      // Arrange
      i18n.setLang(language);

      // Act
      const texts = [
        ...screeningRefusals.map((reason) => i18n.tx('refusal', reason)),
        ...['ENTERPRISE', 'ASSOCIATION', 'OFFICIAL'].map((party) => i18n.tx('party', party)),
      ];

      // Assert
      expect(texts.filter((text) => /^[A-Z_]+$/.test(text))).toEqual([]);
    }
  });

  it('words every conflict reason the API names, in both languages', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      // Arrange
      i18n.setLang(language);

      // Act
      const texts = conflictReasons.map((reason) =>
        namedRefusal(new ApiError(409, 'CONFLICT', 'conflict', [], reason)),
      );

      // Assert
      expect(texts.filter((text) => text === undefined)).toEqual([]);
    }
  });

  it('words a conflict the API names about files, and leaves an unnamed one to its message', () => {
    // Arrange
    i18n.setLang('zh-CN');
    const named = new ApiError(409, 'CONFLICT', 'too many bytes', [], 'evidence_case_limit');
    const unnamed = new ApiError(409, 'CONFLICT', 'the task was completed');

    // Act
    const texts = [namedRefusal(named), namedRefusal(unnamed), namedRefusal(new Error('x'))];

    // Assert
    expect(texts).toEqual([
      '您在本案提交的材料总量将超过 50MB，请删除部分文件后再提交。',
      undefined,
      undefined,
    ]);
  });
});
