# Non-ASCII output is kept as UTF-8; invalid bytes written to sys.stdout.buffer become U+FFFD.
# expect-status: ok
# expect-output: "héllo ✓ 日本 🐍\n\ufffd\n"
import sys
print("héllo ✓ 日本 🐍")
sys.stdout.buffer.write(b"\xff\n")
