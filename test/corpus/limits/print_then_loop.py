# Output printed before the deadline is kept.
# request-timeout: 1
# expect-status: timeout
# expect-error: TimeoutError: execution timed out after 1 second
# expect-output: "before\n"
print("before")
while True:
    pass
