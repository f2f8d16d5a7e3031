import { maskRecipient, smsText, type Channel, type OutgoingMessage, type Sender } from './model';

/** A pino/Fastify-style logger, or anything with `info`. */
export interface LineLogger {
  info(object: Record<string, unknown>, message: string): void;
}

/** A stream that takes text lines (process.stdout, a test's collector). */
export interface LineStream {
  write(line: string): unknown;
}

/**
 * The demo sender: writes one line per message to the log (or a stream) instead of handing it to
 * an SMS gateway or mail relay. The recipient is masked, as in every other log line.
 */
export class ConsoleSender implements Sender {
  constructor(
    readonly channel: Channel,
    private readonly sink: LineLogger | LineStream = process.stdout,
  ) {}

  async send(message: OutgoingMessage): Promise<{ reference: string }> {
    const to = maskRecipient(message.channel, message.recipient);
    const text =
      message.channel === 'sms'
        ? smsText(message)
        : `${message.title.zh} / ${message.title.en}: ${message.body.zh}`;
    if ('info' in this.sink) {
      this.sink.info(
        { channel: message.channel, to, outboxId: message.id, attempt: message.attempt, text },
        `${message.channel} sent (console)`,
      );
    } else {
      this.sink.write(`[${message.channel}] to ${to} (${message.id}): ${text}\n`);
    }
    return { reference: `console:${message.id}` };
  }
}
