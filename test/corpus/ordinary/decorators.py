# functools.wraps and lru_cache.
# expect-status: ok
# expect-output: "6 double Double it.\n23416728348467685\n"
import functools


def twice(function):
    @functools.wraps(function)
    def wrapper(*args):
        return function(*args) * 2
    return wrapper


@twice
def double(x):
    """Double it."""
    return x


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(double(3), double.__name__, double.__doc__)
print(fib(80))
