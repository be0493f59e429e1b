# expect-status: error
# expect-error: ImportError: import of 'logging' is not allowed
# expect-output: ""
import logging
