import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole request, connecting included, gives up after this long. */
  timeoutMs: number;
}

/** An HTTP answer of any status, or a failure to get one (refused, reset, timed out, bad URL). */
export type HttpResult = { ok: true; status: number; statusText: string; body: string } | { ok: false; error: string };

/**
 * Blocking HTTP, for code that must answer synchronously (a Converter). Implementations must not
 * throw for transport failures: they return `{ ok: false }` so the caller can try another server.
 */
export interface SyncHttpTransport {
  request(req: HttpRequest): HttpResult;
}

// Runs in the helper thread: fetch() there, answer on the port, then wake the waiting caller.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
function reason(err) {
  if (err && err.name === 'TimeoutError') return 'timed out';
  const cause = err && err.cause;
  if (cause && cause.message) return cause.message;
  return String((err && err.message) || err);
}
port.on('message', async (req) => {
  let answer;
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs) });
    answer = { seq: req.seq, ok: true, status: res.status, statusText: res.statusText, body: await res.text() };
  } catch (err) {
    answer = { seq: req.seq, ok: false, error: reason(err) };
  }
  port.postMessage(answer);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/**
 * SyncHttpTransport on Node's fetch in a helper thread: the caller posts the request and sleeps on
 * a shared counter (Atomics.wait) until the helper has answered. The calling thread is blocked for
 * the length of the request, as a Java converter's task thread is, so callers cache what they fetch
 * and call rarely. The thread is started on first use, shared by the process, and never keeps it
 * alive. Anything the same thread serves (an in-process HTTP server) cannot answer while it waits.
 */
export class WorkerThreadHttp implements SyncHttpTransport {
  private static shared: WorkerThreadHttp | undefined;
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;

  /** The process-wide instance. */
  static instance(): WorkerThreadHttp {
    return (WorkerThreadHttp.shared ??= new WorkerThreadHttp());
  }

  request(req: HttpRequest): HttpResult {
    const port = this.start();
    const seq = ++this.seq;
    port.postMessage({ ...req, seq });
    // The helper also aborts at timeoutMs; the margin only covers a helper that died.
    const deadline = Date.now() + req.timeoutMs + 5000;
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const answer = m.message as HttpResult & { seq: number };
        if (answer.seq !== seq) continue; // the answer to a request given up on earlier
        const { seq: _seq, ...result } = answer;
        return result as HttpResult;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        this.stop();
        return { ok: false, error: `no answer within ${req.timeoutMs} ms` };
      }
      Atomics.wait(this.flag, 0, seen, remaining);
    }
  }

  /** Ends the helper thread; the next request starts a new one. */
  stop(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = undefined;
    this.port = undefined;
  }

  private start(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag: this.flag }, transferList: [port2] });
    worker.unref();
    port1.unref();
    const forget = () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.port = undefined;
      }
    };
    worker.on('error', forget);
    worker.on('exit', forget);
    this.worker = worker;
    this.port = port1;
    return port1;
  }
}
