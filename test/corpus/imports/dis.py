# expect-status: error
# expect-error: ImportError: import of 'dis' is not allowed
# expect-output: ""
import dis
