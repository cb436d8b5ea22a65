/*
 * A no-op custom runtime: the Runtime API loop and nothing else, as a compiled bootstrap (the usual shape of
 * provided.* functions, written in Go or Rust). Used by the bench to measure the platform with the least
 * function-side cost; one keep-alive connection, TCP_NODELAY, Content-Length bodies only.
 */
#define _GNU_SOURCE
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int sock;
static char buf[1 << 16];
static size_t have;

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* Reads one response; copies the request id header when asked. Returns the body length consumed. */
static void response(char *request_id, size_t id_size) {
    size_t head_end = 0;
    for (;;) {
        char *end = memmem(buf, have, "\r\n\r\n", 4);
        if (end) {
            head_end = (size_t) (end - buf) + 4;
            break;
        }
        ssize_t n = read(sock, buf + have, sizeof buf - have);
        if (n <= 0) exit(n == 0 ? 0 : 1);
        have += (size_t) n;
    }
    size_t length = 0;
    for (char *line = buf; line < buf + head_end; ) {
        char *eol = memmem(line, (size_t) (buf + head_end - line), "\r\n", 2);
        if (!eol) break;
        if (strncasecmp(line, "Content-Length:", 15) == 0) length = strtoul(line + 15, NULL, 10);
        if (request_id && strncasecmp(line, "Lambda-Runtime-Aws-Request-Id:", 30) == 0) {
            char *v = line + 30;
            while (*v == ' ') v++;
            size_t n = (size_t) (eol - v);
            if (n >= id_size) n = id_size - 1;
            memcpy(request_id, v, n);
            request_id[n] = 0;
        }
        line = eol + 2;
    }
    while (have < head_end + length) {
        ssize_t n = read(sock, buf + have, sizeof buf - have);
        if (n <= 0) exit(n == 0 ? 0 : 1);
        have += (size_t) n;
    }
    memmove(buf, buf + head_end + length, have - head_end - length);
    have -= head_end + length;
}

static void send_all(const char *data, size_t length) {
    while (length > 0) {
        ssize_t n = write(sock, data, length);
        if (n <= 0) die("write");
        data += n;
        length -= (size_t) n;
    }
}

int main(void) {
    char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) die("AWS_LAMBDA_RUNTIME_API");
    char host[256];
    char *colon = strrchr(api, ':');
    snprintf(host, sizeof host, "%.*s", (int) (colon - api), api);
    struct addrinfo hints = {0}, *address;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, colon + 1, &hints, &address) != 0) die("getaddrinfo");
    sock = socket(address->ai_family, SOCK_STREAM, 0);
    if (connect(sock, address->ai_addr, address->ai_addrlen) != 0) die("connect");
    int one = 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const char next[] = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n";
    char request_id[128], post[512];
    for (;;) {
        send_all(next, sizeof next - 1);
        response(request_id, sizeof request_id);
        int n = snprintf(post, sizeof post, "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\n"
                         "Host: runtime\r\nContent-Length: 2\r\n\r\n{}", request_id);
        send_all(post, (size_t) n);
        response(NULL, 0);
    }
}
