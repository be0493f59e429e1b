# namedtuple's underscore methods, typing.NamedTuple and get_type_hints.
# expect-status: ok
# expect-output: "Point(x=5, y=2) {'x': 1, 'y': 2} ('x', 'y')\n{'a': 1, 'b': 'x'} {'a': <class 'int'>, 'b': <class 'str'>}\nTrue\n"
from collections import namedtuple
import collections.abc
from typing import NamedTuple, get_type_hints

Point = namedtuple("Point", "x y")
p = Point(1, 2)
print(p._replace(x=5), p._asdict(), Point._fields)


class Row(NamedTuple):
    a: int
    b: str = "x"


print(Row(1)._asdict(), get_type_hints(Row))
print(isinstance([], collections.abc.Sequence))
