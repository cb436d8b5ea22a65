"""Thunk's runtime client for Python functions.

Runs inside an execution environment: loads the handler named by ``_HANDLER`` from ``LAMBDA_TASK_ROOT`` (the init
phase), then loops on the Lambda Runtime API (``AWS_LAMBDA_RUNTIME_API``, ``host:port``) running one invocation at
a time. Errors are reported with the same types, messages and JSON shapes as AWS's Python runtime (awslambdaric).

Start-up time is a headline figure, so this file imports only what it needs: ``http.client`` alone costs tens of
milliseconds (it pulls in ``email`` and ``ssl``), hence the small HTTP/1.1 client below over one persistent socket.
``logging`` is only configured if user code imports it (see ``_LoggingHook``). Launch with
``python3 -S -u bootstrap.py`` (which imports this module so that its bytecode is cached): ``-S`` skips the host's
site-packages (a function sees only its own code and layers, as on AWS), ``-u`` makes stdout/stderr unbuffered so
the server captures log lines as they are written.
"""

import _socket
import io
import json
import os
import sys
import time

_RUNTIME_FILE = "/" + os.path.basename(__file__)

_TRACE_ID = "_X_AMZN_TRACE_ID"

# The request id of the invocation in progress, for log lines ("" outside an invocation, like AWS).
_request_id = ""


