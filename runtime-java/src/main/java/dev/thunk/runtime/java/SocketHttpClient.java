package dev.thunk.runtime.java;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A minimal HTTP/1.1 client over one kept-alive socket, for talking to the Runtime API on loopback.
 *
 * <p>Why not {@code java.net.http}: creating its client costs about 250 ms and hundreds of classes, more than the
 * whole cold-start budget. Why not {@code HttpURLConnection}: it drags in the URL handler, proxy and cookie
 * machinery. The Runtime API needs none of that: requests have a Content-Length, responses carry a
 * Content-Length or are chunked.
 *
 * <p>No read timeout is ever set: {@code GET /invocation/next} is a long poll that may wait for hours.
 *
 * <p>Not thread-safe: the runtime loop is its only user.
 */
final class SocketHttpClient implements Closeable {

    private static final byte[] NOTHING = new byte[0];

    /**
     * How long, from the request's write, a wait for the next event spins before it blocks in a read. A thread
     * blocked in a read must be woken when its answer arrives; on a virtual machine that halts an idle CPU, that
     * wake-up (an exit to the hypervisor on each side) costs more than the rest of a warm invocation. So the wait
     * first polls the socket, yielding the CPU between polls so that a caller or the server ready on the same CPU
     * runs first, and blocks only once the window has passed. Whether to spin adapts like a spinning lock: only if
     * the previous event came within the window, so an environment that waits long (a function invoked now and then,
     * or one of many environments sharing few cores) does not spin at all. The acknowledgement of a response posted
     * with its {@code GET /next} behind it is waited for the same way, as part of the wait for that event; a request
     * without a {@code GET /next} behind it never spins.
     */
    static final long SPIN_NANOS = 200_000;

    private final long spinNanos;

    private final String host;
    private final int port;
    private final String hostHeader;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** When the last request was sent: waits for its answers are measured from there. */
    private long sentAt;
    /** Whether the answer read next is an event (the answer to {@code GET /next}) rather than an acknowledgement. */
    private boolean awaitingEvent;
    /** Whether the waits for the answers to the last request spin (see {@link #SPIN_NANOS}). */
    private boolean spinning;
    /** Whether the last event came within {@link #SPIN_NANOS} of its request. */
    private boolean eventsComeQuickly = true;

    SocketHttpClient(String host, int port) {
        this(host, port, SPIN_NANOS);
    }

