'use strict';
/*
 * Thunk's runtime client for Node.js functions (Node 18+, core modules only).
 *
 * Runs inside an execution environment: loads the handler named by _HANDLER from LAMBDA_TASK_ROOT (the init
 * phase), then loops on the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API, "host:port") running one invocation at a
 * time. Handler resolution, the context object, callback and promise semantics, console log lines and error
 * shapes follow AWS's Node.js runtime.
 *
 * This entry point is CommonJS on purpose: node starts a .cjs entry measurably faster than an .mjs one, and ES
 * module handlers are still loaded with a dynamic import().
 *
 * Launch: /usr/bin/node thunk_runtime.cjs, with no V8 heap flags (--max-old-space-size and --max-semi-space-size
 * each add ~10 ms to start-up), and NODE_PATH=<opt>/nodejs/node<major>/node_modules:<opt>/nodejs/node_modules:
 * <task root> set beforehand (CommonJS reads NODE_PATH once, at start-up; see ensureNodePath for the fallback).
 */

const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { Writable } = require('node:stream');

// ----------------------------------------------------------------------------------------------------------------
// Errors, named and shaped like AWS's runtime errors
// ----------------------------------------------------------------------------------------------------------------

class ExtendedError extends Error {
  constructor(reason) {
    super(reason);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
class ImportModuleError extends ExtendedError {}
class HandlerNotFound extends ExtendedError {}
class MalformedHandlerName extends ExtendedError {}
class UserCodeSyntaxError extends ExtendedError {}
class UnhandledPromiseRejection extends ExtendedError {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
for (const type of [ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError,
  UnhandledPromiseRejection]) {
  type.prototype.name = `Runtime.${type.name}`;
}

/** An error as the Runtime API takes it: the JSON body, and the type for the error-type header (printable ASCII). */
function errorReport(error) {
  const body = toRapidResponse(error);
  let json;
  try {
    json = JSON.stringify(body);
  } catch (_ignored) {
    json = JSON.stringify({ errorType: String(body.errorType), errorMessage: String(body.errorMessage), trace: [] });
  }
  return { json, type: String(body.errorType).replace(/[^\x20-\x7E]/g, '?'), body };
}

function isError(value) {
  return util.types.isNativeError(value) || value instanceof Error;
}

/** The body posted to /error and /init/error. */
function toRapidResponse(error) {
  try {
    if (isError(error)) {
      return {
        errorType: String(error.name).replace(/\x7F/g, '%7F'),
        errorMessage: String(error.message).replace(/\x7F/g, '%7F'),
        trace: typeof error.stack === 'string' ? error.stack.replace(/\x7F/g, '%7F').split('\n') : [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch (_ignored) {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more '
        + 'of its message, name, and stack',
      trace: [],
    };
  }
}

/** The form errors take in log lines. */
function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => {
      if (!isError(value)) return value;
      const copy = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
      if (typeof value.stack === 'string') copy.stack = value.stack.split('\n');
      return copy;
    });
  } catch (_ignored) {
    return '\t' + String(error);
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Console: "<ISO time>\t<request id>\t<LEVEL>\t<message>", one line per call (newlines become \r), as on AWS.
// ----------------------------------------------------------------------------------------------------------------

let currentRequestId; // undefined outside an invocation; AWS prints it as "undefined"

function patchConsole() {
  const writer = (level) => (...args) => {
    const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}`;
    process.stdout.write(line.replace(/\n/g, '\r') + '\n');
  };
  console.trace = writer('TRACE');
  console.debug = writer('DEBUG');
  console.info = writer('INFO');
  console.log = writer('INFO');
  console.warn = writer('WARN');
  console.error = writer('ERROR');
  console.fatal = writer('FATAL');
}

// ----------------------------------------------------------------------------------------------------------------
// Runtime API client: one keep-alive connection, TCP_NODELAY, no timeouts (GET /next must never time out).
// ----------------------------------------------------------------------------------------------------------------

class RuntimeApiGone extends Error {}

const STREAM_ERROR_TYPE = 'Lambda-Runtime-Function-Error-Type';
const STREAM_ERROR_BODY = 'Lambda-Runtime-Function-Error-Body';

// The server's limit on a response (6 MB and 100 bytes); a larger one is answered 413 before it is read whole.
const MAX_RESPONSE = 6291556;
const NEXT = '/2018-06-01/runtime/invocation/next';

// How long, from the write, a wait for the next event keeps the event loop polling before it blocks (see
// RawConnection.spinWhileWaiting).
const SPIN_MS = 0.2;

/**
 * sched_yield(2), which JavaScript has no call for, through WASI: a tiny WebAssembly module whose one function calls
 * WASI's sched_yield, which Node.js implements with the system call. Loaded once (about 2 ms): by a stem cell as it
 * warms up, otherwise at the first spin. Null where it cannot be (a Node.js without WebAssembly or WASI): then the
 * client does not spin.
 */
let yieldCpu;
function cpuYield() {
  if (yieldCpu !== undefined) return yieldCpu;
  yieldCpu = null;
  const emitWarning = process.emitWarning;
  try {
    process.emitWarning = () => {}; // "WASI is an experimental feature" does not belong in the function's log
    const { WASI } = require('node:wasi');
    process.emitWarning = emitWarning;
    const name = (text) => [text.length, ...Buffer.from(text, 'latin1')];
    const section = (id, bytes) => [id, bytes.length, ...bytes];
    const wasm = Buffer.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
      ...section(1, [2, 0x60, 0, 1, 0x7f, 0x60, 0, 0]), // types: () -> i32 and () -> ()
      ...section(2, [1, ...name('wasi_snapshot_preview1'), ...name('sched_yield'), 0, 0]), // import func 0
      ...section(3, [1, 1]), // func 1 of type () -> ()
      ...section(5, [1, 0, 0]), // a memory of no pages: WASI wants one exported
      ...section(7, [2, ...name('yield'), 0, 1, ...name('memory'), 2, 0]),
      ...section(10, [1, 5, 0, 0x10, 0, 0x1a, 0x0b]), // func 1: call 0; drop; end
    ]);
    const wasi = new WASI({ version: 'preview1' });
    // Node.js 18 has no getImportObject(); its wasiImport is the same functions.
    const imports = wasi.getImportObject ? wasi.getImportObject() : { wasi_snapshot_preview1: wasi.wasiImport };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports);
    wasi.initialize(instance);
    yieldCpu = instance.exports.yield;
  } catch (_unavailable) {
    // no spinning, then
  } finally {
    process.emitWarning = emitWarning;
  }
  return yieldCpu;
}

class RuntimeApi {
  constructor(address) {
    const colon = address.lastIndexOf(':');
    this.host = address.substring(0, colon).replace(/^\[|\]$/g, '') || '127.0.0.1';
    this.port = Number(address.substring(colon + 1));
    this.connection = null;
  }

  nextInvocation() {
    return this.request('GET', NEXT);
  }

  postResponse(id, body) {
    return this.request('POST', `/2018-06-01/runtime/invocation/${id}/response`, body,
      { 'Content-Type': 'application/json' });
  }

  /**
   * Posts an invocation's response and asks for the next invocation in one write (HTTP/1.1 pipelining: the
   * server answers in order), so the server holds the next /next as soon as it has the answer. Returns both
   * answers' promises. A response over the limit goes alone: its 413 is logged before the next event is asked for.
   */
  postResponseThenNext(id, body) {
    if (Buffer.byteLength(body) > MAX_RESPONSE) {
      const answer = this.postResponse(id, body);
      return [answer, answer.then(() => this.nextInvocation(), () => this.nextInvocation())];
    }
    return this.pipelined(['POST', `/2018-06-01/runtime/invocation/${id}/response`, body,
      { 'Content-Type': 'application/json' }]);
  }

  /**
   * Starts a streamed response (Lambda-Runtime-Function-Response-Mode: streaming): writes the request's head and
   * returns the connection to write chunks on and the promise of the server's answer, which comes once the last
   * chunk is sent. Not retried: a stream cannot be sent twice.
   */
  startStreamedResponse(id, contentType) {
    if (this.connection === null) this.connection = new RawConnection(this.host, this.port);
    const connection = this.connection;
    const head = `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`
      + 'Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n'
      + `Content-Type: ${contentType}\r\nTrailer: ${STREAM_ERROR_TYPE}, ${STREAM_ERROR_BODY}\r\n\r\n`;
    const [answer] = connection.exchange(Buffer.from(head, 'latin1'), 1);
    return [connection, answer.catch((err) => {
      if (this.connection === connection) this.connection = null;
      connection.close();
      throw new RuntimeApiGone(`Runtime API ${this.host}:${this.port}: ${err.message}`);
    })];
  }

  /** Posts an invocation's error and asks for the next invocation in one write; returns both answers' promises. */
  postInvocationErrorThenNext(id, error) {
    return this.pipelined(this.errorRequest(`/2018-06-01/runtime/invocation/${id}/error`, error));
  }

  postInvocationError(id, error) {
    return this.request(...this.errorRequest(`/2018-06-01/runtime/invocation/${id}/error`, error));
  }

  postInitError(error) {
    return this.request(...this.errorRequest('/2018-06-01/runtime/init/error', error));
  }

  errorRequest(path, error) {
    const { json, type } = errorReport(error);
    return ['POST', path, json, { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': type }];
  }

  async request(method, path, body, headers) {
    try {
      return await this.once([[method, path, body, headers]])[0];
    } catch (err) {
      // A kept-alive connection the server had closed: one retry on a fresh connection.
      if (!err.reusedSocket) throw new RuntimeApiGone(`Runtime API ${this.host}:${this.port}: ${err.message}`);
    }
    try {
      return await this.once([[method, path, body, headers]])[0];
    } catch (err) {
      throw new RuntimeApiGone(`Runtime API ${this.host}:${this.port}: ${err.message}`);
    }
  }

  /** A request and GET /next in one write; returns both answers' promises. */
  pipelined(request) {
    const [answer, next] = this.once([request, ['GET', NEXT]]);
    const answered = answer.catch((err) => {
      // A kept-alive connection the server had closed: one retry on a fresh connection.
      if (!err.reusedSocket) throw new RuntimeApiGone(`Runtime API ${this.host}:${this.port}: ${err.message}`);
      return this.request(...request);
    });
    // The GET is lost when the server closes the connection after answering the request: ask again once that
    // answer is in.
    return [answered, next.catch(() => answered.then(() => this.nextInvocation()))];
  }

  /**
   * Requests on the kept-alive connection, opened on first use, in one write; one promise per answer. A plain
   * socket rather than node:http: the Runtime API is a handful of fixed requests, and the HTTP module's agent and
   * parser cost more than the rest of an invocation's work here.
   */
  once(requests) {
    const reused = this.connection !== null;
    if (!reused) this.connection = new RawConnection(this.host, this.port);
    const connection = this.connection;
    const bytes = [];
    for (const [method, path, body, headers] of requests) {
      let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
      for (const [name, value] of Object.entries(headers || {})) head += `${name}: ${value}\r\n`;
      const payload = body === undefined ? undefined : (Buffer.isBuffer(body) ? body : Buffer.from(body));
      head += `Content-Length: ${payload === undefined ? 0 : payload.length}\r\n\r\n`;
      bytes.push(Buffer.from(head, 'latin1'));
      if (payload !== undefined) bytes.push(payload);
    }
    const last = requests[requests.length - 1];
    const awaitingEvent = last[0] === 'GET' && last[1] === NEXT;
    const answers = connection.exchange(Buffer.concat(bytes), requests.length, awaitingEvent);
    return answers.map((answer) => answer.catch((err) => {
      if (this.connection === connection) this.connection = null;
      connection.close();
      err.reusedSocket = reused;
      throw err;
    }));
  }
}

/**
 * A kept-alive HTTP/1.1 connection to the Runtime API: requests may be pipelined, answers come in order;
 * Content-Length or chunked bodies.
 */
class RawConnection {
  constructor(host, port) {
    this.buffer = Buffer.alloc(0);
    this.waiting = [];
    this.failure = null;
    this.sentAt = 0; // when the last requests were written
    this.writes = 0; // how many times requests were written: a spin ends once its own are no longer the last
    this.awaitingEvent = false; // whether they end with a GET /next
    this.quickEvents = 0; // how many events in a row came within SPIN_MS of their write
    this.socket = net.createConnection({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Writes more of a request already begun (a streamed body); {@code done} runs once the bytes are sent. */
  write(bytes, done) {
    if (this.failure) {
      done(this.failure);
    } else {
      this.socket.write(bytes, done);
    }
  }

  /**
   * Writes {@code request} (one or more requests, the last a GET /next if {@code awaitingEvent}); returns a promise
   * for each of its {@code answers}.
   */
  exchange(request, answers, awaitingEvent = false) {
    const promises = [];
    for (let i = 0; i < answers; i++) {
      promises.push(new Promise((resolve, reject) => this.waiting.push({ resolve, reject })));
    }
    if (this.failure) {
      this.fail(this.failure);
    } else {
      this.socket.ref(); // an awaited answer keeps the process alive
      this.socket.write(request);
      this.writes++;
      this.sentAt = performance.now();
      this.awaitingEvent = awaitingEvent;
      if (awaitingEvent && this.quickEvents >= 2) this.spinWhileWaiting();
    }
    return promises;
  }

  /**
   * Keeps the event loop polling, without blocking, while the answers up to the next event are awaited, for up to
   * SPIN_MS from the write, yielding the CPU between polls (so that the caller or the server, when ready on this
   * CPU, runs first; a spin that does not yield keeps them waiting for the scheduler's slice). A process blocked in
   * epoll must be woken when its event arrives, and on a virtual machine that halts an idle CPU that wake-up costs
   * more than the rest of a warm invocation. Whether to spin adapts like a spinning lock: only once the last two
   * events came within the window, so an environment that waits long (a function invoked now and then, or one of
   * many environments sharing few cores) does not spin at all. Two, where the Python and Java clients ask for one:
   * a poll here is a turn of the event loop, dearer than theirs, and under load from many callers an environment's
   * events come quickly now and then, one at a time, which is not worth a spin.
   */
  spinWhileWaiting() {
    const yieldNow = cpuYield();
    if (!yieldNow) return;
    // The next invocation can run and write its own requests within the turn of the event loop that brought this
    // event: then this spin is over, and the one those requests start takes its place.
    const write = this.writes;
    const poll = () => {
      if (this.writes !== write || this.waiting.length === 0 || this.failure
        || performance.now() - this.sentAt >= SPIN_MS) return;
      yieldNow();
      setImmediate(poll);
    };
    setImmediate(poll);
  }

  fail(err) {
    if (!this.failure) this.failure = err;
    const waiting = this.waiting;
    this.waiting = [];
    for (const waiter of waiting) waiter.reject(this.failure);
  }

  close() {
    this.socket.destroy();
  }

  parse() {
    while (this.waiting.length > 0 && this.parseOne()) {
      // each complete answer goes to the oldest request waiting
    }
  }

  parseOne() {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const lines = this.buffer.toString('latin1', 0, end).split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon > 0) headers[lines[i].substring(0, colon).trim().toLowerCase()] = lines[i].substring(colon + 1).trim();
    }
    let body;
    let consumed;
    if ((headers['transfer-encoding'] || '').toLowerCase() === 'chunked') {
      const chunks = [];
      let at = end + 4;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return false;
        const size = parseInt(this.buffer.toString('latin1', at, lineEnd), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return false;
        if (size === 0) {
          consumed = lineEnd + 4;
          break;
        }
        chunks.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(chunks);
    } else {
      const length = Number(headers['content-length'] || 0);
      if (this.buffer.length < end + 4 + length) return false;
      body = Buffer.from(this.buffer.subarray(end + 4, end + 4 + length));
      consumed = end + 4 + length;
    }
    this.buffer = this.buffer.subarray(consumed);
    this.waiting.shift().resolve({ status, headers, body });
    // An idle connection must not keep the event loop alive: a callback-style handler answers only once the
    // loop is empty (callbackWaitsForEmptyEventLoop), as node:http's keep-alive agent lets idle sockets go.
    if (this.waiting.length === 0) {
      this.socket.unref();
      if (this.awaitingEvent) this.quickEvents = performance.now() - this.sentAt < SPIN_MS ? this.quickEvents + 1 : 0;
    }
    return true;
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Handler loading (init phase), tried in AWS's order
// ----------------------------------------------------------------------------------------------------------------

/** CommonJS reads NODE_PATH at start-up; when the server did not set it, add the layer directories and re-read. */
function ensureNodePath(appRoot) {
  const optRoot = process.env.THUNK_OPT_ROOT || '/opt';
  const major = process.versions.node.split('.')[0];
  const wanted = [`${optRoot}/nodejs/node${major}/node_modules`, `${optRoot}/nodejs/node_modules`, appRoot];
  const current = (process.env.NODE_PATH || '').split(path.delimiter).filter((p) => p);
  const missing = wanted.filter((p) => !current.includes(p));
  if (missing.length === 0) return;
  process.env.NODE_PATH = current.concat(missing).join(path.delimiter);
  const Module = require('node:module');
  if (typeof Module._initPaths === 'function') Module._initPaths();
}

function tryRequireFile(file, extension) {
  const candidate = file + (extension || '');
  return fs.existsSync(candidate) ? require(candidate) : undefined;
}

async function tryImportFile(file, extension) {
  const candidate = file + (extension || '');
  if (!fs.existsSync(candidate)) return undefined;
  const { pathToFileURL } = require('node:url');
  return import(pathToFileURL(candidate).href);
}

function folderHasTypeModule(folder) {
  for (;;) {
    if (folder.endsWith(`${path.sep}node_modules`)) return false;
    const packageJson = path.join(folder, 'package.json');
    if (fs.existsSync(packageJson)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
        return Boolean(pkg) && pkg.type === 'module';
      } catch (e) {
        console.warn(`${packageJson} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    const parent = path.dirname(folder);
    if (parent === folder) return false;
    folder = parent;
  }
}

async function loadModule(appRoot, moduleRoot, module) {
  const lambdaStylePath = path.resolve(appRoot, moduleRoot, module);
  const extensionless = tryRequireFile(lambdaStylePath);
  if (extensionless) return extensionless;

  const typeModule = fs.existsSync(lambdaStylePath + '.js')
    && folderHasTypeModule(path.dirname(lambdaStylePath + '.js'));
  if (!typeModule) {
    const commonJs = tryRequireFile(lambdaStylePath, '.js');
    if (commonJs) return commonJs;
  }
  const loaded = (typeModule && await tryImportFile(lambdaStylePath, '.js'))
    || await tryImportFile(lambdaStylePath, '.mjs')
    || tryRequireFile(lambdaStylePath, '.cjs');
  if (loaded) return loaded;

  // Last, node-style resolution (node_modules, NODE_PATH) relative to the task root rather than this file.
  return require(require.resolve(module, { paths: [appRoot, moduleRoot] }));
}

async function loadHandler(appRoot, fullHandler) {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(`'${fullHandler}' is not a valid handler name. Use absolute paths when `
      + 'specifying root directories in handler names.');
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = handlerString.match(/^([^.]*)\.(.*)$/);
  if (!match || match.length !== 3) throw new MalformedHandlerName('Bad handler');
  const [, module, handlerPath] = match;

  let userApp;
  try {
    userApp = await loadModule(appRoot, moduleRoot, module);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) throw new ImportModuleError(e);
    throw e;
  }
  const handler = handlerPath.split('.').reduce((nested, key) => nested && nested[key], userApp);
  if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return handler;
}

// ----------------------------------------------------------------------------------------------------------------
// Response streaming: AWS's awslambda global, and the stream a streaming handler writes its answer to
// ----------------------------------------------------------------------------------------------------------------

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const HTTP_INTEGRATION_TYPE = 'application/vnd.awslambda.http-integration-response';

/**
 * What AWS's Node.js runtime puts in globalThis.awslambda: streamifyResponse marks a handler
 * (event, responseStream, context) whose answer is streamed as it is written (its options' highWaterMark is the
 * stream's); HttpResponseStream.from starts a
 * stream with the status and headers of an HTTP answer (a JSON prelude, then eight zero bytes).
 */
function installAwsLambdaGlobal() {
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[STREAMING] = 'response';
      if (options && Number.isInteger(options.highWaterMark) && options.highWaterMark > 0) {
        handler[HIGH_WATER_MARK] = options.highWaterMark;
      }
      return handler;
    },
    HttpResponseStream: {
      from(stream, prelude) {
        stream.setContentType(HTTP_INTEGRATION_TYPE);
        stream.write(JSON.stringify(prelude || {}));
        stream.write(Buffer.alloc(8));
        return stream;
      },
    },
  };
}

/**
 * The writable stream a streaming handler answers through: each write is an HTTP chunk of one POST /response,
 * begun at the first write. Backpressure is the socket's. A failure after the first byte ends the body with the
 * error in trailers, as AWS's runtime does, once the writes before it are sent; before the first byte, the error is
 * reported as usual.
 */
class ResponseStream extends Writable {
  constructor(api, id, highWaterMark) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this.api = api;
    this.id = id;
    this.contentType = 'application/octet-stream';
    this.connection = null;
    this.answer = null;
    this.failure = null; // the trailers to end the body with
    this.terminated = false; // the body's last chunk is written
    this.abandoned = false; // its invocation was reported without it: it must never start a request
  }

