#!/usr/bin/env bash
# Side-by-side comparison of two servers, for effects smaller than this machine's drift between runs: two Thunk
# servers run at the same time, get the same no-op functions, and take turns: each round measures every function on
# A, then on B. Warm latency: 2,000 sequential invokes from a separate process (a raw-socket Python client, or C with
# CALLER=c, as far from the server's JVM as a real caller); throughput: wrk with 32 keep-alive connections, when wrk is installed.
# Prints a Markdown table of medians over the rounds. Stops by itself; loopback only.
#   bench/pair.sh [ROUNDS]       (default 6; about 15 s per round per function with wrk)
#   FUNCTIONS="node python" bench/pair.sh   (some of: python node provided java; default all four)
#   CALLER=c bench/pair.sh       (the latency client in C, compiled with cc: less of its own time in each round
#                                 trip than the Python one; default python)
# What differs between A and B:
#   - JVM options: A_OPTS and B_OPTS (default: A -Dthunk.busyPollMicros=0, B the default 200 µs);
#   - the build: A_ROOT and B_ROOT, checkouts whose server jar each side runs, with their own runtime clients
#     (default: this checkout). Before and after a commit:
#       git worktree add /tmp/before HEAD~1 && (cd /tmp/before && ./mvnw -q -o package -DskipTests)
#       A_ROOT=/tmp/before A_OPTS= B_OPTS= bench/pair.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-6}"
a_opts="${A_OPTS--Dthunk.busyPollMicros=0}"
b_opts="${B_OPTS--Dthunk.busyPollMicros=200}"
a_root="$(cd "${A_ROOT:-$root}" && pwd)"
b_root="$(cd "${B_ROOT:-$root}" && pwd)"
python=/usr/bin/python3
[ -x "$python" ] || python="$(command -v python3)"

"$root/thunk" help >/dev/null  # builds this checkout when its build is stale
for side_root in "$a_root" "$b_root"; do
  [ -f "$side_root/server/target/thunk-server.jar" ] || { echo "no server jar under $side_root: build it first" >&2; exit 1; }
done
jdk="$("$root/thunk" java-home)"
work="$(mktemp -d /tmp/thunk-pair-XXXXXX)"
pids=()
cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -s "$work/results" ]; then
    echo "stopped with status $status; the measurements so far:" >&2
    cat "$work/results" >&2
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The functions: Python, Node.js and Java no-ops, and the bench's scripted custom runtime.
. "$root/bench/noop-handlers.sh"
noop_handlers "$root" "$work"
mkdir -p "$work/provided"
cat > "$work/provided/bootstrap" <<'EOF'
#!/usr/bin/python3 -S
import os, socket
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
sock = socket.create_connection((host, int(port)))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
reader = sock.makefile("rb")
def call(method, path, body=b""):
    sock.sendall(b"%s %s HTTP/1.1\r\nHost: runtime\r\nContent-Length: %d\r\n\r\n%s" % (method, path, len(body), body))
    if not reader.readline():
        raise SystemExit(1)
    length = 0
    while True:
        line = reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        if name.strip().lower() == b"lambda-runtime-aws-request-id":
            request_id = value.strip()
    reader.read(length)
    return request_id if method == b"GET" else None
while True:
    request_id = call(b"GET", b"/2018-06-01/runtime/invocation/next")
    call(b"POST", b"/2018-06-01/runtime/invocation/" + request_id + b"/response", b"{}")
EOF
chmod +x "$work/provided/bootstrap"

# The latency client: sequential POST {} on one keep-alive connection; prints the p50 in µs.
cat > "$work/latency.py" <<'EOF'
import socket, sys, time
port, name, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.settimeout(30)
request = ("POST /2015-03-31/functions/%s/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}" % name).encode()
reader = s.makefile("rb")
def once():
    s.sendall(request)
    status = reader.readline()
    length = 0
    while True:
        line = reader.readline()
        if line == b"\r\n":
            break
        if line.lower().startswith(b"content-length"):
            length = int(line.split(b":")[1])
    reader.read(length)
    if b" 200 " not in status:
        raise SystemExit("invoke answered " + status.decode())
