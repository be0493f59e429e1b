# expect-status: error
# expect-error: ImportError: import of 'platform' is not allowed
# expect-output: ""
import platform
