# request-timeout: 1.5
# expect-status: timeout
# expect-error: TimeoutError: execution timed out after 1.5 seconds
# expect-output: ""
while True:
    pass
