/**
 * Real evidence files, built in the test (and the bench): PDFs written object by object with a cross
 * reference table as readers expect, photos with EXIF (GPS position, author), ZIP containers as OFD
 * files are. Nothing is read from disk, so what each file carries is visible where it is built.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** A stream object's body: its dictionary with the data's length, and the data. */
export const pdfStream = (dictionary: string, data: Uint8Array): Buffer =>
  Buffer.concat([
    latin1(`<< ${dictionary} /Length ${data.length} >>\nstream\n`),
    data,
    latin1('\nendstream'),
  ]);

/**
 * A PDF of the given objects, numbered from 1 (1 is the catalog), with its cross-reference table and a
 * trailer holding `trailer` besides the size and root.
 */
export const pdfFile = (objects: readonly (string | Buffer)[], trailer = ''): Buffer => {
  const parts: Buffer[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let offset = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const object = Buffer.concat([latin1(`${i + 1} 0 obj\n`), Buffer.from(body), latin1('\nendobj\n')]);
    parts.push(object);
    offset += object.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f\r',
    ...offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n\r`),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(latin1(xref));
  return Buffer.concat(parts);
};

/** Page text drawn with the standard Helvetica, deflated as writers do. */
const pageContent = (text: string) =>
  pdfStream('/Filter /FlateDecode', deflateSync(latin1(`BT /F1 12 Tf 72 720 Td (${text}) Tj ET`)));

/** Catalog, pages, one page with text: objects 1-5, to which a test adds its own from 6 on. */
export const pdfPageObjects = (catalogExtra = '', text = 'Fee notice 2026'): (string | Buffer)[] => [
  `<< /Type /Catalog /Pages 2 0 R ${catalogExtra}>>`,
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
  pageContent(text),
  '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
];

/** A one-page PDF with text and nothing screening refuses. */
export const plainPdf = (): Buffer => pdfFile(pdfPageObjects('/OpenAction [3 0 R /Fit] '));

/**
 * An object stream (as PDF 1.5 writers pack objects), deflated, holding `objects` numbered from
 * `firstNumber`; written without `/Type /ObjStm`, which readers do not need.
 */
export const pdfObjectStream = (firstNumber: number, objects: readonly string[]): Buffer => {
  let offset = 0;
  const header: string[] = [];
  for (const [i, object] of objects.entries()) {
    header.push(`${firstNumber + i} ${offset}`);
    offset += object.length + 1;
  }
  const head = `${header.join(' ')}\n`;
  const body = deflateSync(latin1(head + objects.join('\n')));
  return pdfStream(`/N ${objects.length} /First ${head.length} /Filter /FlateDecode`, body);
};

/** Reproducible random bytes: compressed data (a scan's JPEG, a photo's noise) looks like them. */
export const noise = (bytes: number, seed = 1): Buffer => {
  const data = Buffer.alloc(bytes);
  // xorshift32: 32-bit operations only (an LCG's product loses bits in a JavaScript number)
  let state = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = state & 0xff;
  }
  return data;
};

/** A scanned page as a PDF image: JPEG data (noise, as far as screening is concerned). */
export const pdfScanImage = (bytes: number, seed = 1): Buffer =>
  pdfStream(
    '/Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode',
    noise(bytes, seed),
  );

/** A PDF of one scanned page `bytes` long, with its text layer deflated, as scanners write them. */
export const scannedPdf = (bytes: number): Buffer => {
  const objects = pdfPageObjects('', 'Scanned receipt');
  const text = pdfStream(
    '/Filter /FlateDecode',
    deflateSync(latin1('BT /F1 10 Tf 3 Tr 72 700 Td (Refund receipt 0001) Tj ET\n'.repeat(2_000))),
  );
  const overhead = pdfFile([...objects, text, pdfScanImage(0)]).length;
  return pdfFile([...objects, text, pdfScanImage(Math.max(0, bytes - overhead))]);
};

/** Who took the photo and where, as a phone writes it. */
export const photoAuthor = 'Zhang Wei, Shenzhen';
export const photoGps = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '22/1 32/1 0/1',
  GPSLongitudeRef: 'E',
  GPSLongitude: '114/1 3/1 0/1',
};

/** A photo of `width` x `height` noisy pixels (so it compresses like a photo), with the author and GPS in EXIF. */
export const photoWithGps = async (width = 64, height = 48): Promise<Buffer> =>
  sharp(noise(width * height * 3), {
    raw: { width, height, channels: 3 },
  })
    .jpeg({ quality: 92 })
    .withExif({ IFD0: { Artist: photoAuthor, Copyright: photoAuthor }, IFD3: photoGps })
    .toBuffer();

/** A ZIP container of stored (uncompressed) entries, as OFD writers and `zip -0` write them. */
export const zipFile = (entries: Record<string, string>): Buffer => {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    directory.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
};

/** An OFD invoice: the entry point at the root and one document. */
export const ofdInvoice = (): Buffer =>
  zipFile({
    'OFD.xml':
      '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
    'Doc_0/Document.xml':
      '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
  });
