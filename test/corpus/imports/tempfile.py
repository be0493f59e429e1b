# expect-status: error
# expect-error: ImportError: import of 'tempfile' is not allowed
# expect-output: ""
import tempfile
