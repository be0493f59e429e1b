# An exception class of a module carries the module's name, as in a console.
# expect-status: error
# expect-error: json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
# expect-output: ""
import json
json.loads("")
