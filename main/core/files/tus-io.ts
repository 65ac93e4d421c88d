// What tus-js-client reads and sends with in the core. Reads: each chunk is a fresh file stream
// over its byte range (random access, nothing buffered), passed through the upload speed limit.
// Requests: node:http with a timeout, so a connection that goes silent fails and is retried
// instead of hanging (tus-js-client's own Node stack waits forever).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pipeline, Readable } from 'node:stream';
import type { FileReader, HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import type { UploadThrottle } from './throttle';

/** The `file` handed to tus Upload: a path and its size (known from hashing). */
export type LocalFile = { path: string; size: number };

const READ_BYTES = 256 * 1024;
/** No byte moving either way for this long: the request is given up (and retried). */
const IDLE_TIMEOUT_MS = 30_000;
/** Answers to tus requests are small (headers, an error); more is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

export class ThrottledFileReader implements FileReader {
  constructor(private readonly throttle: UploadThrottle) {}

  async openFile(input: unknown): Promise<{
    size: number;
    slice(start: number, end: number): Promise<{ value: Readable & { size: number }; done: boolean }>;
    close(): void;
  }> {
    const file = input as LocalFile;
    const throttle = this.throttle;
    return {
      size: file.size,
      async slice(start, end) {
        const last = Math.min(end, file.size);
        const read = fs.createReadStream(file.path, {
          start,
          end: Math.max(start, last - 1),
          highWaterMark: READ_BYTES,
        });
        // pipeline: when the request stops early, the file stream is closed too.
        const body = pipeline(read, throttle.stream(), () => undefined) as unknown as Readable & { size: number };
        // The HTTP stack sends Content-Length from `size`.
        body.size = last - start;
        return { value: body, done: last >= file.size };
      },
      close() {},
    };
  }
}

export class NodeHttpStack implements HttpStack {
  createRequest(method: string, url: string): HttpRequest {
    return new NodeRequest(method, url);
  }

  getName(): string {
    return 'QixinNodeHttpStack';
  }
}

class NodeRequest implements HttpRequest {
  private readonly headers: Record<string, string> = {};
  private progress: (bytesSent: number) => void = () => undefined;
  private request: http.ClientRequest | null = null;

  constructor(
    private readonly method: string,
    private readonly url: string,
  ) {}

  getMethod(): string {
    return this.method;
  }

  getURL(): string {
    return this.url;
  }

  setHeader(header: string, value: string): void {
    this.headers[header] = value;
  }

  getHeader(header: string): string | undefined {
    return this.headers[header];
  }

  setProgressHandler(handler: (bytesSent: number) => void): void {
    this.progress = handler;
  }

  send(body: unknown = null): Promise<HttpResponse> {
    const url = new URL(this.url);
    const headers: http.OutgoingHttpHeaders = { ...this.headers };
    const stream = body instanceof Readable ? (body as Readable & { size?: number }) : null;
    if (stream) headers['Content-Length'] = stream.size ?? 0;
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method: this.method,
        headers,
        timeout: IDLE_TIMEOUT_MS,
      });
      this.request = req;
      req.once('timeout', () => req.destroy(new Error(`no answer within ${IDLE_TIMEOUT_MS / 1000} s`)));
      req.once('error', (err) => {
        stream?.destroy();
        reject(err);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.once('end', () => {
          resolve(new NodeResponse(res, Buffer.concat(chunks).toString('utf8')));
          // An answer before the whole chunk went out (an error): this connection is done.
          if (!req.writableFinished) req.destroy();
        });
        res.once('error', reject);
        if (stream && !stream.readableEnded) {
          stream.unpipe(req);
          stream.destroy();
        }
      });
      if (!stream) {
        req.end();
        return;
      }
      let sent = 0;
      stream.on('data', (chunk: Buffer) => {
        sent += chunk.length;
        this.progress(sent);
      });
      stream.once('error', (err) => req.destroy(err));
      stream.pipe(req);
    });
  }

  abort(): Promise<void> {
    this.request?.destroy(new Error('aborted'));
    return Promise.resolve();
  }

  getUnderlyingObject(): unknown {
    return this.request;
  }
}

class NodeResponse implements HttpResponse {
  constructor(
    private readonly res: http.IncomingMessage,
    private readonly body: string,
  ) {}

  getStatus(): number {
    return this.res.statusCode ?? 0;
  }

  getHeader(header: string): string | undefined {
    const value = this.res.headers[header.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  getBody(): string {
    return this.body;
  }

  getUnderlyingObject(): unknown {
    return this.res;
  }
}
