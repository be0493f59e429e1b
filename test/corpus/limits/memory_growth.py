# Memory taken a megabyte at a time; what was printed before stays.
# expect-status: memory
# expect-error: MemoryError: the program exceeded the memory limit of 128 MB
# expect-output: "growing\n"
print("growing")
chunks = []
while True:
    chunks.append(" " * 10 ** 6)
