package dev.rolloutbatch.agent.openai;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.agent.BoundedCache;

/**
 * HTTP/1.1 over plain TCP for an {@code http://} endpoint reached without a proxy (a local vLLM or SGLang server,
 * a gateway on the same network): one blocking exchange on the calling virtual thread over a kept-alive
 * connection. The JDK's client spends most of a call's CPU in its asynchronous machinery (per-exchange filters,
 * futures, timer events, a hand-off to its selector thread); a blocking read on a virtual thread needs none of it.
 * TLS endpoints and proxies stay with the JDK's client ({@link ChatTransport}).
 * <p>
 * Every request is sent once: a connection that fails is closed and the failure is the attempt's, counted and
 * retried by {@link CompletionClient} like any other. An idle connection the server has closed is noticed before
 * it is reused (servers such as uvicorn close idle connections after a few seconds).
 */
final class PlainHttp implements AutoCloseable {

    /** As the JDK's client: an idle connection older than this is not reused. */
    private static final long KEEP_ALIVE_NANOS = Duration.ofSeconds(30).toNanos();

    private static final int MAX_HEAD = 64 * 1024;

    private final String host;
    private final int port;
    private final int connectTimeoutMs;
    private final long timeoutNanos;
    private final String timeoutMessage;
    private final byte[] fixedHeaders;
    private final BoundedCache<String, byte[]> requestLines = new BoundedCache<>(64);
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** @param headers name, value, name, value... sent with every request (after Host) */
    PlainHttp(URI base, String[] headers, Duration connectTimeout, Duration timeout) {
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
        this.connectTimeoutMs = (int) Math.max(1, connectTimeout.toMillis());
        this.timeoutNanos = timeout.toNanos();
        this.timeoutMessage = "request timed out after " + timeout.toMillis() + " ms";
        StringBuilder head = new StringBuilder("Host: ").append(base.getRawAuthority()).append("\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        this.fixedHeaders = head.append("Content-Length: ").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this transport can reach the URL: plain HTTP, no proxy (the JDK's default selector says DIRECT). */
    static boolean serves(URI base) {
        if (!"http".equalsIgnoreCase(base.getScheme()) || base.getHost() == null) {
            return false;
        }
        try {
            return java.net.ProxySelector.getDefault() == null || java.net.ProxySelector.getDefault()
                .select(base)
                .stream()
                .allMatch(proxy -> proxy.type() == java.net.Proxy.Type.DIRECT);
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /**
     * One POST and its whole answer, within the timeout.
     *
     * @throws HttpTimeoutException when no complete answer came within the timeout
     * @throws IOException          when the connection failed, was dropped, or the answer is not HTTP/1.1
     */
    ChatTransport.Exchange post(URI uri, ChatRequestBody.Parts body) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        Connection connection = idleConnection();
        if (connection == null) {
            connection = connect();
        }
        boolean reusable = false;
        try {
            connection.write(requestHead(uri, body.length()), body.parts(), deadline, timeoutMessage);
            Response response = connection.read(deadline, timeoutMessage);
            reusable = response.keepAlive();
            return new ChatTransport.Exchange(response.status(), response.headers(), response.body());
        }
        catch (IOException ex) {
            // An interrupted virtual thread's blocking socket operation closes the socket and fails.
            if (ex instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
                Thread.interrupted();
                throw new InterruptedException("interrupted while waiting for the answer");
            }
            throw ex;
        }
        finally {
            if (reusable && !closed) {
                connection.idleSince = System.nanoTime();
                idle.offerFirst(connection);
            }
            else {
                connection.close();
            }
        }
    }

    private ByteBuffer[] requestHead(URI uri, int length) {
        byte[] line = requestLines.get(target(uri),
                target -> ("POST " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] tail = (length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new ByteBuffer[] { ByteBuffer.wrap(line), ByteBuffer.wrap(fixedHeaders), ByteBuffer.wrap(tail) };
    }

    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The most recently used idle connection that is still open; stale ones are closed on the way. */
    private @Nullable Connection idleConnection() {
        long now = System.nanoTime();
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            if (now - connection.idleSince < KEEP_ALIVE_NANOS && connection.stillOpen()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private Connection connect() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(new InetSocketAddress(host, port), connectTimeoutMs);
            channel.socket().setTcpNoDelay(true);
            return new Connection(channel);
        }
        catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            connection.close();
        }
    }

    /** A parsed answer; {@code keepAlive} when the connection may carry another request. */
    private record Response(int status, List<String> headers, byte[] body, boolean keepAlive) {
    }

    /** One kept-alive connection and what has been read from it but not consumed yet. */
    private static final class Connection {

        private final SocketChannel channel;
        private final InputStream in;
        // Small: an answer's head and a short body fit; a long body is read straight into its own array.
        private byte[] buffer = new byte[2048];
        private int start;
        private int end;
        private long idleSince;
        private int sendBuffer;

        Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.in = channel.socket().getInputStream();
        }

        /**
         * Sends the request within the attempt's deadline. A request that fits the socket's send buffer is queued
         * by one blocking write that cannot wait on the server; a larger one is written without blocking, and a
         * server that stops reading it runs into the deadline instead of holding the episode for ever.
         */
        void write(ByteBuffer[] head, List<byte[]> body, long deadline, String timeoutMessage) throws IOException {
            ByteBuffer[] all = Arrays.copyOf(head, head.length + body.size());
            long length = 0;
            for (int i = 0; i < all.length; i++) {
                if (i >= head.length) {
                    all[i] = ByteBuffer.wrap(body.get(i - head.length));
                }
                length += all[i].remaining();
            }
            if (length <= sendBuffer()) {
                writeBlocking(all);
            }
            else {
                writeWithin(all, deadline, timeoutMessage);
            }
        }

        private void writeBlocking(ByteBuffer[] all) throws IOException {
            ByteBuffer last = all[all.length - 1];
            while (last.hasRemaining()) {
                channel.write(all);
            }
        }

        private void writeWithin(ByteBuffer[] all, long deadline, String timeoutMessage) throws IOException {
            ByteBuffer last = all[all.length - 1];
            channel.configureBlocking(false);
            try {
                long pauseMs = 1;
                while (last.hasRemaining()) {
                    if (channel.write(all) > 0) {
                        pauseMs = 1;
                        continue;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw new HttpTimeoutException(timeoutMessage + " (the server did not read the request)");
                    }
                    sleep(pauseMs);
                    pauseMs = Math.min(50, pauseMs * 2);
                }
            }
            finally {
                channel.configureBlocking(true);
            }
        }

        private int sendBuffer() throws IOException {
            if (sendBuffer == 0) {
                sendBuffer = channel.socket().getSendBufferSize();
            }
            return sendBuffer;
        }

        private static void sleep(long millis) throws java.io.InterruptedIOException {
            try {
                Thread.sleep(millis);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while sending the request");
            }
        }

        /** False when the server closed it (or sent something unasked) while it was idle. */
        boolean stillOpen() {
            try {
                channel.configureBlocking(false);
                try {
                    return start == end && channel.read(ByteBuffer.allocate(1)) == 0;
                }
                finally {
                    channel.configureBlocking(true);
                }
            }
            catch (IOException ex) {
                return false;
            }
        }

        Response read(long deadline, String timeoutMessage) throws IOException {
            try {
                Response response = readHead(deadline);
                while (response.status() / 100 == 1 && response.status() != 101) {
                    response = readHead(deadline);
                }
                return response;
            }
            catch (SocketTimeoutException ex) {
                throw new HttpTimeoutException(timeoutMessage);
            }
        }

        private Response readHead(long deadline) throws IOException {
            int lineEnd = lineEnd(deadline);
            String statusLine = ascii(start, lineEnd);
            start = lineEnd + 2;
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new ProtocolException("not an HTTP/1.1 status line: "
                        + statusLine.substring(0, Math.min(40, statusLine.length())));
            }
            int status = parseStatus(statusLine);
            boolean keepAlive = statusLine.charAt(7) == '1';
            List<String> headers = new ArrayList<>(16);
            long contentLength = -1;
            boolean chunked = false;
            for (lineEnd = lineEnd(deadline); lineEnd > start; lineEnd = lineEnd(deadline)) {
                String line = ascii(start, lineEnd);
                start = lineEnd + 2;
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolException("malformed header line");
                }
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                headers.add(name);
                headers.add(value);
                if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = parseLength(value);
                }
                else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
                }
                else if (name.equalsIgnoreCase("Connection")) {
                    String tokens = value.toLowerCase(java.util.Locale.ROOT);
                    keepAlive = tokens.contains("close") ? false : keepAlive || tokens.contains("keep-alive");
                }
            }
            start = lineEnd + 2;
            if (status / 100 == 1 || status == 204 || status == 304) {
                return new Response(status, headers, new byte[0], keepAlive);
            }
            if (chunked) {
                return new Response(status, headers, chunkedBody(deadline), keepAlive);
            }
            if (contentLength >= 0) {
                return new Response(status, headers, fixedBody(contentLength, deadline), keepAlive);
            }
            return new Response(status, headers, bodyUntilClosed(deadline), false);
        }

