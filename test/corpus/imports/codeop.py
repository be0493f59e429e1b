# expect-status: error
# expect-error: ImportError: import of 'codeop' is not allowed
# expect-output: ""
import codeop