class _Fault(Exception):
    """A runtime-detected failure with an AWS error type (Runtime.*), reported as is."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


class _ApiGone(Exception):
    """The Runtime API cannot be reached: the server is gone and this environment must end."""


# ---------------------------------------------------------------------------------------------------------------
# Runtime API client: HTTP/1.1 over one keep-alive TCP connection with TCP_NODELAY and no timeouts (the
# GET /next long poll must never time out).
#
# The outcome of an invocation and the GET /next that follows it go out in one write (HTTP/1.1 pipelining; the server
# answers them in order), so the server holds the next /next the moment it has the answer, without waiting for this
# process to read the 202 and ask again: one write and one wake-up fewer per invocation on each side.
# ---------------------------------------------------------------------------------------------------------------

_NEXT_REQUEST = ("GET", "/2018-06-01/runtime/invocation/next", None, None)
# The server's limit on a response (6 MB and 100 bytes); a larger one is answered 413 before it is read whole.
_MAX_RESPONSE = 6291556
# While an outcome and the GET /next behind it are both unanswered, the socket wakes this process only once more
# bytes have arrived than the server's answer to an outcome takes (SO_RCVLOWAT). That answer (a 202 of about 90
# bytes) arrives first, alone, and the next event can come much later: waking for the 202, reading it and sleeping
# again costs as much as the invocation's own work (a context switch; on a virtual machine, often an exit to the
# hypervisor). The mark is learnt: one more than the shortest answer to an outcome seen so far, so the two answers
# together always pass it, whatever the second is; a longer answer to the outcome (an error) or a closed
# connection wakes the process at once.
#
# Before it blocks, that wait spins: it reads without blocking, yielding the CPU between reads (so that the caller or
# the server, when ready on this CPU, runs first), for up to _SPIN_SECONDS from the write. A process that is running
# when its event arrives needs no wake-up, and on a virtual machine that halts an idle CPU the wake-up (an exit to
# the hypervisor on the writer's side and on this one) costs more than the rest of a warm invocation: spinning
# halves a warm invocation's round trip there. Whether to spin adapts like a spinning lock: only if the previous
# event came within the window, so an environment that waits long (a function invoked now and then, or one of many
# environments sharing few cores) does not spin at all. A spinning wait takes the 202 as soon as it is in, and
# spins on for the event: awake anyway, the process reads and parses the 202 while the event is still on its way,
# instead of after the event has come.


class _RuntimeApi:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self._host = host.strip("[]") or "127.0.0.1"
        self._port = int(port)
        self._host_header = address
        self._connection = None
        self._next_request = self._encode(*_NEXT_REQUEST)  # the same bytes every time
        # The shortest answer to the first of two pipelined requests, in bytes (None until one was read).
        self._shortest_first_answer = None

    def next_invocation(self):
        return self._send([self._next_request])[0]

    def post_response(self, request_id, body, content_type):
        return self._send([self._response_request(request_id, body, content_type)])[0]

    def post_response_then_next(self, request_id, body, content_type, answered):
        """Posts an invocation's response and asks for the next invocation; ``answered`` gets the post's answer as
        soon as it is read, before the next event is waited for. Returns the answer to GET /next."""
        return self._send([self._response_request(request_id, body, content_type), self._next_request], answered)[1]

    def post_invocation_error_then_next(self, request_id, error, answered):
        """Posts an invocation's error and asks for the next invocation, as post_response_then_next."""
        return self._send([self._error_request("/2018-06-01/runtime/invocation/" + request_id + "/error", error),
                           self._next_request], answered)[1]

    def post_init_error(self, error):
        return self._send([self._error_request("/2018-06-01/runtime/init/error", error)])[0]

    def _response_request(self, request_id, body, content_type):
        return self._encode("POST", "/2018-06-01/runtime/invocation/" + request_id + "/response", body,
                            {"Content-Type": content_type})

    def _error_request(self, path, error):
        body = json.dumps(error, ensure_ascii=False).encode("utf-8")
        return self._encode("POST", path, body, {"Content-Type": "application/json",
                                                 "Lambda-Runtime-Function-Error-Type": error["errorType"]})

    def _encode(self, method, path, body, headers):
        head = [method, " ", path, " HTTP/1.1\r\nHost: ", self._host_header, "\r\n"]
        if headers:
            for name, value in headers.items():
                head += [name, ": ", str(value).replace("\r", " ").replace("\n", " "), "\r\n"]
        if body is not None:
            head += ["Content-Length: ", str(len(body)), "\r\n"]
        head.append("\r\n")
        data = "".join(head).encode("latin-1", "replace")
        return data + body if body else data

    def _send(self, requests, first_answered=None):
        """Sends the requests (encoded) in one write and reads their answers in order, handing the first to
        ``first_answered`` as soon as it is read. A kept-alive connection the server had closed gets one retry, on a
        fresh connection, of the requests not yet answered."""
        answers = []
        retried = False
        while len(answers) < len(requests):
            reused = self._connection is not None
            try:
                if self._connection is None:
                    self._connection = _Connection(self._host, self._port)
                connection = self._connection
                connection.sendall(b"".join(requests[len(answers):]))
                first = len(answers)
                pipelined = len(requests) - first > 1
                if pipelined and self._shortest_first_answer is not None:
                    connection.await_more_than(self._shortest_first_answer)
                while len(answers) < len(requests) and self._connection is connection:
                    if pipelined and len(answers) > first:
                        connection.await_rest()
                    answers.append(self._read_answer(connection))
                    if pipelined and len(answers) == first + 1:
                        size = connection.consumed_by_last_answer
                        if self._shortest_first_answer is None or size < self._shortest_first_answer:
                            self._shortest_first_answer = size
                    if len(answers) == 1 and first_answered is not None:
                        first_answered(answers[0])
            except (OSError, _StaleConnection):
                self._close()
                if not reused or retried:
                    raise _ApiGone("Runtime API at %s:%d is unreachable" % (self._host, self._port))
                retried = True
        return answers

    def _read_answer(self, connection):
        connection.consumed_by_last_answer = 0
        status_line = connection.readline()
        if not status_line:
            raise _StaleConnection()
        status = int(status_line.split(None, 2)[1])
        headers = {}
        while True:
            line = connection.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = _read_chunked(connection)
        elif "content-length" in headers:
            body = connection.read(int(headers["content-length"]))
        elif status in (204, 304) or status < 200:
            body = b""
        else:
            body = connection.read_to_end()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self._close()  # requests pipelined behind this one are sent again on a new connection
        return status, headers, body

    def _close(self):
        if self._connection is not None:
            self._connection.close()
        self._connection = None


class _StaleConnection(Exception):
    pass


_SO_RCVLOWAT = getattr(_socket, "SO_RCVLOWAT", None)
_yield = getattr(os, "sched_yield", None)
# No spinning where the CPU cannot be yielded, nor where the wake-up mark is missing (the waits then just block).
_SPIN_SECONDS = 0.0002 if _yield and _SO_RCVLOWAT is not None else 0.0
_clock = time.perf_counter


class _SocketStream(io.RawIOBase):
    """The raw stream under _Connection's buffered reader: what socket.makefile() builds, without importing the
    socket module. While ``nonblocking`` is set, a read with nothing to read returns None (as RawIOBase has it), and
    the reader's peek() then returns nothing instead of waiting."""

    def __init__(self, sock):
        self._sock = sock
        self.nonblocking = False

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.nonblocking:
            try:
                return self._sock.recv_into(buffer, 0, _socket.MSG_DONTWAIT)
            except BlockingIOError:
                return None
        return self._sock.recv_into(buffer)


