# request-timeout: 1
# expect-status: timeout
# expect-error: TimeoutError: execution timed out after 1 second
# expect-output: "sleeping\n"
import time
print("sleeping")
time.sleep(10)
print("never")
