#!/usr/bin/env bash
# The runtime clients' own cost per invocation, without Thunk's server: each of Thunk's runtime clients (Python,
# Node.js, Java) runs a no-op handler against a stand-in Runtime API, a small C program that answers every
# GET /next with an event and every POST with a 202 as soon as it has read them, polling its socket (as the
# server's event loop does) so that it is never the one woken. Prints, per client, the wall time per invocation
# and the client's CPU per invocation (user + system, its JIT and GC threads included); a client that spins for
# its next event spends CPU while it waits, so the two are close for Python and Node.js. Stops by itself; loopback
# only; needs cc.
#   bench/client-cost.sh [INVOCATIONS]      (default 30000 per client, after 1000 not counted)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
invocations="${1:-30000}"
"$root/thunk" help >/dev/null  # builds this checkout when its build is stale
jdk="$("$root/thunk" java-home)"
lib="$root/server/target/lib"
python=/usr/bin/python3
[ -x "$python" ] || python="$(command -v python3)"
work="$(mktemp -d /tmp/thunk-client-cost-XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/api.c" <<'EOF'
// A stand-in Runtime API on one connection: an event for every GET, a 202 for every POST, each answer written as
// soon as its request is complete. Over events 1000 to 1000 + N, measures the wall time per event and the CPU time
// per event of the client whose pid is in the file argv[2] (/proc/<pid>/stat); prints both, then exits.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
/* User plus system CPU seconds of the process whose pid is in the file. */
static double cpu(const char *pid_file) {
    char path[64], stat[1024];
    long pid = 0, ticks[2] = {0, 0};
    FILE *f = fopen(pid_file, "r");
    if (!f || fscanf(f, "%ld", &pid) != 1) return -1;
    fclose(f);
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "r")) || !fgets(stat, sizeof stat, f)) return -1;
    fclose(f);
    char *rest = strrchr(stat, ')');  /* fields after the command name, which may hold spaces */
    if (!rest || sscanf(rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ticks[0], &ticks[1]) != 2)
        return -1;
    return (double) (ticks[0] + ticks[1]) / sysconf(_SC_CLK_TCK);
}
int main(int argc, char **argv) {
    long n = atol(argv[1]), events = 0;
    double cpu_start = 0;
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(0x7f000001);
    socklen_t size = sizeof address;
    if (bind(listener, (void *) &address, sizeof address) || listen(listener, 1)
            || getsockname(listener, (void *) &address, &size)) { perror("listen"); return 1; }
    printf("%d\n", ntohs(address.sin_port));
    fflush(stdout);
    int c = accept(listener, 0, 0);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static char in[(1 << 16) + 1], out[1 << 12];  /* in: NUL-terminated after what was read, for strcasestr */
    int have = 0;
    double start = 0;
    for (;;) {
        int r;
        while ((r = recv(c, in + have, sizeof in - 1 - have, MSG_DONTWAIT)) < 0 && errno == EAGAIN) sched_yield();
        if (r <= 0) return 1;
        have += r;
        in[have] = 0;
        int at = 0;
        for (;;) {
            char *end = memmem(in + at, have - at, "\r\n\r\n", 4);
            if (!end) break;
            int head = end - (in + at) + 4, body = 0;
            char *length = strcasestr(in + at, "content-length:");
            if (length && length < end) body = atoi(length + 15);
            if (have - at < head + body) break;
            int o;
            if (!strncmp(in + at, "GET", 3)) {
                if (events == 1000) { start = now(); cpu_start = cpu(argv[2]); }
                if (events == 1000 + n) {
                    printf("%.1f %.1f\n", (now() - start) * 1e6 / n, (cpu(argv[2]) - cpu_start) * 1e6 / n);
                    return 0;
                }
                events++;
                o = sprintf(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    "Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c%04ld\r\n"
                    "Lambda-Runtime-Deadline-Ms: 99999999999999\r\n"
                    "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:f\r\n"
                    "Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1\r\n"
                    "Content-Length: 2\r\n\r\n{}", events % 10000);
            } else {
                o = sprintf(out, "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
                    "Content-Length: 15\r\n\r\n{\"status\":\"OK\"}");
            }
            if (write(c, out, o) != o) return 1;
            at += head + body;
        }
        memmove(in, in + at, have - at);
        have -= at;
        in[have] = 0;
    }
}
EOF
cc -O2 -o "$work/api" "$work/api.c"

# The no-op handlers bench/pair.sh deploys.
. "$root/bench/noop-handlers.sh"
noop_handlers "$root" "$work"
clients="$root/runtimes/src/main/resources/dev/thunk/runtimes"
java_cp="$lib/thunk-runtime-java-0.1.0-SNAPSHOT.jar:$(ls "$lib"/aws-lambda-java-core-*.jar)"

measure() {  # name task-root handler command...
  local name="$1" task="$2" handler="$3"; shift 3
  rm -f "$work/api.out" "$work/client.pid"
  "$work/api" "$invocations" "$work/client.pid" > "$work/api.out" &
  local api=$!
  for _ in $(seq 100); do [ -s "$work/api.out" ] && break; sleep 0.05; done
  local port; port="$(head -1 "$work/api.out")"
  (cd "$task" && exec env -i PATH="$PATH" AWS_LAMBDA_RUNTIME_API="127.0.0.1:$port" _HANDLER="$handler" \
      LAMBDA_TASK_ROOT="$task" AWS_LAMBDA_FUNCTION_NAME=f AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128 \
      AWS_LAMBDA_FUNCTION_VERSION='$LATEST' "$@" > "$work/$name.log" 2>&1) &
  echo $! > "$work/client.pid"  # exec keeps the pid: the client's own
  local client=$!
  wait "$api" || { echo "$name: the stand-in Runtime API failed" >&2; cat "$work/$name.log" >&2; exit 1; }
  wait "$client" 2>/dev/null || true  # the client exits once the API is gone
  read -r wall cpu < <(sed -n 2p "$work/api.out")
  printf '| %s | %s | %s |\n' "$name" "$wall" "$cpu"
}

echo "Runtime clients against a stand-in Runtime API, $invocations invocations each (after 1,000 not counted)"
echo
echo "| client | wall µs per invocation | client CPU µs per invocation |"
echo "|---|---:|---:|"
measure python "$work/py" app.handler "$python" -S -u "$clients/python/bootstrap.py"
measure nodejs "$work/node" index.handler node "$clients/node/thunk_runtime.cjs"
measure java "$work/java" dev.thunk.bench.handlers.Noop "$jdk/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -XX:-UsePerfData -Xss512k -Xmx100m -cp "$java_cp" dev.thunk.runtime.java.Main