        private static int parseStatus(String statusLine) throws ProtocolException {
            try {
                return Integer.parseInt(statusLine, 9, 12, 10);
            }
            catch (NumberFormatException ex) {
                throw new ProtocolException("malformed status line");
            }
        }

        private static long parseLength(String value) throws ProtocolException {
            try {
                long length = Long.parseLong(value);
                if (length < 0 || length > Integer.MAX_VALUE - 16) {
                    throw new ProtocolException("unsupported Content-Length " + value);
                }
                return length;
            }
            catch (NumberFormatException ex) {
                throw new ProtocolException("malformed Content-Length");
            }
        }

        private byte[] fixedBody(long contentLength, long deadline) throws IOException {
            byte[] body = new byte[(int) contentLength];
            int have = Math.min(end - start, body.length);
            System.arraycopy(buffer, start, body, 0, have);
            start += have;
            while (have < body.length) {
                int n = in(body, have, body.length - have, deadline);
                if (n < 0) {
                    throw new EOFException("connection closed after " + have + " of " + body.length + " body bytes");
                }
                have += n;
            }
            return body;
        }

        private byte[] chunkedBody(long deadline) throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            while (true) {
                int lineEnd = lineEnd(deadline);
                String sizeLine = ascii(start, lineEnd);
                start = lineEnd + 2;
                int extension = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip(), 16);
                }
                catch (NumberFormatException ex) {
                    throw new ProtocolException("malformed chunk size");
                }
                if (size == 0) {
                    // Trailers, if any, up to the empty line.
                    for (lineEnd = lineEnd(deadline); lineEnd > start; lineEnd = lineEnd(deadline)) {
                        start = lineEnd + 2;
                    }
                    start = lineEnd + 2;
                    return body.toByteArray();
                }
                if (size > Integer.MAX_VALUE - 16 - body.size()) {
                    throw new ProtocolException("chunked body too large");
                }
                body.write(fixedBody(size, deadline));
                lineEnd = lineEnd(deadline);
                if (lineEnd != start) {
                    throw new ProtocolException("malformed chunk");
                }
                start = lineEnd + 2;
            }
        }

        private byte[] bodyUntilClosed(long deadline) throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(buffer, start, end - start);
            start = end;
            byte[] chunk = new byte[8192];
            for (int n = in(chunk, 0, chunk.length, deadline); n >= 0; n = in(chunk, 0, chunk.length, deadline)) {
                body.write(chunk, 0, n);
            }
            return body.toByteArray();
        }

        /** The index of the next CRLF at or after {@code start}, reading more as needed. */
        private int lineEnd(long deadline) throws IOException {
            int from = start;
            while (true) {
                for (int i = from; i + 1 < end; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                        return i;
                    }
                }
                from = Math.max(start, end - 1);
                if (end - start >= MAX_HEAD) {
                    throw new ProtocolException("response head line longer than " + MAX_HEAD + " bytes");
                }
                int shift = start;
                fill(deadline);
                from -= shift - start;
            }
        }

        /** Reads more into the buffer, compacting or growing it first; EOF is an error here. */
        private void fill(long deadline) throws IOException {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in(buffer, end, buffer.length - end, deadline);
            if (n < 0) {
                throw new EOFException("connection closed before the whole response head was read");
            }
            end += n;
        }

        private int in(byte[] into, int offset, int length, long deadline) throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            channel.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            return in.read(into, offset, length);
        }

        private String ascii(int from, int to) {
            return new String(buffer, from, to - from, StandardCharsets.ISO_8859_1);
        }

        void close() {
            try {
                channel.close();
            }
            catch (IOException ex) {
                // Closing anyway.
            }
        }
    }
}
