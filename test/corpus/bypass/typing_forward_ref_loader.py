# Forward references are checked with the program's own rules before typing evaluates them.
# expect-status: error
# expect-error: PermissionError: access to '__loader__' is not allowed
# expect-output: ""
import typing


class A:
    x: "int.__loader__"


typing.get_type_hints(A)
