# expect-status: error
# expect-error: ImportError: import of 'urllib' is not allowed
# expect-output: ""
import urllib.request
urllib.request.urlopen("http://example.com")
