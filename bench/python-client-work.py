"""The Python runtime client's own work per invocation, without any I/O: times thunk_runtime._invoke (read the event's
answer, build the context, decode the event, run a no-op handler, encode the result, write the response and
GET /next, read the 202 and the next event) against a Runtime API connection held in memory. What is left out is
the system calls and the waits that bench/client-cost.sh measures. Prints the minimum and the median over 21
batches of 10,000, in µs per invocation.
    /usr/bin/python3 -S bench/python-client-work.py
"""
import io
import os
import statistics
import sys
import timeit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "runtimes/src/main/resources/dev/thunk/runtimes/python"))
os.environ.update(AWS_LAMBDA_FUNCTION_NAME="f", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="128",
                  AWS_LAMBDA_FUNCTION_VERSION="$LATEST", AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/f",
                  AWS_LAMBDA_LOG_STREAM_NAME="2026/01/01/[$LATEST]0123456789abcdef")
import thunk_runtime  # noqa: E402

# What the server answers to a response and the GET /next behind it: the 202, then an event as Thunk sends it.
ANSWERS = (b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n"
           b"{\"status\":\"OK\"}\n"
           b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
           b"Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c0001\r\n"
           b"Lambda-Runtime-Deadline-Ms: 99999999999999\r\n"
           b"Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:f\r\n"
           b"Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1\r\n"
           b"Content-Length: 2\r\n\r\n{}")


class InMemoryConnection(thunk_runtime._Connection):
    """A connection whose every write is answered at once with ANSWERS, read through the client's own reader."""

    def __init__(self):
        self.consumed_by_last_answer = 0
        self.spin = False
        self.sent_at = 0.0
        self._reader = None

    def sendall(self, data):
        self._reader = io.BufferedReader(io.BytesIO(ANSWERS), 65536)

    def await_more_than(self, size):
        pass


def main():
    api = thunk_runtime._RuntimeApi("127.0.0.1:9001")
    api._connection = InMemoryConnection()
    api._connection.sendall(b"")
    api._read_answer(api._connection)
    status, headers, body = api._read_answer(api._connection)
    assert status == 200, status
    handler = lambda event, context: {}  # noqa: E731
    batches = [timeit.timeit(lambda: thunk_runtime._invoke(api, handler, headers, body), number=10000) / 10000 * 1e6
               for _ in range(21)]
    print("Python client's work per invocation, no I/O: min %.1f µs, median %.1f µs"
          % (min(batches), statistics.median(batches)))


if __name__ == "__main__":
    main()
