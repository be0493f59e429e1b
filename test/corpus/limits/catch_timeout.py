# The deadline is not an exception the program could catch.
# request-timeout: 1
# expect-status: timeout
# expect-error: TimeoutError: execution timed out after 1 second
# expect-output: ""
import time
try:
    while True:
        time.sleep(0.05)
except BaseException:
    print("caught")
    while True:
        pass
