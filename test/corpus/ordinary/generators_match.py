# Generators, yield from, structural pattern matching with class patterns.
# expect-status: ok
# expect-output: "[0, 1, 2]\nmatched 1 2\npoint 1\n"
def numbers():
    yield from range(3)


print(list(numbers()))
match {"x": 1, "y": [1, 2]}:
    case {"x": 1, "y": [a, b]}:
        print("matched", a, b)


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y


match Point(1, 2):
    case Point(x, y=2):
        print("point", x)
