# More allowed modules, each used the way a lesson would.
# expect-status: ok
# expect-output: "a#b#\n2024-01-02\n2024-01-02 00:00:00\n1/3\n0.3\n2\n[1, 3, 2]\n1\nhello\nworld\n[[1]]\nabc\nTrue\n12\n{'a': [1, 1, 1]}\n"
import re, datetime, time, fractions, decimal, statistics, heapq, bisect, textwrap, copy, string, calendar, pprint
print(re.sub(r"\d", "#", "a1b2"))
print(datetime.date(2024, 1, 2).isoformat())
print(datetime.datetime.strptime("2024-01-02", "%Y-%m-%d"))
print(fractions.Fraction(1, 3))
print(decimal.Decimal("0.1") * 3)
print(statistics.median([1, 2, 3]))
h = [3, 1, 2]
heapq.heapify(h)
print(h)
print(bisect.bisect_left([1, 2, 3], 2))
print(textwrap.fill("hello world", 5))
print(copy.deepcopy([[1]]))
print(string.ascii_lowercase[:3])
print(calendar.isleap(2024))
print(time.strptime("12", "%H").tm_hour)
pprint.pprint({"a": [1] * 3})