class _Connection:
    """A TCP connection read through io.BufferedReader, whose readline and read run in C. Built on _socket: the
    socket module alone costs ~5 ms to import."""

    def __init__(self, host, port):
        error = OSError("no address for %s" % host)
        if host.isascii():
            host = host.encode("ascii")  # a str host would import the idna codec
        for family, kind, proto, _, address in _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM):
            sock = _socket.socket(family, kind, proto)
            try:
                sock.connect(address)
            except OSError as e:
                sock.close()
                error = e
                continue
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
            self._sock = sock
            self.consumed_by_last_answer = 0  # bytes of the answer read last, status line to body
            self.spin = _SPIN_SECONDS > 0  # whether the next wait for an event spins first
            self.sent_at = 0.0  # when the last request was written
            self._stream = _SocketStream(sock)
            self._reader = io.BufferedReader(self._stream, 65536)
            return
        raise error

    def sendall(self, data):
        self._sock.sendall(data)
        self.sent_at = _clock()

    def await_more_than(self, size):
        """Waits for the answers to pipelined requests: while events come quickly, by spinning until the first bytes
        are in (await_rest() then spins on for the rest); otherwise, or once the spin's window has passed, by
        blocking until more than ``size`` bytes have arrived (or the connection ends), without reading them. That
        wait peeks: Linux counts the mark in bytes not yet read, so bytes already taken out of the socket would not
        count. The mark is lowered again at once: a rest of an answer shorter than it must not wait for more."""
        if _SO_RCVLOWAT is None:
            return
        if self.spin and self._spin_until_readable():
            return
        sock = self._sock
        sent = self.sent_at
        try:
            sock.setsockopt(_socket.SOL_SOCKET, _SO_RCVLOWAT, size + 1)
        except OSError:
            return
        try:
            sock.recv(size + 1, _socket.MSG_PEEK)
        finally:
            sock.setsockopt(_socket.SOL_SOCKET, _SO_RCVLOWAT, 1)
            self.spin = _clock() - sent < _SPIN_SECONDS

    def await_rest(self):
        """Before reading an answer after the first to pipelined requests: while spinning, spins on until its first
        bytes are in. If the window passes first, the read that follows blocks, and the next wait does not spin."""
        if self.spin and not self._spin_until_readable():
            self.spin = False

    def _spin_until_readable(self):
        """Reads without blocking into the reader's buffer, yielding the CPU between reads, until it holds bytes not
        yet read (True) or _SPIN_SECONDS from the last write have passed (False). A closed connection spins out the
        window; the read after it sees the end."""
        reader = self._reader
        stream = self._stream
        deadline = self.sent_at + _SPIN_SECONDS
        stream.nonblocking = True
        try:
            while True:
                try:
                    if reader.peek(1):
                        return True
                except BlockingIOError:
                    pass  # CPython's reader returns nothing instead; another may raise
                if _clock() >= deadline:
                    return False
                _yield()
        finally:
            stream.nonblocking = False

    def readline(self):
        line = self._reader.readline(65537)
        if len(line) > 65536:
            raise _StaleConnection()  # not HTTP
        self.consumed_by_last_answer += len(line)
        return line

    def read(self, length):
        data = self._reader.read(length)
        if len(data) < length:
            raise _StaleConnection()
        self.consumed_by_last_answer += length
        return data

    def read_to_end(self):
        data = self._reader.read()
        self.consumed_by_last_answer += len(data)
        return data

    def close(self):
        try:
            self._sock.close()
        except OSError:
            pass


def _read_chunked(connection):
    parts = []
    while True:
        size_line = connection.readline()
        if not size_line:
            raise _StaleConnection()
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while connection.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(parts)
        parts.append(connection.read(size))
        connection.readline()


# ---------------------------------------------------------------------------------------------------------------
# Handler loading (init phase)
# ---------------------------------------------------------------------------------------------------------------

def _set_sys_path(task_root):
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and sys.path[0] in (here, ""):
        del sys.path[0]  # the runtime's own directory must not shadow user modules
    opt_root = os.environ.get("THUNK_OPT_ROOT") or "/opt"
    opt_site = "%s/python/lib/python%d.%d/site-packages" % (opt_root, sys.version_info[0], sys.version_info[1])
    front = [task_root] + [p for p in (opt_site, opt_root + "/python") if os.path.isdir(p)]
    sys.path[0:0] = front
    # With -S no site directory is processed; a layer that relies on .pth files still gets them.
    try:
        if any(name.endswith(".pth") for name in os.listdir(opt_site)):
            import site
            site.addsitedir(opt_site)
    except OSError:
        pass


