# request-timeout: 1
# expect-status: timeout
# expect-error: TimeoutError: execution timed out after 1 second
# expect-output: ""
import re
re.match(r"(a+)+$", "a" * 40 + "b")
