# expect-status: error
# expect-error: ImportError: import of 'subprocess' is not allowed
# expect-output: ""
import subprocess