def _load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise _Fault("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise _Fault("Runtime.BuiltInModuleConflict",
                         "Cannot use built-in module {} as a handler module".format(modname))
        name = modname.replace("/", ".")
        __import__(name)
        module = sys.modules[name]
    except ImportError as e:
        raise _Fault("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise _Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(modname, str(e)),
                     trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise _Fault("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname))


# ---------------------------------------------------------------------------------------------------------------
# Errors, in awslambdaric's shapes
# ---------------------------------------------------------------------------------------------------------------

def _make_error(message, error_type, trace, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": trace or [],
    }


def _error_from_exception(exc_info, request_id=None):
    import traceback
    etype, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if not frame.filename.endswith(_RUNTIME_FILE):  # drop this runtime's own frames
            frames = frames[i:]
            break
    return _make_error(str(value), etype.__name__, traceback.format_list(frames), request_id)


def _log_error(error):
    # One log record: lines joined by \r as AWS does, indentation made of no-break spaces.
    description = "[ERROR]"
    if error["errorType"]:
        description += " " + error["errorType"]
    if error["errorMessage"]:
        description += (":" if error["errorType"] else "") + " " + error["errorMessage"]
    lines = [description, "Traceback (most recent call last):"]
    for element in error["stackTrace"]:
        for line in element.splitlines() or [""]:
            stripped = line.lstrip(" ")
            lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    sys.stdout.write("\r".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------------------------
# The context object handed to the handler
# ---------------------------------------------------------------------------------------------------------------

class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def _object_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field))
    return obj


class LambdaContext:
    def __init__(self, request_id, headers):
        env = os.environ
        self.aws_request_id = request_id
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.tenant_id = headers.get("lambda-runtime-aws-tenant-id")
        client_context = _parse_json_header(headers.get("lambda-runtime-client-context"), "Client Context")
        self.client_context = _object_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _object_from_dict(Client, self.client_context.client)
        identity = _parse_json_header(headers.get("lambda-runtime-cognito-identity"), "Cognito Identity")
        self.identity = _object_from_dict(CognitoIdentity, {})
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms") or 0)

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))


def _parse_json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise _Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse {} JSON: {}".format(name, str(e)))


# ---------------------------------------------------------------------------------------------------------------
# Logging: AWS installs a root handler writing "[LEVEL]\t<time>\t<request id>\t<message>". Importing logging costs
# more than the rest of start-up, so the handler is installed the moment user code imports logging.
# ---------------------------------------------------------------------------------------------------------------

class _LoggingHook:
    """A meta-path finder that wraps the loading of ``logging`` to configure it right after it executes."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        from _frozen_importlib_external import PathFinder
        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _ConfiguringLoader(spec.loader)
        return spec


class _ConfiguringLoader:
    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        try:
            _configure_logging(module)
        except Exception:
            pass  # a user module that shadows the standard library's logging is left alone


def _configure_logging(logging):
    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            try:
                sys.stdout.write(self.format(record))
            except Exception:
                self.handleError(record)

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _request_id
            return True

    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


# ---------------------------------------------------------------------------------------------------------------
# Invocation loop
# ---------------------------------------------------------------------------------------------------------------

def _json_default(obj):
    if type(obj).__name__ == "Decimal" and type(obj).__module__ in ("decimal", "_decimal", "_pydecimal"):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


# What json.dumps(result, ensure_ascii=False, default=_json_default) would use, built once: json.dumps with any
# option builds a new encoder at every call.
_RESULT_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default)


def _set_trace_id(trace_id):
    """Sets this invocation's _X_AMZN_TRACE_ID in os.environ (or removes it, for None) without calling setenv.
    glibc never frees a value setenv replaced, so a new trace id per invocation would leak about 140 bytes each time:
    tens of megabytes per 100,000 invocations of a warm environment, until its memory limit ends it. Python code sees
    the id as before (os.environ, os.getenv: the X-Ray SDK, botocore); native getenv and child processes that inherit
    the process environment do not."""
    environ = os.environ
    data = getattr(environ, "_data", None)
    if data is None:  # not CPython's os._Environ: the ordinary way
        if trace_id is None:
            environ.pop(_TRACE_ID, None)
        else:
            environ[_TRACE_ID] = trace_id
    elif trace_id is None:
        data.pop(environ.encodekey(_TRACE_ID), None)
    else:
        data[environ.encodekey(_TRACE_ID)] = environ.encodevalue(trace_id)


def _invoke(api, handler, headers, body):
    """Runs one invocation, reports its outcome and returns the next invocation's answer to GET /next."""
    global _request_id
    request_id = headers.get("lambda-runtime-aws-request-id", "")
    _request_id = request_id
    _set_trace_id(headers.get("lambda-runtime-trace-id"))

    error = None
    try:
        context = LambdaContext(request_id, headers)
        content_type = headers.get("content-type", "application/json")
        if not content_type or content_type.startswith("application/json"):
            try:
                event = json.loads(body.decode("utf-8")) if body else None
            except Exception as e:
                raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: {}".format(str(e)))
        else:
            event = body
        result = handler(event, context)
        content_type = "application/json"
        if isinstance(result, bytes):
            payload, content_type = result, "application/unknown"  # passed through as is, like AWS
        else:
            try:
                payload = _RESULT_ENCODER.encode(result).encode("utf-8")
            except Exception as e:
                raise _Fault("Runtime.MarshalError", "Unable to marshal response: {}".format(str(e)))
    except _Fault as fault:
        error = _make_error(fault.message, fault.error_type, fault.trace, request_id)
    except Exception:
        error = _error_from_exception(sys.exc_info(), request_id)

    if error is not None:
        _log_error(error)
    # Everything the invocation printed belongs to its log: out before the outcome (and the next event) go.
    sys.stdout.flush()
    sys.stderr.flush()
    def answered(answer):
        if answer[0] >= 300:
            sys.stdout.write("[ERROR] Runtime API answered %d to the %s for request %s: %s\n"
                             % (answer[0], "error" if error else "response", request_id,
                                answer[2].decode("utf-8", "replace")))

    try:
        if error is not None:
            return api.post_invocation_error_then_next(request_id, error, answered)
        if len(payload) <= _MAX_RESPONSE:
            return api.post_response_then_next(request_id, payload, content_type, answered)
        # Refused with 413 (the caller gets Function.ResponseSizeTooLarge): logged before the next event is asked
        # for, so that the line stays in this invocation's log even when an event is already waiting.
        answered(api.post_response(request_id, payload, content_type))
        return api.next_invocation()
    finally:
        _request_id = ""


