# expect-status: memory
# expect-error: MemoryError: the program exceeded the memory limit of 128 MB
# expect-output: ""
x = [0] * (10 ** 9)