  /** Its invocation was answered otherwise (an error before the first byte): later writes fail here. */
  abandon() {
    this.abandoned = true;
    this.destroy();
  }

  setContentType(type) {
    if (this.connection !== null) throw new Error('The content type must be set before the first write');
    this.contentType = String(type);
  }

  get started() {
    return this.connection !== null;
  }

  begin() {
    if (this.abandoned) throw new Error('The invocation of this response stream has ended');
    if (this.connection === null) {
      [this.connection, this.answer] = this.api.startStreamedResponse(this.id, this.contentType);
      this.answer.catch(() => {}); // awaited by the invocation; a failure here is reported there
    }
  }

  _write(chunk, encoding, callback) {
    try {
      this.begin();
    } catch (err) {
      callback(err);
      return;
    }
    if (chunk.length === 0) {
      callback();
      return;
    }
    this.connection.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk,
      Buffer.from('\r\n', 'latin1')]), callback);
  }

  _final(callback) {
    this.begin();
    this.terminate(callback);
  }

  /** The last chunk, with the failure's trailers if there is one; once. */
  terminate(callback) {
    if (this.terminated) {
      callback();
      return;
    }
    this.terminated = true;
    this.connection.write(Buffer.from(`0\r\n${this.failure || ''}\r\n`, 'latin1'), callback);
  }

  /**
   * Ends a begun body with {@code error} in its trailers, after the writes already made; returns the server's
   * answer. A body whose last chunk is already sent keeps its answer: the error is only logged.
   */
  failWith(error) {
    const report = errorReport(error);
    // Trailers share the server's 64 KiB header limit: a longer report keeps its type and the start of its message.
    const type = report.type.substring(0, 256);
    let json = report.json;
    if (Buffer.byteLength(json) > 40000) {
      const message = Buffer.from(String(report.body.errorMessage)).subarray(0, 16000).toString();
      json = JSON.stringify({ errorType: type, errorMessage: message, trace: [] });
    }
    this.failure = `${STREAM_ERROR_TYPE}: ${type}\r\n${STREAM_ERROR_BODY}: ${Buffer.from(json).toString('base64')}\r\n`;
    if (this.destroyed) {
      // Writes handed to the socket keep their order; those still buffered in the stream were dropped with it.
      this.terminate(() => {});
    } else if (!this.writableEnded) {
      this.end();
    }
    return this.answer;
  }
}

