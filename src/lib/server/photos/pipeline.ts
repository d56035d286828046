/**
 * The generic image pipeline: student photos now, evidence of student work later. Input is
 * whatever a phone or laptop hands over; output is two freshly encoded WebP images (display
 * and thumbnail) with NO metadata at all: sharp re-encodes the pixels and, unless asked with
 * `withMetadata`, writes no EXIF, GPS, XMP or ICC profile. We rotate by the EXIF orientation
 * first, so dropping it does not turn a portrait photo on its side.
 */
import sharp from 'sharp';

/** Bigger than any phone photo we expect; the upload form says so too. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const DISPLAY_SIZE = 512;
export const THUMB_SIZE = 160;
/** Refuse decompression bombs: 50 megapixels is more than any phone camera. */
const MAX_INPUT_PIXELS = 50_000_000;

export type ImageType = 'jpeg' | 'png' | 'webp' | 'avif' | 'heic';

export type ImageError =
	'empty' | 'too_large' | 'unsupported_type' | 'heic_unsupported' | 'corrupt';

export class ImageRejectedError extends Error {
	constructor(readonly code: ImageError) {
		super(`image rejected: ${code}`);
	}
}

export interface ProcessedImage {
	mime: 'image/webp';
	width: number;
	height: number;
	data: Uint8Array;
	thumbMime: 'image/webp';
	thumb: Uint8Array;
}

const ascii = (bytes: Uint8Array, start: number, length: number) =>
	String.fromCharCode(...bytes.subarray(start, start + length));

/** The type the bytes say they are; the browser's mime type is only a hint and is ignored. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
	if (bytes.length < 12) return null;
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
	if (
		bytes[0] === 0x89 &&
		ascii(bytes, 1, 3) === 'PNG' &&
		bytes[4] === 0x0d &&
		bytes[5] === 0x0a &&
		bytes[6] === 0x1a &&
		bytes[7] === 0x0a
	) {
		return 'png';
	}
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
	if (ascii(bytes, 4, 4) === 'ftyp') {
		const brand = ascii(bytes, 8, 4);
		if (brand === 'avif' || brand === 'avis') return 'avif';
		if (['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
	}
	return null;
}

/** sharp's prebuilt libvips decodes AVIF but not HEVC-coded HEIC (patents); say so clearly. */
function heicSupported(): boolean {
	const suffixes = sharp.format.heif?.input?.fileSuffix ?? [];
	return suffixes.includes('.heic');
}

export async function processImage(input: Uint8Array): Promise<ProcessedImage> {
	if (input.length === 0) throw new ImageRejectedError('empty');
	if (input.length > MAX_IMAGE_BYTES) throw new ImageRejectedError('too_large');
	const type = detectImageType(input);
	if (!type) throw new ImageRejectedError('unsupported_type');
	if (type === 'heic' && !heicSupported()) throw new ImageRejectedError('heic_unsupported');

	try {
		// Decode once, rotate by EXIF orientation, then every output is a fresh encode.
		const base = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
		const display = await base
			.clone()
			.resize(DISPLAY_SIZE, DISPLAY_SIZE, { fit: 'cover', position: 'attention' })
			.webp({ quality: 82 })
			.toBuffer({ resolveWithObject: true });
		const thumb = await base
			.clone()
			.resize(THUMB_SIZE, THUMB_SIZE, { fit: 'cover', position: 'attention' })
			.webp({ quality: 75 })
			.toBuffer();
		return {
			mime: 'image/webp',
			width: display.info.width,
			height: display.info.height,
			data: new Uint8Array(display.data),
			thumbMime: 'image/webp',
			thumb: new Uint8Array(thumb)
		};
	} catch {
		throw new ImageRejectedError('corrupt');
	}
}
