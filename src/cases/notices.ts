import QRCode from 'qrcode';

// Printable notices (受理通知书, 补正材料通知书, 不予受理决定书) carry a QR code that opens the
// application's public status page; the page itself is in the web app at /status/<token>.

/** The absolute address of a status path on the platform the caller reached. */
export function statusUrl(origin: string, statusPath: string): string {
  return new URL(statusPath, origin).toString();
}

/** The QR code of an address as SVG markup (medium error correction, quiet zone of 2 modules). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** Adds the status page's address and its QR code to a notice. */
export async function withQr<T extends { statusPath: string }>(
  notice: T,
  origin: string,
): Promise<T & { statusUrl: string; qrSvg: string }> {
  const url = statusUrl(origin, notice.statusPath);
  return { ...notice, statusUrl: url, qrSvg: await qrSvg(url) };
}
