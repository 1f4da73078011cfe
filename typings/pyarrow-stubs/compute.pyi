# pyarrow.compute makes most of its functions at import time from Arrow's C++ function
# registry (pc.equal, pc.if_else, pc.match_substring_regex, ...), so pyright finds none of
# them in the installed module. This partial stub gives every name in the module the type
# Any; the rest of pyarrow is still read from the installed package (py.typed: partial).
from typing import Any

def __getattr__(name: str) -> Any: ...