/**
 * Runs a streaming handler, as AWS's runtime does: an async handler gets (event, responseStream, context), and the
 * invocation ends when the handler's promise settled and the handler ended its stream (one it never ends runs into
 * the timeout). Resolves with the answer to the next GET /next.
 */
function invokeStreaming(api, handler, next, context, id, postError) {
  const stream = new ResponseStream(api, id, handler[HIGH_WATER_MARK]);
  // The invocation's outcome, once reported: the promise of the next GET /next's answer. Reported once; later
  // events of the stream (a write after the end, a late destroy) change nothing.
  let outcome = null;
  const report = (reporting) => {
    if (outcome === null) {
      onFatalUserError = (error, exitCode) => process.exit(exitCode); // nothing in progress to report it against
      outcome = reporting();
    }
    return outcome;
  };
  const fail = (err) => report(() => {
    console.error('Invoke Error', toFormatted(err));
    if (stream.started) {
      return stream.failWith(err).then(checkAnswer('response', id), fatal).then(() => api.nextInvocation());
    }
    stream.abandon();
    return Promise.resolve(postError(err));
  });
  const streamed = new Promise((resolve) => {
    stream.on('finish', resolve);
    stream.on('error', (err) => resolve(fail(err)));
    stream.on('close', () => {
      if (stream.writableFinished) return;
      if (outcome === null) {
        resolve(fail(new Error('The response stream was destroyed before it ended')));
      } else if (stream.started) {
        // Failed, then destroyed before its last chunk went: send it now, or the server waits for it.
        stream.terminate(() => {});
      }
    });
  });
  // An uncaught exception mid-stream: the error goes in the open body's trailers, not in a request of its own.
  onFatalUserError = (error, exitCode) => {
    const exit = () => process.exit(exitCode);
    (stream.started ? stream.failWith(error) : api.postInvocationError(id, error)).then(exit, exit);
  };
  const streamingContext = { ...context };
  for (const legacy of ['succeed', 'fail', 'done']) delete streamingContext[legacy];
  let running;
  try {
    running = handler(JSON.parse(next.body.toString('utf8')), stream, streamingContext);
  } catch (err) {
    return fail(err);
  }
  if (running === null || typeof running !== 'object' || typeof running.then !== 'function') {
    return fail(new Error('Streaming does not support non-async handlers.'));
  }
  return Promise.resolve(running).then(async () => {
    await streamed;
    return report(() => stream.answer.then((answer) => {
      checkAnswer('response', id)(answer);
      return api.nextInvocation();
    }));
  }, (err) => fail(err));
}

