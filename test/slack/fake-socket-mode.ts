import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One WebSocket connection from the app, with just the framing Socket Mode needs (RFC 6455, text, ping, close). */
class Connection extends EventEmitter {
  private buf = Buffer.alloc(0);
  constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.parse();
    });
    socket.on('close', () => this.emit('close'));
    socket.on('error', () => undefined);
  }

  private parse(): void {
    for (;;) {
      const b = this.buf;
      if (b.length < 2) return;
      const op = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      const maskAt = off;
      if (masked) off += 4;
      if (b.length < off + len) return;
      let payload = Buffer.from(b.subarray(off, off + len));
      if (masked) payload = Buffer.from(payload.map((x, i) => x ^ b[maskAt + (i % 4)]!));
      this.buf = b.subarray(off + len);
      if (op === 0x1) this.emit('message', JSON.parse(payload.toString('utf8')) as unknown);
      else if (op === 0x9) this.frame(0xa, payload);
      else if (op === 0x8) {
        this.frame(0x8, payload.subarray(0, 2));
        this.socket.end();
      }
    }
  }

  private frame(op: number, payload: Buffer): void {
    const n = payload.length;
    const head =
      n < 126
        ? Buffer.from([0x80 | op, n])
        : n < 65536
          ? Buffer.from([0x80 | op, 126, n >> 8, n & 0xff])
          : Buffer.concat([Buffer.from([0x80 | op, 127]), Buffer.alloc(8)]);
    if (n >= 65536) head.writeBigUInt64BE(BigInt(n), 2);
    this.socket.write(Buffer.concat([head, payload]));
  }

  send(message: unknown): void {
    this.frame(0x1, Buffer.from(JSON.stringify(message), 'utf8'));
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * Slack's Socket Mode side, for the fake Web API: `apps.connections.open` hands out a ws:// URL on the same
 * server, the connection is greeted with `hello`, and envelopes can be pushed and their acks awaited.
 */
export class FakeSocketMode {
  private conn: Connection | undefined;
  private readonly acks = new Map<string, (ack: Record<string, unknown>) => void>();
  private readonly received: Array<Record<string, unknown>> = [];
  readonly connected: Promise<void>;
  private onConnected: () => void = () => undefined;

  constructor(readonly appToken: string) {
    this.connected = new Promise((resolve) => (this.onConnected = resolve));
  }

  /** Handles an HTTP upgrade to the socket URL. */
  upgrade(req: IncomingMessage, socket: Duplex): void {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const conn = new Connection(socket);
    this.conn = conn;
    conn.on('message', (m: Record<string, unknown>) => {
      this.received.push(m);
      const id = typeof m.envelope_id === 'string' ? m.envelope_id : '';
      this.acks.get(id)?.(m);
      this.acks.delete(id);
    });
    conn.send({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: 'A111' },
    });
    this.onConnected();
  }

  /** Pushes an envelope (slash_commands, interactive, events_api) and resolves with the app's ack. */
  push(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown): Promise<Record<string, unknown>> {
    const envelopeId = randomUUID();
    const acked = new Promise<Record<string, unknown>>((resolve) => this.acks.set(envelopeId, resolve));
    if (!this.conn) throw new Error('the app is not connected');
    this.conn.send({
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: type !== 'events_api',
      retry_attempt: 0,
      retry_reason: '',
    });
    return acked;
  }

  close(): void {
    this.conn?.close();
  }
}
