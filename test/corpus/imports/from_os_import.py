# expect-status: error
# expect-error: ImportError: import of 'os' is not allowed
# expect-output: ""
from os import system
system("echo pwned")
