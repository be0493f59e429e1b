# A forward reference planted in a standard-library class is evaluated in the program's
# namespace, never in the module's: it sees no module globals.
# expect-status: ok
# expect-output: "['random', 'typing']\n{'x': <class 'int'>}\n"
import random
import typing

random.Random.__annotations__["x"] = "(print(sorted(k for k in globals() if not k.startswith('_'))), int)[1]"
print(typing.get_type_hints(random.Random))
