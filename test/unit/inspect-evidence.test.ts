import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_PIXELS, SharpImageSanitizer } from '#shared/adapters/image-sanitizer';
import type { EvidenceContentType } from '#shared/domain/evidence';
import { type Inspection, inspectEvidence } from '#shared/evidence/inspect-evidence';
import { MAX_INFLATED_PDF_BYTES } from '#shared/evidence/pdf-content';
import {
  ofdInvoice,
  pdfFile,
  pdfObjectStream,
  pdfPageObjects,
  pdfStream,
  photoAuthor,
  photoWithGps,
  plainPdf,
  scannedPdf,
  zipFile,
} from '#test/support/evidence-files';

const images = new SharpImageSanitizer();
const inspect = (bytes: Uint8Array, contentType: EvidenceContentType, size = bytes.length) =>
  inspectEvidence(bytes, { contentType, size }, images);
const cleanBytes = (inspection: Inspection) => {
  if (inspection.status !== 'CLEAN') throw new Error(`refused: ${inspection.reason}`);
  return Buffer.from(inspection.bytes);
};
const redPng = () =>
  sharp({ create: { width: 16, height: 16, channels: 3, background: '#c00' } })
    .png()
    .toBuffer();

describe('inspectEvidence: type and size', () => {
  it('refuses a PNG renamed .pdf as TYPE_MISMATCH', async () => {
    // Arrange
    const png = await redPng();

    // Act
    const inspection = await inspect(png, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'TYPE_MISMATCH' });
  });

  it('refuses a PDF declared as a JPEG as TYPE_MISMATCH', async () => {
    expect(await inspect(plainPdf(), 'image/jpeg')).toEqual({ status: 'REFUSED', reason: 'TYPE_MISMATCH' });
  });

  it('refuses an animated PNG declared as a PNG as TYPE_MISMATCH', async () => {
    // Arrange: an acTL chunk (one frame, played once) right after the header chunk.
    const png = await redPng();
    const headerEnd = 8 + 12 + png.readUInt32BE(8);
    const animation = Buffer.alloc(20);
    animation.writeUInt32BE(8, 0);
    animation.write('acTL', 4, 'latin1');
    animation.writeUInt32BE(1, 8);
    animation.writeUInt32BE(1, 12);
    animation.writeUInt32BE(crc32(animation.subarray(4, 16)), 16);
    const animated = Buffer.concat([png.subarray(0, headerEnd), animation, png.subarray(headerEnd)]);

    // Act
    const inspection = await inspect(animated, 'image/png');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'TYPE_MISMATCH' });
  });

  it('refuses a file shorter than its declared signature as TYPE_MISMATCH', async () => {
    expect(await inspect(Uint8Array.of(0xff, 0xd8), 'image/jpeg')).toEqual({
      status: 'REFUSED',
      reason: 'TYPE_MISMATCH',
    });
  });

  it('refuses an object larger than declared as SIZE_MISMATCH', async () => {
    // Arrange
    const pdf = plainPdf();

    // Act
    const inspection = await inspect(pdf, 'application/pdf', pdf.length - 1);

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'SIZE_MISMATCH' });
  });

  it('refuses an empty object as SIZE_MISMATCH', async () => {
    expect(await inspect(new Uint8Array(0), 'application/pdf', 10)).toEqual({
      status: 'REFUSED',
      reason: 'SIZE_MISMATCH',
    });
  });
});

