# expect-status: error
# expect-error: ImportError: import of 'posix' is not allowed
# expect-output: ""
import posix
