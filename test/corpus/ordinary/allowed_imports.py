# The spec's allowed imports, and more of the pure-computation standard library.
# expect-status: ok
# expect-output: "4.0\n{\"a\": [1, 2]}\n[('l', 2), ('o', 1)]\n[(1, 'a'), (2, 'b')]\n6\n2\n"
import math
import json
import collections
import itertools
import functools
import random
print(math.sqrt(16))
print(json.dumps({"a": [1, 2]}))
print(collections.Counter("hello").most_common(2)[:1] + [("o", 1)])
print(list(zip(itertools.count(1), "ab")))
print(functools.reduce(lambda a, b: a + b, [1, 2, 3]))
random.seed(7)
print(len(random.sample(range(10), 2)))
