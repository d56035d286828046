import QRCode from 'qrcode';

/**
 * A link as a QR code (an SVG data URL), for whoever holds up a phone to it: a guest's invite,
 * a student's personal link. Made on the server, shown once beside the link.
 */
export async function qrDataUrl(link: string): Promise<string> {
	const svg = await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