    /** @param spinNanos how long a wait for an event may spin (tests give it a window they cannot miss) */
    SocketHttpClient(String host, int port, long spinNanos) {
        this.spinNanos = spinNanos;
        this.host = host;
        this.port = port;
        this.hostHeader = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    HttpResponse get(String path) throws IOException {
        return exchange("GET", path, null, null, 0);
    }

    /** @param headers name/value pairs, flattened; may be null */
    HttpResponse post(String path, String[] headers, byte[] body, int length) throws IOException {
        return exchange("POST", path, headers, body, length);
    }

    /**
     * A POST and a GET in one write (HTTP pipelining): the runtime's answer and its next long poll, so the server
     * reads both at once instead of waking for each. {@code posted} gets the POST's answer as soon as it is read,
     * before the GET's is waited for. The GET is sent again, alone, when the server closed the connection after
     * answering the POST (it never read the GET then); a kept-alive connection that had closed before gets both
     * again, one at a time, on a fresh one.
     */
    HttpResponse postThenGet(String postPath, String[] headers, byte[] body, int length, String getPath,
                             Consumer<HttpResponse> posted) throws IOException {
        byte[] postHead = requestHead("POST", postPath, headers, length);
        byte[] getHead = requestHead("GET", getPath, null, 0);
        boolean reused = socket != null;
        HttpResponse answer;
        try {
            awaitingEvent = false;
            spinning = eventsComeQuickly;
            answer = sendThenRead(postHead, body, length, getHead);
        } catch (ResponseStartedException e) {
            throw e.io;
        } catch (IOException e) {
            if (!reused) {
                throw e;
            }
            // Nothing of the answer was read: most likely a kept-alive connection the server had closed, so neither
            // request reached it. Both go again, one at a time. (Should a reset have lost an answer the server had
            // sent, the repeated post is refused as not in progress, which is only logged, and the repeated GET
            // takes the lost one's place.)
            posted.accept(exchange("POST", postPath, headers, body, length));
            return get(getPath);
        }
        posted.accept(answer);
        if (socket == null) {
            return get(getPath); // closed after answering the POST: the GET was not read
        }
        try {
            awaitingEvent = true;
            return readOrClose();
        } catch (ResponseStartedException e) {
            throw e.io;
        } catch (IOException e) {
            return get(getPath); // closed without a word on the GET: it was not served, so ask again
        }
    }

    private HttpResponse exchange(String method, String path, String[] headers, byte[] body, int length)
            throws IOException {
        byte[] head = requestHead(method, path, headers, length);
        boolean reused = socket != null;
        awaitingEvent = "GET".equals(method);
        spinning = awaitingEvent && eventsComeQuickly;
        try {
            return sendThenRead(head, body, length, NOTHING);
        } catch (ResponseStartedException e) {
            throw e.io;
        } catch (IOException e) {
            if (!reused) {
                throw e;
            }
            // A kept-alive connection the server had already closed; nothing of the answer was read, so the
            // request never reached the server and one retry on a fresh connection is safe.
            try {
                return sendThenRead(head, body, length, NOTHING);
            } catch (ResponseStartedException again) {
                throw again.io;
            }
        }
    }

    /**
     * Connects if needed, sends, and reads the first answer. Any failure closes the connection; it is a
     * {@link ResponseStartedException} when part of the answer had arrived (the request may have been served, so it
     * must not be sent again).
     */
    private HttpResponse sendThenRead(byte[] head, byte[] body, int length, byte[] then) throws IOException {
        connectIfNeeded();
        try {
            send(head, body, length, then);
        } catch (IOException e) {
            close();
            throw e;
        }
        return readOrClose();
    }

    /** The next answer; any failure closes the connection (see {@link #sendThenRead}). */
    private HttpResponse readOrClose() throws IOException {
        try {
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private byte[] requestHead(String method, String path, String[] headers, int length) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append("\r\nUser-Agent: thunk-runtime-java\r\n");
        if (headers != null) {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
        }
        if (!"GET".equals(method)) {
            sb.append("Content-Length: ").append(length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes a request's head and the first {@code length} bytes of its body, then {@code then} (a request pipelined
     * behind it, or nothing). One write, one segment, when it all fits 64 KB: with TCP_NODELAY each separate small
     * write would cost a packet.
     */
    private void send(byte[] head, byte[] body, int length, byte[] then) throws IOException {
        if (head.length + length + then.length <= 64 * 1024) {
            byte[] all = new byte[head.length + length + then.length];
            System.arraycopy(head, 0, all, 0, head.length);
            if (length > 0) {
                System.arraycopy(body, 0, all, head.length, length);
            }
            System.arraycopy(then, 0, all, head.length + length, then.length);
            out.write(all);
        } else {
            out.write(head);
            if (length > 0) {
                out.write(body, 0, length);
            }
            if (then.length > 0) {
                out.write(then);
            }
        }
        out.flush();
        sentAt = System.nanoTime();
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) {
            return;
        }
        // NO_PROXY: a plain socket, without the SOCKS wrapper that consults ProxySelector and its properties
        // (a dozen classes and a file read at cold start, for a loopback peer).
        Socket s = new Socket(Proxy.NO_PROXY);
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port));
            // No SO_TIMEOUT: the /next long poll must never time out.
            in = s.getInputStream();
            out = s.getOutputStream();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        position = 0;
        limit = 0;
    }

    private HttpResponse readResponse() throws IOException {
        String statusLine = readLine(true);
        int status;
        Map<String, String> headers;
        while (true) {
            status = parseStatus(statusLine);
            headers = readHeaders();
            // 1xx answers are interim: the real one follows.
            if (status >= 200 || status == 101) {
                break;
            }
            statusLine = readLine(false);
        }
        try {
            byte[] body;
            boolean closeAfter = "close".equalsIgnoreCase(headers.get("connection"));
            String transferEncoding = headers.get("transfer-encoding");
            String contentLength = headers.get("content-length");
            if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked();
            } else if (contentLength != null) {
                body = readFully(Integer.parseInt(contentLength.trim()));
            } else if (status == 204 || status == 304) {
                body = new byte[0];
            } else {
                body = readToEnd();
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return new HttpResponse(status, headers, body);
        } catch (IOException | RuntimeException e) {
            throw new ResponseStartedException(e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static int parseStatus(String statusLine) throws IOException {
        // "HTTP/1.1 200 OK"
        int space = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/") || space < 0 || statusLine.length() < space + 4) {
            throw new ResponseStartedException(new IOException("malformed status line: " + statusLine));
        }
        try {
            return Integer.parseInt(statusLine.substring(space + 1, space + 4));
        } catch (NumberFormatException e) {
            throw new ResponseStartedException(new IOException("malformed status line: " + statusLine));
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new HashMap<>();
        String line;
        while (!(line = readLine(false)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private byte[] readChunked() throws IOException {
        byte[] result = new byte[0];
        int size = 0;
        while (true) {
            String sizeLine = readLine(false);
            int semicolon = sizeLine.indexOf(';');
            int chunk = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            if (chunk == 0) {
                // Trailers, if any, end with an empty line.
                while (!readLine(false).isEmpty()) {
                    // ignored
                }
                break;
            }
            if (size + chunk > result.length) {
                byte[] grown = new byte[Math.max(size + chunk, result.length * 2)];
                System.arraycopy(result, 0, grown, 0, size);
                result = grown;
            }
            readInto(result, size, chunk);
            size += chunk;
            if (!readLine(false).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
        if (size == result.length) {
            return result;
        }
        byte[] exact = new byte[size];
        System.arraycopy(result, 0, exact, 0, size);
        return exact;
    }

    private byte[] readFully(int length) throws IOException {
        byte[] result = new byte[length];
        readInto(result, 0, length);
        return result;
    }

    private void readInto(byte[] target, int offset, int length) throws IOException {
        int buffered = Math.min(limit - position, length);
        System.arraycopy(buffer, position, target, offset, buffered);
        position += buffered;
        int done = buffered;
        while (done < length) {
            int n = in.read(target, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("connection closed after " + done + " of " + length + " body bytes");
            }
            done += n;
        }
    }

    private byte[] readToEnd() throws IOException {
        byte[] result = new byte[Math.max(limit - position, 1024)];
        int size = limit - position;
        System.arraycopy(buffer, position, result, 0, size);
        position = limit;
        int n;
        while (true) {
            if (size == result.length) {
                byte[] grown = new byte[result.length * 2];
                System.arraycopy(result, 0, grown, 0, size);
                result = grown;
            }
            n = in.read(result, size, result.length - size);
            if (n < 0) {
                break;
            }
            size += n;
        }
        byte[] exact = new byte[size];
        System.arraycopy(result, 0, exact, 0, size);
        return exact;
    }

    /**
     * Reads one CRLF- (or LF-) terminated line as ISO-8859-1. {@code first} marks the start of a response: an
     * end of stream there means the server closed an idle kept-alive connection, a retryable condition.
     */
    private String readLine(boolean first) throws IOException {
        if (first && position < limit) {
            answerArrived();  // it came with the answer before it, in the same read
        }
        byte[] line = null;
        int lineLength = 0;
        while (true) {
            if (position == limit) {
                if (first) {
                    spinUntilReadable();
                }
                int n = in.read(buffer, 0, buffer.length);
                if (first) {
                    answerArrived();
                }
                if (n < 0) {
                    if (first && line == null) {
                        throw new EOFException("connection closed before the response started");
                    }
                    throw new ResponseStartedException(new EOFException("connection closed inside the response head"));
                }
                position = 0;
                limit = n;
                first = false;
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int end = position;
            boolean complete = position < limit;
            if (complete) {
                position++; // skip the LF
            }
            int chunk = end - start;
            if (line == null && complete) {
                int length = chunk > 0 && buffer[end - 1] == '\r' ? chunk - 1 : chunk;
                return new String(buffer, start, length, StandardCharsets.ISO_8859_1);
            }
            if (line == null) {
                line = new byte[Math.max(256, chunk * 2)];
            }
            if (lineLength + chunk > line.length) {
                byte[] grown = new byte[Math.max(lineLength + chunk, line.length * 2)];
                System.arraycopy(line, 0, grown, 0, lineLength);
                line = grown;
            }
            System.arraycopy(buffer, start, line, lineLength, chunk);
            lineLength += chunk;
            if (complete) {
                int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Spins (see {@link #SPIN_NANOS}) until the socket has bytes to read, the window has passed, or spinning is off. */
    private void spinUntilReadable() throws IOException {
        if (spinning) {
            while (in.available() == 0 && System.nanoTime() - sentAt < spinNanos) {
                Thread.yield();
            }
        }
    }

    /**
     * The first bytes of an answer are in, read now or with the answer before it; for an event, that decides whether
     * the next wait spins.
     */
    private void answerArrived() {
        if (awaitingEvent) {
            eventsComeQuickly = System.nanoTime() - sentAt < spinNanos;
        }
    }

    /** Whether the next wait for an event spins: the last one came within the window. */
    boolean spinsForEvents() {
        return eventsComeQuickly;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        position = 0;
        limit = 0;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to do with a socket we are dropping
            }
        }
    }

    /** Marks a failure after the answer began, when a retry could repeat a request the server has acted on. */
    private static final class ResponseStartedException extends IOException {
        private static final long serialVersionUID = 1L;
        final IOException io;

        ResponseStartedException(IOException io) {
            super(io.getMessage(), io);
            this.io = io;
        }
    }
}
