# One write far over the limit: cut at exactly 1 MB.
# expect-status: output_limit
# expect-error: OutputLimitExceeded: output exceeded the limit of 1 MB
# expect-output-bytes: 1048576
print("y" * (3 * 1024 * 1024))
