# Introspection lessons work on the program's own functions and classes (and only on them).
# expect-status: ok
# expect-output: "['Circle', 'Square']\n([1, 2],)\n42\nFalse True\n"
class Shape:
    pass


class Circle(Shape):
    pass


class Square(Shape):
    pass


print([cls.__name__ for cls in Shape.__subclasses__()])


def append(item, bucket=[]):
    bucket.append(item)
    return bucket


append(1)
append(2)
print(append.__defaults__)


def outer():
    x = 42

    def inner():
        return x

    return inner


print(outer().__closure__[0].cell_contents)
print(hasattr(5, "__dict__"), hasattr(Circle(), "__dict__"))
