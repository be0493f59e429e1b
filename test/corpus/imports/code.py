# expect-status: error
# expect-error: ImportError: import of 'code' is not allowed
# expect-output: ""
import code
