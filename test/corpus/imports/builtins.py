# expect-status: error
# expect-error: ImportError: import of 'builtins' is not allowed
# expect-output: ""
import builtins