# ---------------------------------------------------------------------------------------------------------------
# Stem cell: started ahead of need with THUNK_STEM_CELL set, before any function is known. Everything above is
# imported and compiled; the cell then blocks until the server binds it to a function with one line of JSON on
# standard input, {"env": {...}}: the function's complete environment (its own variables and the reserved ones,
# among them AWS_LAMBDA_RUNTIME_API and LAMBDA_TASK_ROOT). From there on it runs exactly as a process started with
# that environment would. Standard input is a pipe only the server holds, so the binding needs no port and no
# credentials, and a server that goes away before binding closes it: the cell then exits.
# ---------------------------------------------------------------------------------------------------------------

def _await_binding():
    # Warm: the server binds only cells that said so (it empties the output before it becomes the function's log).
    sys.stdout.write("thunk: stem cell ready\n")
    sys.stdout.flush()
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(0, 65536)
        if not chunk:
            return False
        data += chunk
    environment = json.loads(data.decode("utf-8"))["env"]
    os.environ.clear()  # unsetenv/putenv too: child processes see the function's environment
    os.environ.update(environment)
    # Standard input of an environment is /dev/null, as for a process started normally.
    os.close(0)
    os.open(os.devnull, os.O_RDONLY)
    return True


def main():
    if os.environ.get("THUNK_STEM_CELL"):
        if not _await_binding():
            return 0  # released unbound
    try:
        address = os.environ["AWS_LAMBDA_RUNTIME_API"]
    except KeyError:
        sys.stderr.write("thunk_runtime: AWS_LAMBDA_RUNTIME_API is not set\n")
        return 1
    handler_name = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("_HANDLER", "")
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    try:
        os.chdir(task_root)
    except OSError:
        pass
    _set_sys_path(task_root)
    unbuffered = getattr(sys.stdout, "write_through", False)  # -u or PYTHONUNBUFFERED
    if not unbuffered:
        # Started without -u: flush per line so log lines still reach the server as they are written.
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)
    sys.meta_path.insert(0, _LoggingHook())
    api = _RuntimeApi(address)

    try:
        try:
            handler = _load_handler(handler_name)
            error = None
        except _Fault as fault:
            error = _make_error(fault.message, fault.error_type, fault.trace)
        except Exception:
            error = _error_from_exception(sys.exc_info())
        if error is not None:
            _log_error(error)
            api.post_init_error(error)
            return 1

        status, headers, body = api.next_invocation()
        while True:
            if status != 200:
                sys.stderr.write("thunk_runtime: GET /next answered %d: %s\n"
                                 % (status, body.decode("utf-8", "replace")))
                return 1
            status, headers, body = _invoke(api, handler, headers, body)
    except _ApiGone as gone:
        sys.stderr.write("thunk_runtime: %s; exiting\n" % gone)
        return 1


if __name__ == "__main__":
    sys.exit(main())
