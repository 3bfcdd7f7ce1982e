"""JSON 1.1 on the wire: requests decoded and checked, responses and errors encoded."""

from .responses import Encoded as Encoded
from .responses import dumps as dumps
from .responses import encode as encode
from .responses import encode_error as encode_error
from .responses import epoch_seconds as epoch_seconds