// ----------------------------------------------------------------------------------------------------------------
// Invocations
// ----------------------------------------------------------------------------------------------------------------

// Run when the event loop empties: completes a callback-style invocation (callbackWaitsForEmptyEventLoop).
let onEmptyEventLoop = () => {};
// Reports an uncaught exception or unhandled rejection against the invocation in progress, then exits.
let onFatalUserError = (error, exitCode) => process.exit(exitCode);

function parseJsonHeader(value) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch (_ignored) {
    return undefined;
  }
}

function fatal(err) {
  process.stderr.write(`thunk_runtime: ${err && err.message ? err.message : err}; exiting\n`);
  process.exit(1);
}

function checkAnswer(what, id) {
  return (answer) => {
    if (answer.status >= 300) {
      // e.g. 413 for a payload over the limit: the server reports it to the caller; log it and go on.
      console.error(`Runtime API answered ${answer.status} to the ${what} for request ${id}: ${answer.body}`);
    }
  };
}

const TRACE_ID = '_X_AMZN_TRACE_ID';

/**
 * Makes process.env keep _X_AMZN_TRACE_ID in JavaScript instead of the process environment. Assigning to
 * process.env calls setenv, and glibc never frees a value setenv replaced: a new trace id per invocation would leak
 * about 200 bytes each time, tens of megabytes per 100,000 invocations of a warm environment, until its memory limit
 * ends it. Everything else passes through to the real process.env. JavaScript sees the id as before (the X-Ray SDK,
 * the AWS SDK), and so do child processes started with the default environment (node builds theirs from
 * process.env); native getenv does not.
 */
