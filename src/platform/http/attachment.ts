import type { FastifyReply } from 'fastify';

/**
 * Sends a stored file as a download: its sniffed type (never guessed by the browser), not cached,
 * and its name both as ASCII (old clients) and as UTF-8 (filename*, RFC 6266).
 */
export function sendAttachment(
  reply: FastifyReply,
  file: { filename: string; contentType: string; content: Buffer | Uint8Array },
) {
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    )
    .send(file.content);
}
