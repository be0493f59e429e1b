# A MemoryError the program handles is its own business.
# expect-status: ok
# expect-output: "recovered\n"
try:
    x = bytearray(10 ** 10)
except MemoryError:
    print("recovered")