function keepTraceIdInJavaScript() {
  const real = process.env;
  let traceId;
  const descriptor = () => ({ value: traceId, writable: true, enumerable: true, configurable: true });
  process.env = new Proxy(real, {
    get: (target, key) => (key === TRACE_ID ? traceId : target[key]),
    set: (target, key, value) => {
      if (key === TRACE_ID) traceId = String(value);
      else target[key] = value;
      return true;
    },
    has: (target, key) => (key === TRACE_ID ? traceId !== undefined : key in target),
    deleteProperty: (target, key) => {
      if (key === TRACE_ID) traceId = undefined;
      else delete target[key];
      return true;
    },
    ownKeys: (target) => {
      const keys = Reflect.ownKeys(target).filter((key) => key !== TRACE_ID);
      return traceId === undefined ? keys : keys.concat(TRACE_ID);
    },
    getOwnPropertyDescriptor: (target, key) => {
      if (key !== TRACE_ID) return Reflect.getOwnPropertyDescriptor(target, key);
      return traceId === undefined ? undefined : descriptor();
    },
    defineProperty: (target, key, property) => {
      if (key !== TRACE_ID) return Reflect.defineProperty(target, key, property);
      traceId = String(property.value);
      return true;
    },
  });
  if (real[TRACE_ID] !== undefined) {
    traceId = real[TRACE_ID];
    delete real[TRACE_ID];
  }
}

