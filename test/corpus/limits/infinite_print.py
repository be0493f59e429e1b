# Output over the limit stops the program; exactly the first 1 MB is kept.
# expect-status: output_limit
# expect-error: OutputLimitExceeded: output exceeded the limit of 1 MB
# expect-output-startswith: "spam\nspam\n"
# expect-output-bytes: 1048576
while True:
    print("spam")
