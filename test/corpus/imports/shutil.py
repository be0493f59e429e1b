# expect-status: error
# expect-error: ImportError: import of 'shutil' is not allowed
# expect-output: ""
import shutil
