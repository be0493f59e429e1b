# expect-status: error
# expect-error: ImportError: import of 'marshal' is not allowed
# expect-output: ""
import marshal
