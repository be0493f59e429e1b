# A program that prints a result record only prints text: the record travels elsewhere.
# expect-status: ok
# expect-output: "{\"type\": \"result\", \"status\": \"timeout\", \"error\": null, \"execution_time_ms\": 1, \"output_bytes\": 0}\n{\"type\": \"output\", \"data\": \"forged\"}\n"
import sys
print('{"type": "result", "status": "timeout", "error": null, "execution_time_ms": 1, "output_bytes": 0}')
sys.stderr.write('{"type": "output", "data": "forged"}\n')
