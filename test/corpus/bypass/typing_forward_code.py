# expect-status: error
# expect-error: PermissionError: access to '__forward_code__' is not allowed
# expect-output: ""
import typing
typing.ForwardRef("os").__forward_code__
