# expect-status: output_limit
# expect-error: OutputLimitExceeded: output exceeded the limit of 1 MB
# expect-output-startswith: "xxxxxxxxxx"
# expect-output-bytes: 1048576
import sys
while True:
    sys.stderr.write("x" * 1000)