/** Runs one invocation, posts its outcome and resolves with the answer to the GET /next that follows it. */
function invoke(api, handler, next) {
  return new Promise((settled) => {
    const headers = next.headers;
    const id = headers['lambda-runtime-aws-request-id'];
    currentRequestId = id;
    if (headers['lambda-runtime-trace-id'] !== undefined) {
      process.env[TRACE_ID] = headers['lambda-runtime-trace-id'];
    } else {
      delete process.env[TRACE_ID];
    }

    let reported = false;
    const claim = () => {
      if (reported) {
        console.error('Invocation has already been reported as done. Cannot call complete more than once per '
          + 'invocation.');
        return false;
      }
      reported = true;
      onEmptyEventLoop = () => {};
      // Nothing is in progress to report a later uncaught exception against: the process ends at once (a report
      // for this id would wait behind the next GET /next on the connection).
      onFatalUserError = (error, exitCode) => process.exit(exitCode);
      return true;
    };
    const postError = (err, logged) => {
      if (!claim()) return;
      if (!logged) console.error('Invoke Error', toFormatted(err));
      const [answer, following] = api.postInvocationErrorThenNext(id, err);
      answer.then(checkAnswer('error', id), fatal);
      settled(following);
    };
    const postResult = (result) => {
      let body;
      try {
        body = JSON.stringify(result === undefined ? null : result);
      } catch (_ignored) {
        postError(new Error('Unable to stringify response body'));
        return;
      }
      if (!claim()) return;
      const [answer, following] = api.postResponseThenNext(id, body);
      answer.then(checkAnswer('response', id), fatal);
      settled(following);
    };

    let waitForEmptyEventLoop = true;
    const callback = (err, result) => {
      if (err) {
        postError(err);
      } else if (!waitForEmptyEventLoop) {
        postResult(result);
      } else {
        onEmptyEventLoop = () => setImmediate(() => postResult(result));
      }
    };
    const done = (err, result) => {
      waitForEmptyEventLoop = false;
      callback(err, result);
    };
    const deadline = Number(headers['lambda-runtime-deadline-ms']);
    const env = process.env;
    const context = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value) {
        waitForEmptyEventLoop = value;
      },
      succeed: (result) => done(null, result),
      fail: (err) => done(err === undefined || err === null ? 'handled' : err, null),
      done,
      clientContext: parseJsonHeader(headers['lambda-runtime-client-context']),
      identity: parseJsonHeader(headers['lambda-runtime-cognito-identity']),
      invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
      awsRequestId: id,
      getRemainingTimeInMillis: () => deadline - Date.now(),
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
      functionName: env.AWS_LAMBDA_FUNCTION_NAME,
      memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    };

    // A handler that neither returns a promise nor calls back answers null once the event loop is empty.
    onEmptyEventLoop = () => postResult(null);
    onFatalUserError = (error, exitCode) => {
      reported = true;
      api.postInvocationError(id, error).then(() => process.exit(exitCode), () => process.exit(exitCode));
    };
    if (handler[STREAMING] === 'response') {
      onEmptyEventLoop = () => {};
      const postErrorLogged = (err) => {
        postError(err, true);
        return undefined;
      };
      invokeStreaming(api, handler, next, context, id, postErrorLogged).then((following) => {
        if (following !== undefined && claim()) settled(following);
      }, fatal);
      return;
    }
    try {
      const result = handler(JSON.parse(next.body.toString('utf8')), context, callback);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        result.then(context.succeed, context.fail).catch(context.fail);
      }
    } catch (err) {
      callback(err);
    }
  });
}

