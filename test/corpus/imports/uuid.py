# expect-status: error
# expect-error: ImportError: import of 'uuid' is not allowed
# expect-output: ""
import uuid
