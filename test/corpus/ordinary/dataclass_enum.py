# dataclasses and enums, including their own underscore names.
# expect-status: ok
# expect-output: "Point(x=1, y=3)\n{'x': 1, 'y': 3}\nColor.RED 1 1 ['RED', 'GREEN']\n"
from dataclasses import dataclass, asdict
from enum import Enum, auto


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 2

    def __post_init__(self):
        object.__setattr__(self, "y", self.y + 1)


class Color(Enum):
    RED = auto()
    GREEN = auto()


p = Point(1)
print(p)
print(asdict(p))
print(Color.RED, Color.RED.value, Color.RED._value_, list(Color._member_map_))
