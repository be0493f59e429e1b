# Converting a huge int to str hits Python's int_max_str_digits limit.
# expect-status: error
# expect-error-matches: ^ValueError: Exceeds the limit \(4300( digits)?\) for integer string conversion
# expect-output: ""
print(str(10 ** 5000))
