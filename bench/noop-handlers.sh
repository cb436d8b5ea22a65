# Sourced by bench/pair.sh and bench/client-cost.sh, which measure the same no-op functions.
# noop_handlers ROOT DIR writes DIR/py/app.py (Python, app.handler), DIR/node/index.js (Node.js, index.handler) and
# DIR/java, a task root holding the bench's Noop class (dev.thunk.bench.handlers.Noop), which it builds if needed.
noop_handlers() {
  local root="$1" dir="$2"
  local class="$root/bench/target/classes/dev/thunk/bench/handlers/Noop.class"
  [ -f "$class" ] || "$root/mvnw" -q -o -pl bench -am package -DskipTests >&2
  mkdir -p "$dir/py" "$dir/node" "$dir/java/dev/thunk/bench/handlers"
  printf 'def handler(event, context):\n    return {}\n' > "$dir/py/app.py"
  echo 'exports.handler = async () => ({});' > "$dir/node/index.js"
  cp "$class" "$dir/java/dev/thunk/bench/handlers/"
}
