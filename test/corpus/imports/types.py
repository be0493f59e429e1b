# expect-status: error
# expect-error: ImportError: import of 'types' is not allowed
# expect-output: ""
import types
