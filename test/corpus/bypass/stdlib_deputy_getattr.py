# Standard-library code that calls a program's callable and hands back the result (here
# ExitStack.enter_context calling getattr) looks attributes up "as the standard library":
# what nobody may have is refused there too.
# expect-status: error
# expect-error: AttributeError: access to '__forward_code__' is not allowed
# expect-output: ""
import contextlib
import functools
import typing

ref = typing.ForwardRef("int")


class Name(str):
    __enter__ = functools.partial(getattr, ref)

    def __exit__(self, *args):
        return False


with contextlib.ExitStack() as stack:
    code = stack.enter_context(Name("__forward_code__"))
code.replace(co_code=b"")