for _ in range(500):
    once()
times = []
for _ in range(n):
    started = time.perf_counter()
    once()
    times.append(time.perf_counter() - started)
times.sort()
print("%.1f" % (times[n // 2] * 1e6))
EOF

# The same client in C, for CALLER=c.
cat > "$work/latency.c" <<'EOF'
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
static int before(const void *a, const void *b) { double x = *(const double *) a, y = *(const double *) b; return (x > y) - (x < y); }
int main(int argc, char **argv) {
    int n = atoi(argv[3]), s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct timeval timeout = {30, 0};
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons(atoi(argv[1]));
    address.sin_addr.s_addr = htonl(0x7f000001);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (connect(s, (void *) &address, sizeof address)) { perror("connect"); return 1; }
    char request[512], answer[65537];
    int length = snprintf(request, sizeof request, "POST /2015-03-31/functions/%s/invocations HTTP/1.1\r\n"
                          "Host: x\r\nContent-Length: 2\r\n\r\n{}", argv[2]);
    double *times = malloc(sizeof(double) * n);
    for (int i = 0; i < 500 + n; i++) {
        double started = now();
        if (write(s, request, length) != length) { perror("write"); return 1; }
        int got = 0;
        for (;;) {
            int r = read(s, answer + got, sizeof answer - 1 - got);
            if (r <= 0) { perror("read"); return 1; }
            got += r;
            answer[got] = 0;
            char *end = strstr(answer, "\r\n\r\n"), *field = strcasestr(answer, "content-length:");
            if (end && got >= end - answer + 4 + (field && field < end ? atoi(field + 15) : 0)) break;
        }
        if (strncmp(answer, "HTTP/1.1 200 ", 13)) { fprintf(stderr, "invoke answered %.40s\n", answer); return 1; }
        if (i >= 500) times[i - 500] = now() - started;
    }
    qsort(times, n, sizeof(double), before);
    printf("%.1f\n", times[n / 2]);
    return 0;
}
EOF
latency() {  # port function count: the p50 in µs
  if [ "${CALLER:-python}" = c ]; then "$work/latency" "$@"; else "$python" "$work/latency.py" "$@"; fi
}
if [ "${CALLER:-python}" = c ]; then cc -O2 -o "$work/latency" "$work/latency.c"; fi

# CPU time (clock ticks) of a server's live descendants, the environments, without the server's class-data archive
# training JVMs, which run beside the first rounds. A process that ends during a round loses its share; stem cells
# started during one add theirs.
cat > "$work/environments_cpu.py" <<'EOF'
import os, sys
parents, ticks = {}, {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open("/proc/%s/stat" % pid) as f:
            rest = f.read().rsplit(")", 1)[1]
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            training = b"dev.thunk.runtime.java.Train" in f.read()
    except OSError:
        continue
    fields = rest.split()
    parents[pid] = fields[1]
    ticks[pid] = 0 if training else int(fields[11]) + int(fields[12])
def under(pid, root):
    while pid in parents and pid != "1":
        pid = parents[pid]
        if pid == root:
            return True
    return False
print(sum(t for pid, t in ticks.items() if under(pid, sys.argv[1])))
EOF
environments_cpu() { "$python" "$work/environments_cpu.py" "$1"; }
per_invocation_us() {  # ticks_before ticks_after invocations; "nan" without invocations
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { if (n + 0 > 0) printf "%.1f", (b - a) * 1e6 / hz / n; else printf "nan" }'
}

start_server() {  # name port opts root
  mkdir -p "$work/$1"
  (cd "$work" && exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Dthunk.home="$4" $3 \
      -jar "$4/server/target/thunk-server.jar" server --data-dir "$work/$1/data" --port "$2" --no-auth \
      > "$work/$1/server.log" 2>&1) &
  pids+=($!)
}
port_a=$((20000 + RANDOM % 20000)); port_b=$((port_a + 1))
start_server a "$port_a" "$a_opts" "$a_root"
start_server b "$port_b" "$b_opts" "$b_root"
pid_a="${pids[0]}"; pid_b="${pids[1]}"
for side in a b; do
  for _ in $(seq 150); do grep -q "listening" "$work/$side/server.log" && break; sleep 0.2; done
  grep -q "listening" "$work/$side/server.log" || { cat "$work/$side/server.log" >&2; exit 1; }
done
for side in a b; do
  port=$([ $side = a ] && echo "$port_a" || echo "$port_b")
  deploy() { "$root/thunk" deploy "$@" --endpoint "http://127.0.0.1:$port" \
      --credentials "$work/$side/data/aws-credentials" >/dev/null; }
  deploy "$work/py" --name python --runtime python3.12 --handler app.handler
  deploy "$work/node" --name node --runtime nodejs20.x --handler index.handler
  deploy "$work/provided" --name provided --runtime provided.al2023
  deploy "$work/java" --name java --runtime java21 --handler dev.thunk.bench.handlers.Noop
done
sleep 5  # stem cells replenished, archive training under way at nice 19

results="$work/results"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  for fn in ${FUNCTIONS:-python node provided java}; do
    for side in a b; do
      port=$([ $side = a ] && echo "$port_a" || echo "$port_b")
      server=$([ $side = a ] && echo "$pid_a" || echo "$pid_b")
      before=$(environments_cpu "$server")
      echo "$side $fn latency $(latency "$port" "$fn" 2000)" >> "$results"
      echo "$side $fn environment-cpu-sequential $(per_invocation_us "$before" "$(environments_cpu "$server")" 2500)" >> "$results"
      if command -v wrk >/dev/null; then
        url="http://127.0.0.1:$port/2015-03-31/functions/$fn/invocations"
        printf 'wrk.method = "POST"\nwrk.body = "{}"\n' > "$work/post.lua"
        wrk -c32 -t1 -d2s -s "$work/post.lua" "$url" >/dev/null
        before=$(environments_cpu "$server")
        out=$(wrk -c32 -t1 -d5s -s "$work/post.lua" "$url") || true
        after=$(environments_cpu "$server")
        echo "$side $fn throughput $(echo "$out" | awk '/Requests\/sec/ {print $2} END {if (!NR) print "nan"}')" >> "$results"
        echo "$side $fn environment-cpu-wrk $(per_invocation_us "$before" "$after" "$(echo "$out" | awk '/requests in/ {print $1}')")" >> "$results"
      fi
    done
  done
done

"$python" - "$results" "$rounds" "$a_opts $a_root" "$b_opts $b_root" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    fields = line.split()
    if len(fields) == 4:  # a measurement that printed nothing is left out
        side, fn, what, value = fields
        rows.setdefault((fn, what), {}).setdefault(side, []).append(float(value))
print("A: `%s`, B: `%s`; %s rounds, medians (each round's values in brackets)\n" % (sys.argv[3], sys.argv[4], sys.argv[2]))
print("| function | measure | A | B | B / A | rounds B better |")
print("|---|---|---:|---:|---:|---:|")
for (fn, what), sides in sorted(rows.items()):
    a, b = sides["a"], sides["b"]
    ma, mb = statistics.median(a), statistics.median(b)
    ratio = mb / ma if ma else float("nan")
    better = sum(1 for x, y in zip(a, b) if (y > x if what == "throughput" else y < x))
    unit = {"latency": "µs p50", "throughput": "invocations/s"}.get(what, "µs per invocation")
    print("| %s | %s %s | %.0f [%s] | %.0f [%s] | %.2f | %d of %d |" % (fn, what, unit, ma,
          " ".join("%.0f" % x for x in a), mb, " ".join("%.0f" % x for x in b), ratio, better, len(a)))
EOF
