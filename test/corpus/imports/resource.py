# expect-status: error
# expect-error: ImportError: import of 'resource' is not allowed
# expect-output: ""
import resource