// ----------------------------------------------------------------------------------------------------------------
// Stem cell: started ahead of need with THUNK_STEM_CELL set, before any function is known. Node.js has started and
// this file's modules are loaded; the cell then blocks until the server binds it to a function with one line of
// JSON on standard input, {"env": {...}}: the function's complete environment (its own variables and the reserved
// ones, among them AWS_LAMBDA_RUNTIME_API, LAMBDA_TASK_ROOT and NODE_PATH). From there on it runs exactly as a
// process started with that environment would. Standard input is a pipe only the server holds, so the binding
// needs no port and no credentials; a server that goes away before binding closes it, and the cell exits.
// ----------------------------------------------------------------------------------------------------------------

/** Runs the HTTP client's code once against a throwaway loopback server, so a bound cell's first request is warm. */
async function warmUp() {
  require('node:url'); // for ES module handlers
  cpuYield();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  const api = new RuntimeApi(`127.0.0.1:${server.address().port}`);
  try {
    await api.postResponse('warm-up', '{}');
  } finally {
    if (api.connection) api.connection.close();
    server.close();
  }
}

function awaitBinding() {
  // Warm: the server binds only cells that said so (it empties the output before it becomes the function's log).
  fs.writeSync(1, 'thunk: stem cell ready\n');
  const chunks = [];
  const buffer = Buffer.alloc(65536);
  for (;;) {
    let read;
    try {
      read = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (e) {
      if (e.code === 'EAGAIN') continue; // a non-blocking pipe: not what the server gives, but never wrong
      if (e.code === 'EOF') return false;
      throw e;
    }
    if (read === 0) return false;
    chunks.push(Buffer.from(buffer.subarray(0, read)));
    if (buffer[read - 1] === 10) break;
  }
  const environment = JSON.parse(Buffer.concat(chunks).toString('utf8')).env;
  // Assignments to process.env call setenv: child processes see the function's environment too.
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, environment);
  // CommonJS read NODE_PATH when this process started: read the function's now.
  const Module = require('node:module');
  if (typeof Module._initPaths === 'function') Module._initPaths();
  // Standard input of an environment is /dev/null, as for a process started normally (fd 0 is reused).
  fs.closeSync(0);
  fs.openSync('/dev/null', 'r');
  return true;
}

