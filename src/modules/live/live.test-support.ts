/** Test support for live updates: a minimal Server-Sent Events reader over real HTTP. */
import http from 'node:http';

export interface SseFrame {
  id?: string;
  event: string;
  data: unknown;
  retry?: number;
}

/** One open GET /api/live: its status, headers, frames received so far, and whether it ended. */
export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body when the server did not open a stream (an error). */
  body: string;
  frames: SseFrame[];
  comments: number;
  ended: boolean;
  close(): void;
  /** Types of the frames received, in order. */
  types(): string[];
}

function parse(block: string, stream: SseStream): void {
  const frame: Partial<SseFrame> & { dataLines: string[] } = { dataLines: [] };
  let onlyComments = true;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    onlyComments = false;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') frame.dataLines.push(value);
    else if (field === 'retry') frame.retry = Number(value);
  }
  if (onlyComments) {
    stream.comments++;
    return;
  }
  if (frame.dataLines.length === 0) return;
  stream.frames.push({
    ...(frame.id ? { id: frame.id } : {}),
    ...(frame.retry !== undefined ? { retry: frame.retry } : {}),
    event: frame.event ?? 'message',
    data: JSON.parse(frame.dataLines.join('\n')),
  });
}

/** Opens GET `path` on 127.0.0.1:`port`; resolves once the status line and headers are in. */
export function openSse(port: number, path: string, headers: Record<string, string>): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const stream: SseStream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: '',
        frames: [],
        comments: 0,
        ended: false,
        close: () => request.destroy(),
        types: () => stream.frames.map((f) => f.event),
      };
      let pending = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (stream.status !== 200) {
          stream.body += chunk;
          return;
        }
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          parse(pending.slice(0, end), stream);
          pending = pending.slice(end + 2);
        }
      });
      response.on('error', () => {
        stream.ended = true;
      });
      response.on('end', () => {
        stream.ended = true;
      });
      response.on('close', () => {
        stream.ended = true;
      });
      resolve(stream);
    });
    request.on('error', reject);
  });
}
