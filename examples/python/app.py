"""A hello function for Thunk's python3.x runtimes. Handler: app.handler"""


def handler(event, context):
    name = event.get("name", "world") if isinstance(event, dict) else "world"
    print(f"greeting {name}")  # goes to the function's log: ./thunk logs hello-python
    return f"Hello, {name}, from Python!"
