# from __future__ imports work.
# expect-status: ok
# expect-output: "{'x': 'int', 'return': 'str'}\n"
from __future__ import annotations


def f(x: int) -> str:
    return str(x)


print(f.__annotations__)