describe('inspectEvidence: images', () => {
  it('re-encodes a JPEG without its EXIF: no GPS position, no author', async () => {
    // Arrange
    const photo = await photoWithGps();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(photo.includes(photoAuthor)).toBe(true);

    // Act
    const screened = cleanBytes(await inspect(photo, 'image/jpeg'));

    // Assert
    const metadata = await sharp(screened).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(screened.includes('Exif')).toBe(false);
    expect(screened.includes(photoAuthor)).toBe(false);
  });

  it('turns a photo upright as its EXIF orientation said, since the orientation goes with the EXIF', async () => {
    // Arrange: 64 x 48 pixels, to be shown turned a quarter (orientation 6)
    const sideways = await sharp(await photoWithGps())
      .withMetadata({ orientation: 6 })
      .toBuffer();

    // Act
    const screened = cleanBytes(await inspect(sideways, 'image/jpeg'));

    // Assert
    expect(await sharp(screened).metadata()).toMatchObject({ width: 48, height: 64 });
  });

  it('re-encodes a PNG without its EXIF and XMP', async () => {
    // Arrange
    const png = await sharp(await redPng())
      .withExif({ IFD0: { Artist: photoAuthor } })
      .withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>${photoAuthor}</dc:creator></x:xmpmeta>`)
      .png()
      .toBuffer();
    expect(png.includes(photoAuthor)).toBe(true);

    // Act
    const screened = cleanBytes(await inspect(png, 'image/png'));

    // Assert
    const metadata = await sharp(screened).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: 16, height: 16 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(screened.includes(photoAuthor)).toBe(false);
  });

  it('refuses as UNREADABLE a small PNG that declares more pixels than the screener may hold', async () => {
    // Arrange: 11,000 x 10,000 black and white pixels (one bit each) in a file of 14 KB
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const framed = Buffer.alloc(body.length + 8);
      framed.writeUInt32BE(data.length, 0);
      body.copy(framed, 4);
      framed.writeUInt32BE(crc32(body), body.length + 4);
      return framed;
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(11_000, 0);
    header.writeUInt32BE(10_000, 4);
    header.set([1, 0, 0, 0, 0], 8);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.alloc(10_000 * (1 + 11_000 / 8)), { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(11_000 * 10_000).toBeGreaterThan(MAX_IMAGE_PIXELS);

    // Act
    const inspection = await inspect(png, 'image/png');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'UNREADABLE' });
  });

  it('refuses a JPEG cut short as UNREADABLE', async () => {
    // Arrange
    const photo = await photoWithGps(256, 256);

    // Act
    const inspection = await inspect(photo.subarray(0, photo.length / 2), 'image/jpeg', photo.length);

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'UNREADABLE' });
  });
});

describe('inspectEvidence: PDF', () => {
  it('passes a plain PDF byte for byte, its open-at-page-one action included', async () => {
    // Arrange
    const pdf = plainPdf();

    // Act
    const screened = cleanBytes(await inspect(pdf, 'application/pdf'));

    // Assert
    expect(screened.equals(pdf)).toBe(true);
  });

  it('passes a scanned PDF whose image data happens to hold short names like /JS', async () => {
    // Arrange: `/JS ` and `/AA(` inside the JPEG bytes of the scan
    const pdf = scannedPdf(200_000);
    const image = pdf.indexOf('/DCTDecode');
    pdf.write('/JS /AA(', image + 200, 'latin1');

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection.status).toBe('CLEAN');
  });

  it('refuses a PDF that runs JavaScript when opened as PDF_ACTIVE_CONTENT', async () => {
    // Arrange
    const pdf = pdfFile([
      ...pdfPageObjects('/OpenAction 6 0 R '),
      '<< /Type /Action /S /JavaScript /JS (app.alert("hello")) >>',
    ]);

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'PDF_ACTIVE_CONTENT' });
  });

  it('refuses JavaScript hidden in a deflated object stream', async () => {
    // Arrange
    const pdf = pdfFile([
      ...pdfPageObjects('/OpenAction 7 0 R '),
      pdfObjectStream(7, ['<< /S /JavaScript /JS (this.exportDataObject({cName: "x"})) >>']),
    ]);
    expect(pdf.includes('JavaScript')).toBe(false);

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'PDF_ACTIVE_CONTENT' });
  });

  it('refuses JavaScript in an object stream written with a PNG predictor', async () => {
    // Arrange: one row, "Sub"-filtered (each byte less the one before), which scrambles every name
    const text = Buffer.from('7 0\n<< /S /JavaScript /JS (app.alert(1)) >>', 'latin1');
    const row = Buffer.from([
      1,
      ...text.map((byte, i) => (byte - (i > 0 ? (text[i - 1] as number) : 0)) & 0xff),
    ]);
    const pdf = pdfFile([
      ...pdfPageObjects('/OpenAction 7 0 R '),
      pdfStream(
        `/N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Predictor 11 /Columns ${text.length} >>`,
        deflateSync(row),
      ),
    ]);

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'PDF_ACTIVE_CONTENT' });
  });

  it('refuses JavaScript in an object stream hidden behind ASCII filters and short filter names', async () => {
    // Arrange: hex of deflate, as [/AHx /Fl]
    const objectStream = deflateSync(Buffer.from('7 0\n<< /S /JavaScript /JS (app.alert(1)) >>', 'latin1'));
    const pdf = pdfFile([
      ...pdfPageObjects('/OpenAction 7 0 R '),
      pdfStream('/N 1 /First 4 /Filter [/AHx /Fl]', Buffer.from(`${objectStream.toString('hex')}>`)),
    ]);

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'PDF_ACTIVE_CONTENT' });
  });

  it('passes a page whose content is written in ASCII85, as PostScript converters write it', async () => {
    // Arrange: "BT /F1 12 Tf 72 720 Td (Fee notice, ASCII85) Tj ET"
    const objects = pdfPageObjects();
    objects[3] = pdfStream(
      '/Filter /ASCII85Decode',
      Buffer.from("6<#'\\7PQ#?1*BP.+?)%u2_m'0<+I+\"7V--RDJsW2@q@265uU-B8N8RV+B3(u78s~>", 'latin1'),
    );

    // Act
    const inspection = await inspect(pdfFile(objects), 'application/pdf');

    // Assert
    expect(inspection.status).toBe('CLEAN');
  });

  it('refuses as UNREADABLE a stream in a filter it cannot look into (LZW), or one named by reference', async () => {
    const lzw = pdfFile([
      ...pdfPageObjects(),
      pdfStream('/N 1 /First 4 /Filter /LZWDecode', Buffer.from([0x80, 0x0b])),
    ]);
    const byReference = pdfFile([
      ...pdfPageObjects(),
      pdfStream('/N 1 /First 4 /Filter 7 0 R', Buffer.from('00')),
    ]);

    expect(await inspect(lzw, 'application/pdf')).toEqual({ status: 'REFUSED', reason: 'UNREADABLE' });
    expect(await inspect(byReference, 'application/pdf')).toEqual({
      status: 'REFUSED',
      reason: 'UNREADABLE',
    });
  });

  it('refuses a name written with #xx escapes (/J#61vaScript is /JavaScript)', async () => {
    // Arrange
    const pdf = pdfFile([
      ...pdfPageObjects('/OpenAction 6 0 R '),
      '<< /S /J#61vaScript /J#53 (app.alert(1)) >>',
    ]);

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'PDF_ACTIVE_CONTENT' });
  });

  it('refuses a launch action', async () => {
    const pdf = pdfFile([...pdfPageObjects('/OpenAction 6 0 R '), '<< /S /Launch /F (cmd.exe) >>']);

    expect(await inspect(pdf, 'application/pdf')).toEqual({
      status: 'REFUSED',
      reason: 'PDF_ACTIVE_CONTENT',
    });
  });

  it('refuses additional actions that fire when a page opens', async () => {
    const objects = pdfPageObjects();
    objects[2] =
      '<< /Type /Page /Parent 2 0 R /Contents 4 0 R /AA << /O << /S /URI /URI (https://example.test/t) >> >> >>';

    expect(await inspect(pdfFile(objects), 'application/pdf')).toEqual({
      status: 'REFUSED',
      reason: 'PDF_ACTIVE_CONTENT',
    });
  });

  it('refuses a PDF with an embedded file as PDF_EMBEDDED_FILE', async () => {
    // Arrange
    const pdf = pdfFile([
      ...pdfPageObjects('/Names << /EmbeddedFiles << /Names [(invoice.exe) 6 0 R] >> >> '),
      '<< /Type /Filespec /F (invoice.exe) /EF << /F 7 0 R >> >>',
      pdfStream('/Type /EmbeddedFile', Buffer.from('MZ')),
    ]);

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'PDF_EMBEDDED_FILE' });
  });

  it('refuses an encrypted PDF as PDF_ENCRYPTED', async () => {
    // Arrange
    const pdf = pdfFile(
      [
        ...pdfPageObjects(),
        `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -1340 /O <${'00'.repeat(32)}> /U <${'00'.repeat(32)}> >>`,
      ],
      '/Encrypt 6 0 R /ID [<01> <01>] ',
    );

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'PDF_ENCRYPTED' });
  });

  it('refuses as UNREADABLE what starts like a PDF and has no body', async () => {
    const notPdf = Buffer.from('%PDF-1.7\nThis is a letter, not a document.\n', 'latin1');

    expect(await inspect(notPdf, 'application/pdf')).toEqual({ status: 'REFUSED', reason: 'UNREADABLE' });
  });

  it('refuses as UNREADABLE a stream said to be deflated that is not', async () => {
    const pdf = pdfFile([
      ...pdfPageObjects(),
      pdfStream('/N 1 /First 4 /Filter /FlateDecode', Buffer.from('x\x9c not deflate')),
    ]);

    expect(await inspect(pdf, 'application/pdf')).toEqual({ status: 'REFUSED', reason: 'UNREADABLE' });
  });

  it('refuses as UNREADABLE a deflate bomb that inflates past the bound', async () => {
    // Arrange: zeros deflate about a thousand to one
    const bomb = deflateSync(Buffer.alloc(MAX_INFLATED_PDF_BYTES + 1024), { level: 9 });
    const pdf = pdfFile([...pdfPageObjects(), pdfStream('/Filter /FlateDecode', bomb)]);

    // Act
    const inspection = await inspect(pdf, 'application/pdf');

    // Assert
    expect(pdf.length).toBeLessThan(MAX_INFLATED_PDF_BYTES / 500);
    expect(inspection).toEqual({ status: 'REFUSED', reason: 'UNREADABLE' });
  });
});

describe('inspectEvidence: OFD', () => {
  it('passes a ZIP container with OFD.xml at its root, byte for byte', async () => {
    // Arrange
    const ofd = ofdInvoice();

    // Act
    const screened = cleanBytes(await inspect(ofd, 'application/ofd'));

    // Assert
    expect(screened.equals(ofd)).toBe(true);
  });

  it('refuses a ZIP without OFD.xml as UNREADABLE', async () => {
    const zip = zipFile({ 'Doc_0/OFD.xml': '<ofd:OFD/>', 'readme.txt': 'not an invoice' });

    expect(await inspect(zip, 'application/ofd')).toEqual({ status: 'REFUSED', reason: 'UNREADABLE' });
  });

  it('refuses a PDF renamed .ofd as TYPE_MISMATCH', async () => {
    expect(await inspect(plainPdf(), 'application/ofd')).toEqual({
      status: 'REFUSED',
      reason: 'TYPE_MISMATCH',
    });
  });
});