async function main() {
  if (process.env.THUNK_STEM_CELL) {
    await warmUp();
    if (!awaitBinding()) process.exit(0); // released unbound
  }
  const address = process.env.AWS_LAMBDA_RUNTIME_API;
  if (!address) fatal(new Error('AWS_LAMBDA_RUNTIME_API is not set'));
  const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const handlerName = process.argv[2] || process.env._HANDLER || '';
  try {
    process.chdir(appRoot);
  } catch (_ignored) {
    // the server normally starts the process in the task root already
  }
  ensureNodePath(appRoot);
  patchConsole();
  keepTraceIdInJavaScript();
  installAwsLambdaGlobal();
  const api = new RuntimeApi(address);

  process.on('beforeExit', () => {
    const listener = onEmptyEventLoop;
    onEmptyEventLoop = () => {};
    listener();
  });
  process.on('uncaughtException', (error) => {
    console.error('Uncaught Exception', toFormatted(error));
    onFatalUserError(error, 129);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason === undefined || reason === null ? reason
      : reason.toString(), promise);
    console.error('Unhandled Promise Rejection', toFormatted(error));
    onFatalUserError(error, 128);
  });
  onFatalUserError = (error, exitCode) => {
    api.postInitError(error).then(() => process.exit(exitCode), () => process.exit(exitCode));
  };

  let handler;
  try {
    handler = await loadHandler(appRoot, handlerName);
  } catch (error) {
    console.error('Uncaught Exception', toFormatted(error));
    await api.postInitError(error).catch(() => {});
    process.exit(129);
  }

  let next = await api.nextInvocation();
  for (;;) {
    if (next.status !== 200) throw new Error(`GET /next answered ${next.status}: ${next.body}`);
    next = await invoke(api, handler, next);
    currentRequestId = undefined;
  }
}

if (require.main === module) {
  main().catch(fatal);
} else {
  module.exports = { cpuYield }; // required by the client's own tests, never by a function
}
