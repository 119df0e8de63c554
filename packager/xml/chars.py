"""The characters XML 1.0 cannot carry: the model refuses them in a bank's texts, rendering
replaces them. Apart from the model, so that importing the renderer does not import pydantic
(`validate` forks its early-rendering worker before the model is imported)."""

from __future__ import annotations

import re

# C0 controls except tab, LF and CR; surrogates; U+FFFE and U+FFFF.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
