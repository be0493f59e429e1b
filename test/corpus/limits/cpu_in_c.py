# A long computation inside C code, where no Python-level handler can run.
# request-timeout: 1
# expect-status: timeout
# expect-error: TimeoutError: execution timed out after 1 second
# expect-output: ""
x = 10 ** 10 ** 8
